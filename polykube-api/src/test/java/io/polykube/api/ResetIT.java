package io.polykube.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.polykube.api.spec.Mode;
import io.polykube.testing.Await;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Cluster#reset()} on one control-plane cluster: user objects go, what start made comes back as it was, watches stay
 * open and informers see every deletion as an event.
 */
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
        // an object start made, changed, and another deleted: both come back as they were
        client.namespaces().withName("default").edit(n -> new NamespaceBuilder(n).editMetadata().addToLabels("changed", "yes")
                .endMetadata().build());
        String bindingUid = client.rbac().clusterRoleBindings().withName("system:public-info-viewer").get().getMetadata().getUid();
        client.rbac().clusterRoleBindings().withName("system:public-info-viewer").delete();
        assertThat(client.rbac().clusterRoleBindings().withName("system:public-info-viewer").get()).isNull();
        List<String> events = new CopyOnWriteArrayList<>();
        List<String> closed = new CopyOnWriteArrayList<>();

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
             });
             Watch watch = watcher.configMaps().inNamespace("default").watch(new Watcher<>() {
                 @Override
                 public void eventReceived(Action action, ConfigMap cm) {
                     events.add(action + " " + cm.getMetadata().getName());
                 }

                 @Override
                 public void onClose(WatcherException cause) {
                     closed.add(String.valueOf(cause));
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
            assertThat(client.namespaces().withName("default").get().getMetadata().getLabels()).doesNotContainKey("changed");
            assertThat(client.rbac().clusterRoleBindings().withName("system:public-info-viewer").get().getMetadata().getUid())
                    .as("a binding start made, deleted since, is back with its uid").isEqualTo(bindingUid);
            assertThat(cluster.apiServerUrl()).isEqualTo(url);
            assertThat(cluster.state()).isEqualTo(Cluster.State.RUNNING);
            Await.until("the informer of a client that survived the reset to see configmap mine deleted",
                    Duration.ofSeconds(30), () -> deleted.contains("mine") && !present.contains("mine"));
            assertThat(informer.getStore().getByKey("default/mine")).isNull();
            Await.until("a watch open across the reset to get the deletion as an event", Duration.ofSeconds(30),
                    () -> events.contains("DELETED mine"));
            assertThat(closed).as("the watch was not ended by the reset").isEmpty();

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
     * Resets at once after a start and back to back, also after a restart on the same directory: the controller manager
     * still starts its controllers then, and exits on any API error meanwhile; no component may restart. A reset writes
     * through etcd's API, so the revision rises by the keys it changed, not by a jump.
     */
    @Test
    void resetsRightAfterStartRestartNoComponentAndRaiseTheRevisionByTheirChangesOnly() {
        cluster.reset();
        cluster.reset();
        cluster.stop();
        cluster.start();
        for (int i = 0; i < 5; i++) {
            KubernetesClient client = cluster.client();
            client.configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata()
                    .withName("loop-" + i).endMetadata().build()).create();
            long before = revision(client);
            cluster.reset();
            assertThat(client.configMaps().inNamespace("default").withName("loop-" + i).get()).isNull();
            assertThat(revision(client) - before).as("revision raised by reset %d", i + 1).isBetween(1L, 100L);
            assertThat(cluster.status()).as("components after reset %d", i + 1)
                    .allMatch(s -> s.state().equals("READY") && s.restarts() == 0, "READY, never restarted");
        }
    }

    private static long revision(KubernetesClient client) {
        return Long.parseLong(client.namespaces().list(new ListOptionsBuilder().withLimit(1L).build()).getMetadata()
                .getResourceVersion());
    }

}
