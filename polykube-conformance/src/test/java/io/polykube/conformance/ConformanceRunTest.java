package io.polykube.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.polykube.api.spec.ClusterSpec;
import io.polykube.api.spec.Mode;
import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConformanceRunTest {
    private static final Path E2E = Path.of("/cache/e2e.test");
    private static final Path GINKGO = Path.of("/cache/ginkgo");
    private static final Path KUBECTL = Path.of("/cache/kubectl");
    private static final Path KUBECONFIG = Path.of("/c/admin.kubeconfig");
    private static final Path DIR = Path.of("/c/conformance");
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    private static ClusterSpec full() {
        return ClusterSpec.builder().name("conf").directory(Path.of("/tmp/polykube-conf-unit")).mode(Mode.FULL).build();
    }

    private static ConformanceRun run(String skip, int parallel) {
        return new ConformanceRun(full(), "\\[Conformance\\]", skip, Path.of("/bin/busybox"), parallel, Duration.ZERO, QUIET);
    }

    @Test
    void oneProcessRunsE2eTestWithGinkgoFlagsOfItsOwn() {
        List<String> command = run("\\[Serial\\]", 1).suiteCommand(null, E2E, KUBECTL, KUBECONFIG, DIR);

        assertThat(command).containsExactly("/cache/e2e.test", "--ginkgo.focus=\\[Conformance\\]", "--ginkgo.skip=\\[Serial\\]",
                "--ginkgo.timeout=24h", "--ginkgo.no-color", "--provider=skeleton", "--kubeconfig=/c/admin.kubeconfig",
                "--kubectl-path=/cache/kubectl", "--report-dir=/c/conformance", "--e2e-output-dir=/c/conformance",
                "--disable-log-dump");
    }

    @Test
    void moreProcessesRunE2eTestUnderTheGinkgoCommandLine() {
        List<String> command = run("", 4).suiteCommand(GINKGO, E2E, KUBECTL, KUBECONFIG, DIR);

        assertThat(command).containsExactly("/cache/ginkgo", "--nodes=4", "--focus=\\[Conformance\\]", "--timeout=24h",
                "--no-color", "/cache/e2e.test", "--", "--provider=skeleton", "--kubeconfig=/c/admin.kubeconfig",
                "--kubectl-path=/cache/kubectl", "--report-dir=/c/conformance", "--e2e-output-dir=/c/conformance",
                "--disable-log-dump");
    }

    @Test
    void refusesAProcessCountOutOfRange() {
        assertThatThrownBy(() -> run("", 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("parallel 0 is out of range").hasMessageContaining("1 to 16");
        assertThatThrownBy(() -> run("", 17)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("parallel 17 is out of range");
    }

    @Test
    void theGuardsCountersAreReportedPerRuleAsTheirGrowthDuringTheRun() {
        Map<String, Long> before = new LinkedHashMap<>();
        before.put("untranslated service address", 2L);
        before.put("pod traffic leaving the host", 0L);
        Map<String, Long> after = new LinkedHashMap<>();
        after.put("untranslated service address", 34L);
        after.put("pod traffic leaving the host", 0L);

        assertThat(ConformanceRun.rejectedDuring(before, after))
                .isEqualTo("32 packets (untranslated service address 32, pod traffic leaving the host 0)");
    }

    @Test
    void refusesAControlPlaneCluster() {
        ClusterSpec controlPlane = ClusterSpec.builder().name("conf").directory(Path.of("/tmp/polykube-conf-unit"))
                .mode(Mode.CONTROL_PLANE).build();
        assertThatThrownBy(() -> new ConformanceRun(controlPlane, "x", "", Path.of("/bin/busybox"), 1, Duration.ZERO, QUIET))
                .hasMessageContaining("must be in mode FULL");
    }

    @Test
    void theAggregatorTestIsSelectedByItsNameWithOrWithoutLinuxOnly() {
        List<String> test = ConformanceRun.SAMPLE_API_SERVER_TEST;
        // 1.35 on: "... using the current Aggregator [LinuxOnly] [Conformance]"
        assertThat(ConformanceRun.selectsAny("current Aggregator \\[LinuxOnly\\]", "", test)).isTrue();
        // up to 1.34: "... using the current Aggregator [Conformance]"
        assertThat(ConformanceRun.selectsAny("current Aggregator \\[Conformance\\]", "", test)).isTrue();
        // a skip of [LinuxOnly] leaves the test of 1.34 and before: build the image, lest it be missing
        assertThat(ConformanceRun.selectsAny(ConformanceRun.DEFAULT_FOCUS, "\\[LinuxOnly\\]", test)).isTrue();
        assertThat(ConformanceRun.selectsAny(ConformanceRun.DEFAULT_FOCUS, "Aggregator", test)).isFalse();
    }

    @Test
    void e2eTestRunsWithTheKubeconfigAndWithoutTheVariablesThatRenameItsImages() {
        Map<String, String> env = new HashMap<>(Map.of("PATH", "/usr/bin", "KUBE_TEST_REPO_LIST", "/tmp/repos.yaml",
                "KUBE_TEST_REPO", "my.registry", "KUBECONFIG", "/other"));
        assertThat(ConformanceRun.suiteEnvironment(env, KUBECONFIG)).containsExactly("KUBE_TEST_REPO_LIST", "KUBE_TEST_REPO");
        assertThat(env).containsOnly(Map.entry("PATH", "/usr/bin"), Map.entry("KUBECONFIG", "/c/admin.kubeconfig"));
        assertThat(ConformanceRun.suiteEnvironment(env, KUBECONFIG)).isEmpty();
    }
}
