package io.polykube.samples;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.polykube.api.junit.Polykube;
import io.polykube.api.junit.TestNamespace;
import io.polykube.api.junit.WithPolykube;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Testing an operator against a real control plane: the API server, and the controller manager whose garbage collector
 * deletes what an owner reference ties to a deleted object. No root needed; the cluster is shared with every other
 * {@code @WithPolykube} class of the run, and each test gets its own namespace.
 */
@WithPolykube(namespacePerTest = true)
class GreeterOperatorIT {
    @Polykube
    TestNamespace namespace;

    @Test
    void greetsFollowsChangesAndIsCleanedUpWithItsSource() {
        KubernetesClient client = namespace.client(); // default namespace: this test's
        try (GreeterOperator operator = new GreeterOperator(client)) {
            client.configMaps().resource(new ConfigMapBuilder()
                    .withNewMetadata().withName("team").addToLabels(GreeterOperator.LABEL, "true").endMetadata()
                    .addToData("name", "polykube")
                    .build()).create();

            // waitUntilCondition watches the object and gives up at the deadline.
            client.configMaps().withName("team-greeting")
                    .waitUntilCondition(cm -> cm != null && "Hello, polykube!".equals(cm.getData().get("greeting")), 30, TimeUnit.SECONDS);

            client.configMaps().withName("team").edit(cm -> new ConfigMapBuilder(cm).addToData("name", "Kubernetes").build());
            ConfigMap greeting = client.configMaps().withName("team-greeting")
                    .waitUntilCondition(cm -> cm != null && "Hello, Kubernetes!".equals(cm.getData().get("greeting")), 30, TimeUnit.SECONDS);
            assertThat(greeting.getMetadata().getOwnerReferences()).singleElement()
                    .satisfies(owner -> assertThat(owner.getName()).isEqualTo("team"));

            // The garbage collector (kube-controller-manager) deletes the greeting with its owner.
            client.configMaps().withName("team").delete();
            client.configMaps().withName("team-greeting").waitUntilCondition(Objects::isNull, 60, TimeUnit.SECONDS);
        }
    }

    @Test
    void aWatchSeesEveryChangeInOrder() throws Exception {
        KubernetesClient client = namespace.client();
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        try (Watch watch = client.configMaps().withName("settings").watch(new Watcher<ConfigMap>() {
            @Override
            public void eventReceived(Action action, ConfigMap cm) {
                events.add(action + " " + (cm.getData() == null ? "{}" : cm.getData()));
            }

            @Override
            public void onClose(WatcherException cause) {
                events.add("CLOSED " + cause.getMessage());
            }
        })) {
            client.configMaps().resource(new ConfigMapBuilder().withNewMetadata().withName("settings").endMetadata()
                    .addToData("level", "info").build()).create();
            client.configMaps().withName("settings").edit(cm -> new ConfigMapBuilder(cm).addToData("level", "debug").build());
            client.configMaps().withName("settings").delete();

            List<String> seen = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (seen.size() < 3 && System.nanoTime() < deadline) {
                String event = events.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (event != null) {
                    seen.add(event);
                }
            }
            assertThat(seen).containsExactly("ADDED {level=info}", "MODIFIED {level=debug}", "DELETED {level=debug}");
        }
    }
}
