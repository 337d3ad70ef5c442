package io.polykube.api.junit;

import static io.polykube.api.faults.FaultAction.conflict;
import static io.polykube.api.faults.RequestMatcher.update;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.polykube.api.faults.Fault;
import io.polykube.api.faults.Faults;
import io.polykube.api.spec.Mode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.Event;

/**
 * The extension and faults: {@code Faults} injected, {@code @PolykubeKubeconfig(faults = true)} goes through the proxy while
 * the injected client stays direct, every rule is withdrawn after each test, and a failed test's failure lists the faults
 * it met.
 */
@WithPolykube
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WithPolykubeFaultsIT {
    private static final String NS = "default";

    @PolykubeKubeconfig(user = "operator", groups = "system:masters", faults = true)
    Path operatorKubeconfig;

    @Test
    @Order(1)
    void theOperatorsKubeconfigMeetsTheFaultsTheTestsClientDoesNot(Faults faults, KubernetesClient direct) throws Exception {
        direct.configMaps().inNamespace(NS).resource(configMap()).createOr(existing -> existing.update());
        faults.inject(Fault.on(update("configmaps").in(NS).named("faults-junit")).then(conflict()));
        try (KubernetesClient operator = client(operatorKubeconfig)) {
            assertThat(operator.getMasterUrl().toString()).startsWith(faults.url().toString());
            ConfigMap latest = operator.configMaps().inNamespace(NS).withName("faults-junit").get();
            assertThatThrownBy(() -> operator.configMaps().inNamespace(NS).resource(latest).update())
                    .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
        }
        ConfigMap latest = direct.configMaps().inNamespace(NS).withName("faults-junit").get();
        direct.configMaps().inNamespace(NS).resource(latest).update();
        assertThat(faults.log().entries()).singleElement().satisfies(e -> assertThat(e.request().user()).isEqualTo("operator"));
        // the rule stays in force: the extension withdraws it after this test
    }

    @Test
    @Order(2)
    void theNextTestStartsWithoutRules(Faults faults) throws Exception {
        assertThat(faults.injected()).isEmpty();
        assertThat(faults.log().isEmpty()).isTrue();
        try (KubernetesClient operator = client(operatorKubeconfig)) {
            ConfigMap latest = operator.configMaps().inNamespace(NS).withName("faults-junit").get();
            operator.configMaps().inNamespace(NS).resource(latest).update();
            operator.configMaps().inNamespace(NS).withName("faults-junit").delete();
        }
    }

    @Test
    @Order(3)
    void aFailedTestsFailureListsTheFaultsItMet(@TempDir Path clusters) {
        EngineExecutionResults results = EngineRuns.run(clusters, false, FailsAfterAConflict.class);

        Event failed = results.testEvents().failed().stream().findFirst()
                .orElseThrow(() -> new AssertionError("the fixture did not fail: " + EngineRuns.failures(results)));
        Throwable failure = failed.getPayload(TestExecutionResult.class).flatMap(TestExecutionResult::getThrowable).orElseThrow();
        assertThat(failure).isInstanceOf(KubernetesClientException.class);
        assertThat(failure.getSuppressed()).as("what the failure carries").singleElement().satisfies(met -> {
            assertThat(met.getMessage()).contains("the test met these injected faults")
                    .contains("update configmaps default/faults-fixture by operator");
            assertThat(met.getStackTrace()).isEmpty();
        });
        assertThat(results.allEvents().reportingEntryPublished().stream()
                .map(e -> e.getPayload(ReportEntry.class).orElseThrow().getKeyValuePairs())
                .filter(entry -> entry.containsKey(PolykubeExtension.REPORT_FAULTS)))
                .singleElement().satisfies(entry -> assertThat(entry.get(PolykubeExtension.REPORT_FAULTS))
                        .contains("update configmaps default/faults-fixture by operator"));
    }

    @OnlyInEngineRuns.Fixture
    @WithPolykube(mode = Mode.CONTROL_PLANE)
    static class FailsAfterAConflict {
        @Test
        void updatesOnce(Faults faults, KubernetesClient direct) {
            ConfigMap made = direct.configMaps().inNamespace(NS).resource(new ConfigMapBuilder()
                    .withNewMetadata().withName("faults-fixture").endMetadata().build()).create();
            faults.inject(Fault.on(update("configmaps").in(NS).named("faults-fixture")).then(conflict()));
            try (KubernetesClient operator = faults.client("operator", "system:masters")) {
                operator.configMaps().inNamespace(NS).resource(made).update(); // 409: the test fails here
            }
        }
    }

    /** A plain fabric8 client of the kubeconfig, as any tool builds one (the EC key is recognized by its SEC1 header). */
    private static KubernetesClient client(Path kubeconfig) throws Exception {
        Config config = Config.fromKubeconfig(null, Files.readString(kubeconfig), kubeconfig.toString());
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    private static ConfigMap configMap() {
        return new ConfigMapBuilder().withNewMetadata().withName("faults-junit").endMetadata().addToData("k", "v").build();
    }
}
