package io.polykube.samples.springboot;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.polykube.api.Cluster;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The app's {@code KubernetesClient} bean: built from the kubeconfig the test gave it, talking to the polykube cluster.
 * Same configuration as {@link GreetingStoreIT}, so it runs in the same Spring context, against the same cluster.
 */
class KubernetesClientBeanIT extends GreeterTestBase {
    @Autowired
    KubernetesClient appClient; // a field: as a parameter, polykube would offer its own admin client too

    @Autowired
    GreetingStore store;

    @Test
    void theBeanIsBuiltFromThePolykubeKubeconfig(Cluster cluster) {
        assertThat(appClient).isNotSameAs(cluster.client());
        assertThat(appClient.getConfiguration().getFile()).isEqualTo(cluster.kubeconfig().toFile());
        assertThat(appClient.getMasterUrl()).isEqualTo(cluster.client().getMasterUrl());
        assertThat(appClient.namespaces().withName("kube-system").get()).isNotNull(); // a real call, as the admin
    }

    @Test
    void savingAgainReplacesTheGreeting(Cluster cluster) {
        store.save("carol", "Hello, Carol!");
        store.save("carol", "Good morning, Carol!");

        assertThat(cluster.client().configMaps().inNamespace("default").withName("greeting-carol").get().getData())
                .containsEntry(GreetingStore.KEY, "Good morning, Carol!");
    }
}
