package io.polykube.api.internal.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.polykube.api.Cluster;
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
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Issue #25, the minors beyond the default and the oldest (run by {@code ./polykube test-versions}, which builds them on
 * first use: minutes each): 1.35 in both modes, and a directory made on the newest minor but one that starts with the
 * newest, its objects and custom resources kept.
 */
@Tag("versions")
@EnabledIfSystemProperty(named = "user.name", matches = "root")
class OtherVersionsIT {
    private static final String CRD = """
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata: {name: widgets.example.polykube.io}
            spec:
              group: example.polykube.io
              scope: Namespaced
              names: {plural: widgets, singular: widget, kind: Widget}
              versions:
              - name: v1
                served: true
                storage: true
                schema:
                  openAPIV3Schema:
                    type: object
                    properties:
                      spec: {type: object, properties: {size: {type: integer}}}
            """;
    private static final ResourceDefinitionContext WIDGETS = new ResourceDefinitionContext.Builder()
            .withGroup("example.polykube.io").withVersion("v1").withPlural("widgets").withKind("Widget").withNamespaced(true)
            .build();

    @Test
    void minor135RunsInControlPlaneAndFullMode() throws IOException, InterruptedException {
        KubernetesRelease release = KnownVersions.find(35).orElseThrow();
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "pk135");
        try {
            try (Cluster cluster = Cluster.start(ClusterSpec.builder().name("v135cp").directory(dir.resolve("cp"))
                    .mode(Mode.CONTROL_PLANE).kubernetesVersion(release.minor()).etcd(e -> e.unsafeNoFsync(true)).build())) {
                assertThat(cluster.client().getKubernetesVersion().getGitVersion()).isEqualTo("v" + release.patch());
            }
            HostState.assertClean("v135full", dir.resolve("full"), "before the test");
            try (Cluster cluster = HostTurn.start(ClusterSpec.builder().name("v135full").directory(dir.resolve("full"))
                    .mode(Mode.FULL).kubernetesVersion(release.minor()).etcd(e -> e.unsafeNoFsync(true))
                    .startTimeout(Duration.ofMinutes(2)).build())) {
                KubernetesClient client = cluster.client();
                assertThat(client.nodes().withName("polykube-node").get().getStatus().getNodeInfo().getKubeletVersion())
                        .isEqualTo("v" + release.patch());
                cluster.images().load(FullNodeIT.sleeperImage(dir));
                client.pods().inNamespace("default").resource(FullNodeIT.sleeperPod("on-135")).create();
                Pod pod = client.pods().inNamespace("default").withName("on-135")
                        .waitUntilCondition(p -> p != null && "Running".equals(p.getStatus().getPhase()), 60, TimeUnit.SECONDS);
                assertThat(pod.getStatus().getPodIP()).startsWith("10.244.0.");
            }
            HostState.assertClean("v135full", dir.resolve("full"), "after close");
        } finally {
            HostState.deleteDirectory(dir);
        }
    }

    @Test
    void objectsAndCustomResourcesMadeOnTheMinorBeforeTheNewestAreThereAfterTheUpgrade() throws IOException {
        KubernetesRelease newest = KnownVersions.newest();
        KubernetesRelease before = KnownVersions.find(newest.minorNumber() - 1).orElseThrow();
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "pkupgrade");
        ClusterSpec.Builder<ClusterSpec> spec = ClusterSpec.builder().name("upgrade").directory(dir).mode(Mode.CONTROL_PLANE)
                .etcd(e -> e.unsafeNoFsync(true));
        try {
            try (Cluster cluster = Cluster.start(spec.kubernetesVersion(before.minor()).build())) {
                KubernetesClient client = cluster.client();
                assertThat(client.getKubernetesVersion().getGitVersion()).isEqualTo("v" + before.patch());
                client.load(new java.io.ByteArrayInputStream(CRD.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                        .serverSideApply();
                client.apiextensions().v1().customResourceDefinitions().withName("widgets.example.polykube.io")
                        .waitUntilCondition(c -> c != null && c.getStatus() != null && c.getStatus().getConditions().stream()
                                .anyMatch(k -> "Established".equals(k.getType()) && "True".equals(k.getStatus())), 30, TimeUnit.SECONDS);
                client.genericKubernetesResources(WIDGETS).inNamespace("default").resource(new GenericKubernetesResourceBuilder()
                        .withApiVersion("example.polykube.io/v1").withKind("Widget").withNewMetadata().withName("w1").endMetadata()
                        .addToAdditionalProperties("spec", Map.of("size", 3)).build()).create();
                client.configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata().withName("kept")
                        .endMetadata().addToData("made-on", before.patch()).build()).create();
            }
            try (Cluster cluster = Cluster.start(spec.kubernetesVersion(newest.minor()).build())) {
                KubernetesClient client = cluster.client();
                assertThat(client.getKubernetesVersion().getGitVersion()).isEqualTo("v" + newest.patch());
                assertThat(client.configMaps().inNamespace("default").withName("kept").get().getData())
                        .containsEntry("made-on", before.patch());
                GenericKubernetesResource widget = client.genericKubernetesResources(WIDGETS).inNamespace("default")
                        .withName("w1").get();
                assertThat(widget).isNotNull();
                assertThat(widget.getAdditionalProperties().get("spec")).isEqualTo(Map.of("size", 3));
                ClusterRecord record = ClusterRecord.read(new ClusterLayout(dir).clusterJson()).orElseThrow();
                assertThat(record.kubernetesVersion()).isEqualTo(newest.patch());
                assertThat(record.madeWithVersion()).isEqualTo(before.patch());
            }
        } finally {
            HostState.deleteDirectory(dir);
        }
    }
}
