package io.polykube.samples.springboot;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.polykube.api.junit.Polykube;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The app's {@link GreetingStore} against the real API server, checked with polykube's own admin client. */
class GreetingStoreIT extends GreeterTestBase {
    @Autowired
    GreetingStore store;

    @Polykube
    KubernetesClient admin; // polykube's client, not the app's: it sees what the app really wrote

    @Test
    void savesAGreetingAsAConfigMapInTheCluster() {
        store.save("alice", "Hello, Alice!");

        assertThat(admin.configMaps().inNamespace("default").withName("greeting-alice").get().getData())
                .containsEntry(GreetingStore.KEY, "Hello, Alice!");
        assertThat(store.message("alice")).contains("Hello, Alice!");
    }

    @Test
    void readsAGreetingSomeoneElseWrote() {
        admin.configMaps().inNamespace("default").resource(new ConfigMapBuilder()
                .withNewMetadata().withName("greeting-bob").endMetadata()
                .addToData(GreetingStore.KEY, "Hi, Bob!")
                .build()).create();

        assertThat(store.message("bob")).contains("Hi, Bob!");
        assertThat(store.message("nobody")).isEmpty();
    }
}
