package io.polykube.api.internal.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.polykube.api.Cluster;
import io.polykube.api.error.PolykubeException;
import io.polykube.api.layout.ClusterLayout;
import io.polykube.api.spec.ClusterSpec;
import io.polykube.api.spec.Mode;
import io.polykube.api.status.ClusterRecord;
import io.polykube.runtime.binaries.KnownVersions;
import io.polykube.runtime.binaries.KubernetesRelease;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Issue #25: the oldest known minor runs in both modes on the node runtime built from source, the default is the newest
 * pinned patch, and a downgrade is refused before anything is built or started. (Other minors and the upgrade from one
 * minor to the next run in {@code ./polykube test-versions}: see {@code OtherVersionsIT}.)
 */
@EnabledIfSystemProperty(named = "user.name", matches = "root")
class KubernetesVersionsIT {
    private static final KubernetesRelease OLDEST = KnownVersions.oldest();

    @Test
    void theOldestMinorServesItsPinnedPatchInControlPlaneMode() throws IOException {
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "pkold");
        try (Cluster cluster = Cluster.start(ClusterSpec.builder().name("oldcp").directory(dir).mode(Mode.CONTROL_PLANE)
                .kubernetesVersion(OLDEST.minor()).etcd(e -> e.unsafeNoFsync(true)).build())) {
            KubernetesClient client = cluster.client();
            assertThat(client.getKubernetesVersion().getGitVersion()).isEqualTo("v" + OLDEST.patch());
            client.configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata().withName("made-on-"
                    + OLDEST.minor().replace('.', '-')).endMetadata().addToData("k", "v").build()).create();
            ClusterRecord record = ClusterRecord.read(new ClusterLayout(dir).clusterJson()).orElseThrow();
            assertThat(record.kubernetesVersion()).isEqualTo(OLDEST.patch());
            assertThat(record.madeWithVersion()).isEqualTo(OLDEST.patch());
        } finally {
            HostState.deleteDirectory(dir);
        }
    }

    @Test
    void theOldestMinorRunsAPodWithDnsOnContainerd2InFullMode() throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "pkoldfull");
        HostState.assertClean("oldfull", dir, "before the test");
        try (Cluster cluster = HostTurn.start(ClusterSpec.builder().name("oldfull").directory(dir).mode(Mode.FULL)
                .kubernetesVersion(OLDEST.minor()).etcd(e -> e.unsafeNoFsync(true)).startTimeout(Duration.ofMinutes(2)).build())) {
            KubernetesClient client = cluster.client();
            Node node = client.nodes().withName("polykube-node").get();
            assertThat(node.getStatus().getNodeInfo().getKubeletVersion()).isEqualTo("v" + OLDEST.patch());
            assertThat(node.getStatus().getNodeInfo().getContainerRuntimeVersion())
                    .isEqualTo("containerd://" + KnownVersions.nodeRuntime().containerd());
            assertThat(client.apps().deployments().inNamespace("kube-system").withName("coredns").get().getSpec().getTemplate()
                    .getSpec().getContainers().get(0).getImage()).isEqualTo("polykube.local/coredns:" + OLDEST.coreDns());
            cluster.images().load(FullNodeIT.sleeperImage(dir));
            client.pods().inNamespace("default").resource(FullNodeIT.sleeperPod("on-oldest")).create();
            Pod pod = client.pods().inNamespace("default").withName("on-oldest")
                    .waitUntilCondition(p -> p != null && "Running".equals(p.getStatus().getPhase()), 60, TimeUnit.SECONDS);
            assertThat(pod.getStatus().getPodIP()).startsWith("10.244.0.");
        } finally {
            HostState.assertClean("oldfull", dir, "after close");
            HostState.deleteDirectory(dir);
        }
    }

    @Test
    void aDowngradeIsRefusedBeforeAnythingStartsAndTheDirectoryIsLeftAsItWas() throws IOException {
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "pkdown");
        try {
            ClusterSpec.Builder<ClusterSpec> spec = ClusterSpec.builder().name("downgrade").directory(dir).mode(Mode.CONTROL_PLANE)
                    .etcd(e -> e.unsafeNoFsync(true));
            try (Cluster cluster = Cluster.start(spec.build())) {
                assertThat(cluster.client().getKubernetesVersion().getGitVersion()).isEqualTo("v" + KnownVersions.DEFAULT_VERSION);
            }
            Path json = new ClusterLayout(dir).clusterJson();
            String before = Files.readString(json);
            String older = KnownVersions.find(KnownVersions.defaultRelease().minorNumber() - 1).orElseThrow().minor();
            assertThatThrownBy(() -> Cluster.start(spec.kubernetesVersion(older).build())).isInstanceOf(PolykubeException.class)
                    .hasMessageContaining("last run with " + KnownVersions.DEFAULT_VERSION)
                    .hasMessageContaining("does not support a downgrade");
            assertThat(Files.readString(json)).as("cluster.json untouched").isEqualTo(before);
            assertThat(ClusterRecord.read(json).orElseThrow().kubernetesVersion()).isEqualTo(KnownVersions.DEFAULT_VERSION);
        } finally {
            HostState.deleteDirectory(dir);
        }
    }
}
