package io.polykube.api.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.polykube.api.Cluster;
import io.polykube.api.spec.ClusterSpec;
import io.polykube.api.spec.Mode;
import io.polykube.testing.Await;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Test classes the extension's integration tests run through the JUnit Platform's EngineTestKit. Static nested classes,
 * so neither failsafe nor Jupiter runs them on their own. They record what they saw in {@link #SEEN}.
 */
final class Fixtures {
    /** Test class name -> the cluster directory it was given. */
    static final Map<String, Path> SEEN = new ConcurrentHashMap<>();
    /** Namespace names the per-test namespace fixtures were given, in order. */
    static final List<String> NAMESPACES = new CopyOnWriteArrayList<>();
    /** Namespaces of failed tests, which the extension keeps. */
    static final List<String> KEPT_NAMESPACES = new CopyOnWriteArrayList<>();

    private Fixtures() {
    }

    static void reset() {
        SEEN.clear();
        NAMESPACES.clear();
        KEPT_NAMESPACES.clear();
    }

    // ------------------------------------------------------------------ injection

    @WithPolykube(namespacePerTest = true)
    @TestMethodOrder(MethodOrderer.MethodName.class)
    @OnlyInEngineRuns.Fixture
    static class AllInjections {
        @Polykube static Cluster staticCluster;
        @Polykube static KubernetesClient staticClient;
        @PolykubeKubeconfig static Path staticKubeconfig;
        static Cluster fromBeforeAll;

        @Polykube Cluster cluster;
        @Polykube private KubernetesClient client;
        @Polykube TestNamespace namespace;
        @Polykube Namespace namespaceModel;
        @PolykubeKubeconfig Path kubeconfig;
        @PolykubeKubeconfig String kubeconfigYaml;
        @PolykubeKubeconfig(user = "alice", groups = "dev") Path alice;

        private final Cluster fromConstructor;
        private TestNamespace fromBeforeEach;

        AllInjections(Cluster cluster, KubernetesClient client) {
            assertThat(client).isSameAs(cluster.client());
            this.fromConstructor = cluster;
        }

        @BeforeAll
        static void beforeAll(Cluster cluster, @PolykubeKubeconfig Path kubeconfig) {
            assertThat(kubeconfig).isEqualTo(cluster.kubeconfig());
            fromBeforeAll = cluster;
        }

        @BeforeEach
        void beforeEach(TestNamespace namespace) {
            fromBeforeEach = namespace;
        }

        @Test
        void a_fields() throws Exception {
            SEEN.put(getClass().getSimpleName(), cluster.directory());
            assertThat(cluster).isSameAs(staticCluster).isSameAs(fromConstructor).isSameAs(fromBeforeAll);
            assertThat(cluster.state()).isEqualTo(Cluster.State.RUNNING);
            assertThat(client).isSameAs(staticClient).isSameAs(cluster.client());
            assertThat(kubeconfig).isEqualTo(staticKubeconfig).isEqualTo(cluster.kubeconfig());
            assertThat(kubeconfigYaml).isEqualTo(Files.readString(kubeconfig)).contains(cluster.apiServerUrl().toString());
            assertThat(alice).isNotEqualTo(kubeconfig).isRegularFile();
            assertThat(Files.readString(alice)).contains("alice");
            assertNamespace();
        }

        @Test
        void b_parameters(Cluster cluster, KubernetesClient client, TestNamespace namespace, Namespace model,
                @PolykubeKubeconfig Path kubeconfig, @PolykubeKubeconfig String yaml,
                @PolykubeKubeconfig(user = "bob") Path bob) throws Exception {
            assertThat(cluster).isSameAs(this.cluster);
            assertThat(client).isSameAs(this.client);
            assertThat(namespace).isSameAs(this.namespace);
            assertThat(model.getMetadata().getName()).isEqualTo(namespace.name());
            assertThat(kubeconfig).isEqualTo(this.kubeconfig);
            assertThat(yaml).isEqualTo(kubeconfigYaml);
            assertThat(Files.readString(bob)).contains("bob");
            assertNamespace();
        }

        private void assertNamespace() {
            NAMESPACES.add(namespace.name());
            assertThat(fromBeforeEach).isSameAs(namespace);
            assertThat(namespaceModel.getMetadata().getName()).isEqualTo(namespace.name());
            assertThat(client.namespaces().withName(namespace.name()).get()).isNotNull();
            assertThat(namespace.client().getNamespace()).isEqualTo(namespace.name());
            // Same name in every test: no clash, each test has its own namespace.
            namespace.client().configMaps().resource(new ConfigMapBuilder().withNewMetadata().withName("same").endMetadata()
                    .addToData("test", namespace.name()).build()).create();
            assertThat(client.configMaps().inNamespace(namespace.name()).withName("same").get().getData())
                    .containsEntry("test", namespace.name());
        }
    }

    // ------------------------------------------------------------------ per-test namespaces

    @WithPolykube(namespacePerTest = true)
    @Order(1)
    @TestMethodOrder(MethodOrderer.MethodName.class)
    @OnlyInEngineRuns.Fixture
    static class NamespacePerTest {
        @Polykube TestNamespace namespace;
        @Polykube KubernetesClient client;

        @Test
        void a_first() {
            useNamespace();
        }

        @Test
        void b_second() {
            useNamespace();
            String previous = NAMESPACES.get(0);
            var earlier = client.namespaces().withName(previous).get();
            assertThat(earlier == null || earlier.getMetadata().getDeletionTimestamp() != null)
                    .as("namespace %s of the first test is deleted or being deleted", previous).isTrue();
        }

        @ParameterizedTest
        @ValueSource(ints = {1, 2})
        void c_template(int invocation) {
            useNamespace();
        }

        private void useNamespace() {
            NAMESPACES.add(namespace.name());
            assertThat(namespace.name()).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?").hasSizeLessThanOrEqualTo(63);
            // The same name in every test, no clash: each test has its own namespace, and sees only its own objects.
            namespace.client().configMaps().resource(new ConfigMapBuilder().withNewMetadata().withName("same").endMetadata()
                    .build()).create();
            assertThat(namespace.client().configMaps().list().getItems()).extracting(cm -> cm.getMetadata().getName())
                    .contains("same").allMatch(n -> n.equals("same") || n.equals("kube-root-ca.crt"));
        }
    }

    @WithPolykube(namespacePerTest = true)
    @Order(1)
    @OnlyInEngineRuns.Fixture
    static class FailingWithNamespace {
        @Test
        void failsInItsNamespace(TestNamespace namespace) {
            KEPT_NAMESPACES.add(namespace.name());
            assertThat(namespace.name()).as("a test that fails on purpose").isEmpty();
        }
    }

    /** Runs after {@link NamespacePerTest}, on the same cluster: its namespaces go away (controllers run). */
    @WithPolykube
    @Order(2)
    @OnlyInEngineRuns.Fixture
    static class NamespacesGone {
        @Test
        void allGone(KubernetesClient client) {
            assertThat(NAMESPACES).hasSize(4).doesNotHaveDuplicates();
            for (String name : NAMESPACES) {
                Await.until("namespace " + name + " to be gone after its deletion", java.time.Duration.ofSeconds(60), () -> {
                    Namespace ns = client.namespaces().withName(name).get();
                    if (ns != null) {
                        assertThat(ns.getMetadata().getDeletionTimestamp()).as("namespace %s is being deleted", name)
                                .isNotNull();
                    }
                    return ns == null;
                });
            }
            for (String kept : KEPT_NAMESPACES) {
                Namespace ns = client.namespaces().withName(kept).get();
                assertThat(ns).as("namespace %s of a failed test", kept).isNotNull();
                assertThat(ns.getMetadata().getDeletionTimestamp()).isNull();
            }
        }
    }

    // ------------------------------------------------------------------ reset

    /** Leaves a config map in the shared cluster; {@link ResetPerClass} runs after it and must not see it. */
    @WithPolykube
    @Order(1)
    @OnlyInEngineRuns.Fixture
    static class LeavesObjects {
        @Test
        void leaves(KubernetesClient client) {
            client.configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata().withName("left-by-a-class")
                    .endMetadata().build()).create();
        }
    }

    @WithPolykube(reset = Reset.PER_CLASS, namespacePerTest = true)
    @Order(2)
    @OnlyInEngineRuns.Fixture
    static class ResetPerClass {
        @Test
        void startsClean(KubernetesClient client, TestNamespace namespace) {
            assertThat(client.configMaps().inNamespace("default").withName("left-by-a-class").get()).isNull();
            assertThat(client.namespaces().withName(namespace.name()).get()).as("per-test namespaces still work").isNotNull();
        }
    }

    @WithPolykube(reset = Reset.PER_METHOD, freshCluster = true, manifests = "classpath:manifests/widgets.yaml")
    @TestMethodOrder(MethodOrderer.MethodName.class)
    @OnlyInEngineRuns.Fixture
    static class ResetPerMethod {
        @Polykube KubernetesClient client;

        @Test
        void a_leaves() {
            client.configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata().withName("left-by-a-test")
                    .endMetadata().build()).create();
        }

        @Test
        void b_startsClean() {
            assertThat(client.configMaps().inNamespace("default").withName("left-by-a-test").get()).isNull();
            assertThat(client.apiextensions().v1().customResourceDefinitions().withName("widgets.polykube.test").get())
                    .as("the CRD from the manifests survives the reset").isNotNull();
        }
    }

    @WithPolykube(manifests = "classpath:manifests/missing.yaml")
    @OnlyInEngineRuns.Fixture
    static class MissingManifest {
        @Test
        void test(KubernetesClient client) {
        }
    }

    // ------------------------------------------------------------------ sharing

    @OnlyInEngineRuns.Fixture
    abstract static class Recording {
        @Polykube Cluster cluster;

        @Test
        void records() {
            SEEN.put(getClass().getSimpleName(), cluster.directory());
            assertThat(cluster.client().namespaces().withName("default").get()).isNotNull();
        }
    }

    @WithPolykube
    @OnlyInEngineRuns.Fixture
    static class SharedA extends Recording {
    }

    @WithPolykube
    @OnlyInEngineRuns.Fixture
    static class SharedB extends Recording {
    }

    @WithPolykube(keepDirectory = KeepDirectory.ON_FAILURE, onUnsuitableHost = OnUnsuitableHost.FAIL)
    @OnlyInEngineRuns.Fixture
    static class SharedC extends Recording {
    }

    /** Inherits @WithPolykube from its superclass. */
    @OnlyInEngineRuns.Fixture
    static class InheritedChild extends SharedA {
    }

    @Target(ElementType.TYPE)
    @Retention(RetentionPolicy.RUNTIME)
    @WithPolykube(mode = Mode.CONTROL_PLANE)
    @interface OurClusterTest {
    }

    @OurClusterTest
    @OnlyInEngineRuns.Fixture
    static class MetaAnnotated extends Recording {
    }

    @WithPolykube
    @OnlyInEngineRuns.Fixture
    static class WithNested {
        @Polykube Cluster outer;

        @Nested
        class Inner {
            @Polykube Cluster inner;

            @Test
            void sameCluster() {
                SEEN.put("WithNested.Inner", inner.directory());
                assertThat(inner).isSameAs(outer);
            }
        }
    }

    /** A different spec: gets its own cluster. */
    @OnlyInEngineRuns.Fixture
    public static class AuditFlag implements PolykubeConfigurer {
        @Override
        public void configure(ClusterSpec.Builder<?> cluster) {
            cluster.apiServer(a -> a.flag("event-ttl", "2h"));
        }
    }

    @WithPolykube(configurer = AuditFlag.class)
    @OnlyInEngineRuns.Fixture
    static class OtherSpec extends Recording {
    }

    // ------------------------------------------------------------------ misuse

    @WithPolykube
    @OnlyInEngineRuns.Fixture
    static class FinalField {
        @Polykube final KubernetesClient client = null;

        @Test
        void test() {
        }
    }

    @WithPolykube
    @OnlyInEngineRuns.Fixture
    static class WrongFieldType {
        @Polykube Map<String, String> client;

        @Test
        void test() {
        }
    }

    @WithPolykube
    @OnlyInEngineRuns.Fixture
    static class PathWithoutKubeconfigAnnotation {
        @Polykube Path kubeconfig;

        @Test
        void test() {
        }
    }

    @WithPolykube
    @OnlyInEngineRuns.Fixture
    static class KubeconfigWrongType {
        @PolykubeKubeconfig Integer kubeconfig;

        @Test
        void test() {
        }
    }

    @WithPolykube(namespacePerTest = true)
    @OnlyInEngineRuns.Fixture
    static class StaticNamespace {
        @Polykube static TestNamespace namespace;

        @Test
        void test() {
        }
    }

    @WithPolykube
    @OnlyInEngineRuns.Fixture
    static class NamespaceWithoutFlag {
        @Polykube TestNamespace namespace;

        @Test
        void test() {
        }
    }

    @WithPolykube
    @OnlyInEngineRuns.Fixture
    static class ParameterErrors {
        @Test
        void namespaceWithoutFlag(TestNamespace namespace) {
        }

        @Test
        void kubeconfigAsInteger(@PolykubeKubeconfig Integer kubeconfig) {
        }

        @Test
        void fine(KubernetesClient client) {
            assertThat(client.namespaces().list().getItems()).isNotEmpty();
        }
    }

    @WithPolykube(namespacePerTest = true)
    @OnlyInEngineRuns.Fixture
    static class NamespaceInBeforeAll {
        @BeforeAll
        static void beforeAll(TestNamespace namespace) {
        }

        @Test
        void test() {
        }
    }

    /** Not a configurer anyone can create. */
    @OnlyInEngineRuns.Fixture
    public static class NoDefaultConstructor implements PolykubeConfigurer {
        NoDefaultConstructor(String ignored) {
        }

        @Override
        public void configure(ClusterSpec.Builder<?> cluster) {
        }
    }

    @WithPolykube(configurer = NoDefaultConstructor.class)
    @OnlyInEngineRuns.Fixture
    static class BadConfigurer {
        @Test
        void test() {
        }
    }

    @WithPolykube(reuse = true, freshCluster = true)
    @OnlyInEngineRuns.Fixture
    static class ReuseAndFresh {
        @Test
        void test() {
        }
    }

    // ------------------------------------------------------------------ directories

    @WithPolykube
    @OnlyInEngineRuns.Fixture
    static class Passing extends Recording {
    }

    @WithPolykube
    @OnlyInEngineRuns.Fixture
    static class Failing extends Recording {
        @Test
        void fails() {
            assertThat(1 + 1).as("a test that fails on purpose").isEqualTo(3);
        }
    }

    @WithPolykube(freshCluster = true)
    @OnlyInEngineRuns.Fixture
    static class FreshPassing extends Recording {
    }

    @WithPolykube(freshCluster = true, keepDirectory = KeepDirectory.ALWAYS)
    @OnlyInEngineRuns.Fixture
    static class FreshAlwaysKept extends Recording {
    }

    @WithPolykube(freshCluster = true, keepDirectory = KeepDirectory.NEVER, exportLogsOnFailure = true)
    @OnlyInEngineRuns.Fixture
    static class FreshFailingNeverKept extends Failing {
    }

    // ------------------------------------------------------------------ unsuitable hosts: binaries missing

    @WithPolykube(version = "1.34.99")
    @OnlyInEngineRuns.Fixture
    static class MissingBinariesFail {
        @Test
        void test(KubernetesClient client) {
        }
    }

    @WithPolykube(version = "1.34.99", onUnsuitableHost = OnUnsuitableHost.SKIP)
    @OnlyInEngineRuns.Fixture
    static class MissingBinariesSkip {
        @Test
        void test(KubernetesClient client) {
        }
    }

    // ------------------------------------------------------------------ unsuitable hosts (run as a non-root user)

    @WithPolykube(mode = Mode.FULL)
    @OnlyInEngineRuns.Fixture
    static class FullFails {
        @Test
        void test(KubernetesClient client) {
        }
    }

    @WithPolykube(mode = Mode.FULL, onUnsuitableHost = OnUnsuitableHost.SKIP)
    @OnlyInEngineRuns.Fixture
    static class FullSkips {
        @Test
        void test(KubernetesClient client) {
        }
    }
}
