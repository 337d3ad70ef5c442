package io.polykube.api.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** Wrong injections are refused with a message that says what to write instead. */
class WithPolykubeMisuseIT {
    @TempDir
    Path clusters;

    @Test
    void wrongFieldsFailTheClassBeforeAnyClusterStarts() {
        EngineExecutionResults results = EngineRuns.run(clusters, false, Fixtures.FinalField.class,
                Fixtures.WrongFieldType.class, Fixtures.PathWithoutKubeconfigAnnotation.class,
                Fixtures.KubeconfigWrongType.class, Fixtures.StaticNamespace.class, Fixtures.NamespaceWithoutFlag.class,
                Fixtures.BadConfigurer.class, Fixtures.ReuseAndFresh.class);

        assertThat(EngineRuns.starts(results)).isEmpty();
        results.testEvents().assertStatistics(s -> s.started(0));
        assertThat(EngineRuns.failureOf(results, "FinalField"))
                .isEqualTo("@Polykube field 'FinalField.client' must not be final: remove 'final', the extension assigns it "
                        + "before the tests run");
        assertThat(EngineRuns.failureOf(results, "WrongFieldType"))
                .startsWith("@Polykube field 'WrongFieldType.client' has type java.util.Map, which the extension cannot "
                        + "provide: use Cluster, KubernetesClient, TestNamespace");
        assertThat(EngineRuns.failureOf(results, "PathWithoutKubeconfigAnnotation"))
                .isEqualTo("@Polykube field 'PathWithoutKubeconfigAnnotation.kubeconfig' has type Path: for the kubeconfig "
                        + "write @PolykubeKubeconfig Path kubeconfig (the file)");
        assertThat(EngineRuns.failureOf(results, "KubeconfigWrongType"))
                .isEqualTo("@PolykubeKubeconfig field 'KubeconfigWrongType.kubeconfig' has type java.lang.Integer: use Path "
                        + "(the kubeconfig file) or String (its YAML)");
        assertThat(EngineRuns.failureOf(results, "StaticNamespace"))
                .isEqualTo("@Polykube field 'StaticNamespace.namespace' is static, but the per-test namespace changes with "
                        + "every test: make it an instance field, or take it as a test method parameter");
        assertThat(EngineRuns.failureOf(results, "NamespaceWithoutFlag"))
                .isEqualTo("field 'NamespaceWithoutFlag.namespace' asks for the per-test namespace, but @WithPolykube on "
                        + "NamespaceWithoutFlag does not create one: write @WithPolykube(namespacePerTest = true)");
        assertThat(EngineRuns.failureOf(results, "BadConfigurer"))
                .contains("NoDefaultConstructor has no no-argument constructor; give it a no-argument constructor");
        assertThat(EngineRuns.failureOf(results, "ReuseAndFresh"))
                .isEqualTo("@WithPolykube(reuse = true) on io.polykube.api.junit.Fixtures$ReuseAndFresh cannot go with "
                        + "freshCluster = true (a cluster of its own); drop one of them");
    }

    @Test
    void wrongParametersFailTheirTestWithTheFix() {
        EngineExecutionResults results = EngineRuns.run(clusters, false, Fixtures.ParameterErrors.class,
                Fixtures.NamespaceInBeforeAll.class);

        assertThat(EngineRuns.starts(results)).hasSize(1);
        assertThat(EngineRuns.failureOf(results, "namespaceWithoutFlag(TestNamespace)"))
                .contains("parameter 0 (TestNamespace) of ParameterErrors.namespaceWithoutFlag() asks for the per-test "
                        + "namespace, but @WithPolykube on ParameterErrors does not create one: write "
                        + "@WithPolykube(namespacePerTest = true)");
        assertThat(EngineRuns.failureOf(results, "kubeconfigAsInteger(Integer)"))
                .contains("@PolykubeKubeconfig parameter 0 (Integer) of ParameterErrors.kubeconfigAsInteger() has type "
                        + "java.lang.Integer: use Path (the kubeconfig file) or String (its YAML)");
        assertThat(EngineRuns.failureOf(results, "NamespaceInBeforeAll"))
                .contains("parameter 0 (TestNamespace) of NamespaceInBeforeAll.beforeAll() asks for the per-test namespace, "
                        + "which exists only around each test: take it in a @Test, @BeforeEach or @AfterEach method");
        results.testEvents().assertStatistics(s -> s.succeeded(1).failed(2));
    }

    @Test
    void missingBinariesFailWithTheFixOrSkipWhenAsked() {
        EngineExecutionResults results = EngineRuns.run(clusters, false, Fixtures.MissingBinariesFail.class,
                Fixtures.MissingBinariesSkip.class);

        assertThat(EngineRuns.starts(results)).isEmpty();
        results.testEvents().assertStatistics(s -> s.started(0));
        String failure = EngineRuns.failureOf(results, "MissingBinariesFail");
        assertThat(failure).startsWith("@WithPolykube could not start cluster 'pk-").contains("MissingBinariesFail",
                "cannot find its binaries", "1.34.99", "./polykube setup",
                "@WithPolykube(onUnsuitableHost = OnUnsuitableHost.SKIP)");
        assertThat(clusters).isEmptyDirectory(); // nothing started, no directory left
        assertThat(results.containerEvents().skipped().stream()
                .filter(e -> e.getTestDescriptor().getDisplayName().endsWith("MissingBinariesSkip"))
                .map(e -> e.getPayload(String.class).orElseThrow()))
                .singleElement().asString()
                .startsWith("polykube cannot run here (onUnsuitableHost = SKIP): polykube binaries for Kubernetes 1.34.99 are missing: ");
    }
}
