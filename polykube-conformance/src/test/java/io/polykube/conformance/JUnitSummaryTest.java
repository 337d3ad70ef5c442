package io.polykube.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.polykube.api.PolykubeException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JUnitSummaryTest {

    /** The shape of the report e2e.test writes (Ginkgo v2's JUnit reporter), abridged. */
    private static final String REPORT = """
            <?xml version="1.0" encoding="UTF-8"?>
            <testsuites tests="5" disabled="3" errors="0" failures="1" time="42.1">
              <testsuite name="Kubernetes e2e suite" package="/" tests="5" disabled="3" skipped="0" errors="0" failures="1">
                <testcase name="[SynchronizedBeforeSuite]" classname="Kubernetes e2e suite" status="passed" time="1.2"></testcase>
                <testcase name="[sig-storage] ConfigMap should be consumable from pods in volume [Conformance]"
                    classname="Kubernetes e2e suite" status="passed" time="8.1"></testcase>
                <testcase name="[sig-network] Services should serve a basic endpoint [Conformance]"
                    classname="Kubernetes e2e suite" status="failed" time="30.0">
                  <failure message="timed out" type="failed">boom</failure>
                </testcase>
                <testcase name="[sig-apps] Daemon set [Serial] should run [Conformance]" classname="Kubernetes e2e suite"
                    status="skipped" time="0"><skipped message="skipped"></skipped></testcase>
                <testcase name="[sig-node] Pods should be updated" classname="Kubernetes e2e suite" status="skipped" time="0">
                  <skipped message="skipped"></skipped></testcase>
                <testcase name="[SynchronizedAfterSuite]" classname="Kubernetes e2e suite" status="failed" time="0.1">
                  <failure message="x" type="failed">teardown</failure></testcase>
              </testsuite>
            </testsuites>
            """;

    @Test
    void countsPassedFailedSkippedAndSuiteNodesApart() {
        JUnitSummary s = JUnitSummary.parse(new ByteArrayInputStream(REPORT.getBytes(StandardCharsets.UTF_8)), "report");
        assertThat(s.passed()).isEqualTo(1);
        assertThat(s.failed()).isEqualTo(1);
        assertThat(s.skipped()).isEqualTo(2);
        assertThat(s.suiteFailures()).isEqualTo(1);
        assertThat(s.failedTests()).containsExactly("[sig-network] Services should serve a basic endpoint [Conformance]");
        assertThat(s).hasToString("passed 1, failed 1, skipped 2, suite setup/teardown failures 1");
    }

    @Test
    void aBrokenReportIsAClearError() {
        assertThatThrownBy(() -> JUnitSummary.parse(new ByteArrayInputStream("<testsuites>".getBytes(StandardCharsets.UTF_8)),
                "junit_01.xml")).isInstanceOf(PolykubeException.class).hasMessageContaining("junit_01.xml is not valid XML");
    }

    @Test
    void progressCountsSpecDenotersAndFailuresFromGinkgoOutput() {
        SuiteProgress p = new SuiteProgress();
        p.line("Will run 3 of 7145 specs");
        p.line("SSSSSS•SSS•");
        p.line("• [FAILED] [30.123 seconds]");
        assertThat(p.total()).isEqualTo(3);
        assertThat(p.done()).isEqualTo(3);
        assertThat(p.failed()).isEqualTo(1);
        assertThat(p.summary()).isEqualTo("3/3 tests done, 1 failed");
    }

    @Test
    void progressCountsAPassedSpecBeforeItsLineEnds() {
        SuiteProgress p = new SuiteProgress();
        p.line("Will run 2 of 10 specs");
        char[] chunk = "SS•S".toCharArray(); // a passed spec prints its denoter without a newline
        p.accept(chunk, chunk.length);
        assertThat(p.summary()).isEqualTo("1/2 tests done, 0 failed");
        char[] rest = "S\n• [FAI".toCharArray();
        p.accept(rest, rest.length);
        char[] end = "LED] [3.2 seconds]\n".toCharArray();
        p.accept(end, end.length);
        assertThat(p.summary()).isEqualTo("2/2 tests done, 1 failed");
    }
}
