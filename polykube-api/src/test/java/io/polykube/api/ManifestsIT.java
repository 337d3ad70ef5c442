package io.polykube.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.polykube.testing.Await;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Manifests and CRDs applied at start, kept by a reset; bad ones fail start() or build() with the file and document. */
class ManifestsIT {
    private static final ResourceDefinitionContext WIDGETS = new ResourceDefinitionContext.Builder().withGroup("polykube.test")
            .withVersion("v1").withKind("Widget").withPlural("widgets").withNamespaced(true).build();

    static Cluster cluster;
    @TempDir
    static Path dir;

    static Path resource(String name) throws URISyntaxException {
        return Path.of(ManifestsIT.class.getResource("/manifests/" + name).toURI());
    }

    @BeforeAll
    static void start() throws Exception {
        Path app = Files.writeString(dir.resolve("app.yaml"), """
                apiVersion: v1
                kind: Namespace
                metadata:
                  name: app
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: settings
                  namespace: app
                data:
                  color: blue
                """);
        cluster = Cluster.builder().name("manifests-it").directory(dir.resolve("cluster")).mode(Mode.CONTROL_PLANE)
                .etcd(e -> e.unsafeNoFsync(true)).crds(resource("widgets.yaml")).manifests(app).build().start();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void manifestsAreAppliedAtStartCrdsFirstAndSurviveAResetThatDropsUserObjects() throws Exception {
        KubernetesClient client = cluster.client();
        assertThat(client.apiextensions().v1().customResourceDefinitions().withName("widgets.polykube.test").get()
                .getStatus().getConditions()).anyMatch(c -> c.getType().equals("Established") && c.getStatus().equals("True"));
        assertThat(client.genericKubernetesResources(WIDGETS).inNamespace("default").withName("from-manifest").get()
                .getAdditionalProperties().get("spec")).isEqualTo(Map.of("size", 3));
        assertThat(client.configMaps().inNamespace("app").withName("settings").get().getData()).containsEntry("color", "blue");
        assertThat(client.configMaps().inNamespace("app").withName("settings").get().getMetadata().getManagedFields())
                .anyMatch(f -> "polykube".equals(f.getManager()) && "Apply".equals(f.getOperation()));

        Set<String> widgets = ConcurrentHashMap.newKeySet();
        try (SharedIndexInformer<GenericKubernetesResource> informer = client.genericKubernetesResources(WIDGETS)
                .inNamespace("default").inform(new ResourceEventHandler<>() {
                    @Override
                    public void onAdd(GenericKubernetesResource w) {
                        widgets.add(w.getMetadata().getName());
                    }

                    @Override
                    public void onUpdate(GenericKubernetesResource before, GenericKubernetesResource after) {
                        widgets.add(after.getMetadata().getName());
                    }

                    @Override
                    public void onDelete(GenericKubernetesResource w, boolean unknownFinalState) {
                        widgets.remove(w.getMetadata().getName());
                    }
                })) {
            client.genericKubernetesResources(WIDGETS).inNamespace("default").resource(new GenericKubernetesResourceBuilder()
                    .withApiVersion("polykube.test/v1").withKind("Widget").withNewMetadata().withName("mine").endMetadata()
                    .addToAdditionalProperties("spec", Map.of("size", 1)).build()).create();
            Await.until("the informer to see both widgets", Duration.ofSeconds(30),
                    () -> widgets.equals(Set.of("from-manifest", "mine")));

            cluster.reset();

            assertThat(client.apiextensions().v1().customResourceDefinitions().withName("widgets.polykube.test").get()).isNotNull();
            assertThat(client.genericKubernetesResources(WIDGETS).inNamespace("default").withName("mine").get()).isNull();
            assertThat(client.genericKubernetesResources(WIDGETS).inNamespace("default").withName("from-manifest").get()).isNotNull();
            assertThat(client.configMaps().inNamespace("app").withName("settings").get()).isNotNull();
            Await.until("the informer to see the reset: only the widget from the manifest", Duration.ofSeconds(30),
                    () -> widgets.equals(Set.of("from-manifest")));
            assertThat(informer.getStore().list()).extracting(w -> w.getMetadata().getName()).containsExactly("from-manifest");
        }
    }

    @Test
    void aManifestTheServerRefusesFailsStartNamingTheFileTheDocumentAndTheMessage() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.yaml"), """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: fine
                  namespace: default
                ---
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: Not_A_Valid_Name
                  namespace: default
                """);
        Cluster failing = Cluster.of(Cluster.builder().name("manifests-bad").directory(dir.resolve("bad-cluster")).mode(Mode.CONTROL_PLANE)
                .etcd(e -> e.unsafeNoFsync(true)).manifests(bad).build());
        try {
            assertThatThrownBy(failing::start)
                    .isInstanceOf(PolykubeException.class)
                    .hasMessageContaining("manifest " + bad + ", document 3 (ConfigMap Not_A_Valid_Name)")
                    .hasMessageContaining("refused by the API server")
                    .hasMessageContaining("metadata.name: Invalid value: \"Not_A_Valid_Name\"");
            assertThat(failing.state()).isEqualTo(Cluster.State.STOPPED);
            assertThat(failing.status()).isEmpty();
        } finally {
            failing.close();
        }
    }

    @Test
    void aManifestThatIsNotYamlOrNotAnObjectFailsBuildBeforeAnythingStarts() throws Exception {
        Path broken = Files.writeString(dir.resolve("broken.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\n"
                + "kind: [unclosed\n");
        assertThatThrownBy(() -> Cluster.builder().name("x").directory(dir.resolve("x")).mode(Mode.CONTROL_PLANE)
                .manifests(broken).build())
                .isInstanceOf(PolykubeException.class)
                .hasMessageContaining("manifest " + broken + ", document 2 is not valid YAML");
        Path noKind = Files.writeString(dir.resolve("nokind.yaml"), "metadata:\n  name: a\n");
        assertThatThrownBy(() -> Cluster.builder().name("x").directory(dir.resolve("x")).mode(Mode.CONTROL_PLANE)
                .manifests(noKind).build())
                .hasMessageContaining("manifest " + noKind + ", document 1 is not a Kubernetes object");
        assertThatThrownBy(() -> Cluster.builder().name("x").directory(dir.resolve("x")).mode(Mode.CONTROL_PLANE)
                .manifests(dir.resolve("missing.yaml")).build())
                .hasMessageContaining("manifest " + dir.resolve("missing.yaml") + " cannot be read");
        assertThat(dir.resolve("x")).doesNotExist();
    }

}
