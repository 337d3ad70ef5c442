package io.polykube.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.polykube.testing.Await;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Cluster#reset()} on one control-plane cluster: user objects go, what start made stays, informers relist. */
class ResetIT {
    static Cluster cluster;
    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        cluster = Cluster.builder().name("reset-it").directory(dir).mode(Mode.CONTROL_PLANE).etcd(e -> e.unsafeNoFsync(true))
                .build().start();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void resetDropsUserObjectsKeepsPkiAndPortsAndInformersSeeIt() throws Exception {
        KubernetesClient client = cluster.client();
        var url = cluster.apiServerUrl();
        String defaultNamespaceUid = client.namespaces().withName("default").get().getMetadata().getUid();
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("before-reset").endMetadata().build()).create();
        client.configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata().withName("mine").endMetadata()
                .addToData("k", "v").build()).create();

        Set<String> present = ConcurrentHashMap.newKeySet();
        Set<String> deleted = ConcurrentHashMap.newKeySet();
        try (KubernetesClient watcher = cluster.client("watcher", "system:masters");
             SharedIndexInformer<ConfigMap> informer = watcher.configMaps().inNamespace("default").inform(new ResourceEventHandler<>() {
                 @Override
                 public void onAdd(ConfigMap cm) {
                     present.add(cm.getMetadata().getName());
                 }

                 @Override
                 public void onUpdate(ConfigMap before, ConfigMap after) {
                     present.add(after.getMetadata().getName());
                 }

                 @Override
                 public void onDelete(ConfigMap cm, boolean unknownFinalState) {
                     present.remove(cm.getMetadata().getName());
                     deleted.add(cm.getMetadata().getName());
                 }
             })) {
            Await.until("the informer to see configmap mine", Duration.ofSeconds(30), () -> present.contains("mine"));

            long t0 = System.nanoTime();
            cluster.reset();
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            System.out.println("reset took " + took.toMillis() + " ms");

            assertThat(client.namespaces().withName("before-reset").get()).isNull();
            assertThat(client.configMaps().inNamespace("default").withName("mine").get()).isNull();
            assertThat(client.namespaces().withName("default").get().getMetadata().getUid()).isEqualTo(defaultNamespaceUid);
            assertThat(cluster.apiServerUrl()).isEqualTo(url);
            assertThat(cluster.state()).isEqualTo(Cluster.State.RUNNING);
            Await.until("the informer of a client that survived the reset to relist and drop configmap mine",
                    Duration.ofSeconds(30), () -> deleted.contains("mine") && !present.contains("mine"));
            assertThat(informer.getStore().getByKey("default/mine")).isNull();

            // the cluster works as before: writes, and the informer sees new objects
            client.configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata().withName("after")
                    .endMetadata().build()).create();
            Await.until("the informer to see configmap after", Duration.ofSeconds(30), () -> present.contains("after"));
        }

        // a second reset works too (the revision keeps rising)
        cluster.reset();
        assertThat(client.configMaps().inNamespace("default").withName("after").get()).isNull();
        assertThat(cluster.status()).allMatch(s -> s.state().equals("READY"));
        assertThat(cluster.status()).as("no component exited on a reset").allMatch(s -> s.restarts() == 0);
    }

    /**
     * Resets at once after a start, back to back: the controller manager exits on an API error (the etcd swap causes one)
     * while it still starts its controllers, which lasts a second or more after start returns. No component may restart.
     * Each reset raises etcd's revision past what clients saw by a fixed margin, also after a restart on a directory whose
     * snapshot already holds a raised revision (adding that revision again would double it with every start until it
     * overflows).
     */
    @Test
    void resetsRightAfterStartRestartNoComponentAndRaiseTheRevisionByAMarginOnly() {
        cluster.reset();
        cluster.reset(); // the revision is now past 200 000, and the start below snapshots it
        cluster.stop();
        cluster.start();
        for (int i = 0; i < 5; i++) {
            KubernetesClient client = cluster.client();
            client.configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata()
                    .withName("loop-" + i).endMetadata().build()).create();
            long before = revision(client);
            cluster.reset();
            assertThat(client.configMaps().inNamespace("default").withName("loop-" + i).get()).isNull();
            assertThat(revision(client) - before).as("revision raised by reset %d", i + 1).isBetween(1L, 200_000L);
            assertThat(cluster.status()).as("components after reset %d", i + 1)
                    .allMatch(s -> s.state().equals("READY") && s.restarts() == 0, "READY, never restarted");
        }
    }

    private static long revision(KubernetesClient client) {
        return Long.parseLong(client.namespaces().list(new ListOptionsBuilder().withLimit(1L).build()).getMetadata()
                .getResourceVersion());
    }

}
