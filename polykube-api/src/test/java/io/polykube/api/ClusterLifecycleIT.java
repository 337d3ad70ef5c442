package io.polykube.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.polykube.api.error.PolykubeException;
import io.polykube.api.spec.ClusterSpec;
import io.polykube.api.spec.Mode;
import io.polykube.api.status.Component;
import io.polykube.api.status.ComponentStatus;
import io.polykube.testing.Await;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start, crash, restart, stop, start again, close; two clusters side by side; bad input refused before anything starts. */
class ClusterLifecycleIT {
    @TempDir
    Path dir;

    private static ClusterSpec.Builder<Cluster> controlPlane(String name, Path dir) {
        return Cluster.builder().name(name).directory(dir).mode(Mode.CONTROL_PLANE).etcd(e -> e.unsafeNoFsync(true));
    }

    @Test
    void survivesAKilledApiServerAndRestartsFromItsDirectoryWithItsData() {
        Cluster cluster = controlPlane("life", dir).build().start();
        List<Long> pids;
        try {
            cluster.client().configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata().withName("keep")
                    .endMetadata().addToData("k", "v").build()).create();
            long apiServer = pid(cluster, Component.KUBE_APISERVER);
            ProcessHandle.of(apiServer).orElseThrow().destroyForcibly(); // kill -9
            Await.until("the API server to serve the config map again", Duration.ofSeconds(60), () -> {
                try {
                    return cluster.client().configMaps().inNamespace("default").withName("keep").get() != null;
                } catch (KubernetesClientException e) {
                    return false;
                }
            });
            ComponentStatus status = cluster.status().stream().filter(s -> s.component() == Component.KUBE_APISERVER).findFirst()
                    .orElseThrow();
            assertThat(status.restarts()).isGreaterThanOrEqualTo(1);
            assertThat(status.pid().getAsLong()).isNotEqualTo(apiServer);

            pids = cluster.status().stream().map(s -> s.pid().getAsLong()).toList();
            cluster.stop();
            cluster.stop(); // harmless
            assertThat(pids).noneMatch(p -> ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false));
            assertThat(cluster.state()).isEqualTo(Cluster.State.STOPPED);
            assertThat(cluster.logs(Component.KUBE_APISERVER)).isRegularFile();

            cluster.start(); // same PKI, same etcd data
            assertThat(cluster.client().configMaps().inNamespace("default").withName("keep").get().getData()).containsEntry("k", "v");
        } finally {
            cluster.close();
        }
        assertThatThrownBy(cluster::start).isInstanceOf(PolykubeException.class).hasMessageContaining("closed");
        assertThat(dir.resolve("logs/etcd.log")).isRegularFile();
    }

    @Test
    void twoClustersRunSideBySideOnDifferentPorts(@TempDir Path other) throws Exception {
        CompletableFuture<Cluster> a = CompletableFuture.supplyAsync(() -> controlPlane("side-a", dir).build().start());
        CompletableFuture<Cluster> b = CompletableFuture.supplyAsync(() -> controlPlane("side-b", other).build().start());
        try (Cluster first = a.join(); Cluster second = b.join()) {
            assertThat(first.apiServerUrl()).isNotEqualTo(second.apiServerUrl());
            assertThat(first.client().namespaces().list().getItems()).isNotEmpty();
            assertThat(second.client().namespaces().list().getItems()).isNotEmpty();
        }
    }

    @Test
    void aDirectoryOwnedByARunningClusterIsRefused() {
        try (Cluster running = controlPlane("owner", dir).build().start()) {
            assertThatThrownBy(() -> controlPlane("intruder", dir).build().start())
                    .isInstanceOf(PolykubeException.class).hasMessageContaining("belongs to cluster 'owner'");
            assertThat(running.client().namespaces().list().getItems()).as("the owner still serves").isNotEmpty();
        }
    }

    @Test
    void badInputIsRefusedBeforeAnyProcessStarts(@TempDir Path empty) throws Exception {
        assertThatThrownBy(() -> controlPlane("bad", dir).kubernetesVersion("1.38.0").build())
                .isInstanceOf(PolykubeException.class).hasMessageContaining("not a version polykube knows").hasMessageContaining("1.37");
        assertThatThrownBy(() -> controlPlane("bad", dir).apiServer(a -> a.serviceCidr("10.96.0.0/33")).build())
                .isInstanceOf(PolykubeException.class).hasMessageContaining("serviceCidr");
        assertThatThrownBy(() -> controlPlane("Bad_Name", dir).build()).hasMessageContaining("name 'Bad_Name'");
        assertThatThrownBy(() -> controlPlane("bad", dir).apiServer(a -> a.flag("secure-port", "1")).build().start())
                .isInstanceOf(PolykubeException.class).hasMessageContaining("secure-port").hasMessageContaining("twice");

        assertThatThrownBy(() -> controlPlane("bad", dir).binaryDirectory(empty).build().start())
                .isInstanceOf(PolykubeException.class).hasMessageContaining("./polykube setup");
        assertThat(dir.resolve("cluster.json")).doesNotExist();

        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = busy.getLocalPort();
            assertThatThrownBy(() -> controlPlane("bad", dir).apiServer(a -> a.securePort(port)).build().start())
                    .isInstanceOf(PolykubeException.class).hasMessageContaining("port " + port).hasMessageContaining("in use");
        }
        assertThat(Files.exists(dir.resolve("logs/etcd.log"))).as("no process was started").isFalse();
    }

    private static long pid(Cluster cluster, Component component) {
        return cluster.status().stream().filter(s -> s.component() == component).findFirst().orElseThrow().pid().getAsLong();
    }
}
