package io.polykube.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** Help and usage errors of {@code ./polykube bench}: nothing is measured, no binaries needed. */
class BenchMainTest {

    @Test
    void helpNamesTheVerbAndItsOptions() {
        for (String flag : List.of("--help", "-h")) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int code = BenchMain.run(new PrintWriter(out), new PrintWriter(err), flag);
            assertThat(code).as(flag + ": " + err).isZero();
            assertThat(out.toString()).contains("Usage: polykube bench").contains("--runs").contains("--audit-only")
                    .contains("--start-only").contains("--nodes-only").contains("--control-plane-only")
                    .contains("--versions-only").contains("--reset-only").contains("--webhooks-only").contains("--resets").contains("--endurance")
                    .contains("--cycles").contains("--full-cycles").contains("--endurance-resets").contains("--pods")
                    .contains("--pods-per-node").contains("--kills").contains("--load-seconds").contains("--pods-only")
                    .contains("--kills-only");
            assertThat(err.toString()).isEmpty();
        }
    }

    @Test
    void acceptsVersionAsEveryVerbDoes() {
        StringWriter out = new StringWriter();
        BenchMain.run(new PrintWriter(out), new PrintWriter(new StringWriter()), "--help");
        assertThat(out.toString()).contains("-V, --version");
        CommandLine bench = BenchMain.commandLine();
        assertThat(bench.getCommandSpec().optionsMap()).containsKeys("-V", "--version");
        assertThat(bench.getCommandSpec().versionProvider()).as("the command line's version report").isNotNull();
    }

    @Test
    void percentilesAreNearestRank() {
        List<Long> hundred = new java.util.ArrayList<>();
        for (long i = 1; i <= 100; i++) {
            hundred.add(i);
        }
        assertThat(BenchCommand.percentile(hundred, 50)).isEqualTo(50);
        assertThat(BenchCommand.percentile(hundred, 90)).isEqualTo(90);
        assertThat(BenchCommand.percentile(hundred, 99)).isEqualTo(99);
        assertThat(BenchCommand.percentile(List.of(7L), 99)).isEqualTo(7);
    }

    /** A count of zero is a usage error (exit 2) that names the option, before any cluster starts. */
    @ParameterizedTest(name = "{0} {1} 0")
    @CsvSource(delimiter = '|', value = {
        "--reset-only | --resets   | --resets must be at least 1, got 0",
        "--endurance  | --cycles   | --cycles, --full-cycles, --endurance-resets, --pods, --pods-per-node, --kills and --load-seconds must each be at least 1",
        "--pods-only  | --pods     | --pods and --pods-per-node must each be at least 1",
        "--kills-only | --kills    | --kills must be at least 1",
    })
    void aZeroCountIsAUsageError(String verb, String option, String message) {
        StringWriter err = new StringWriter();
        int code = BenchMain.run(new PrintWriter(new StringWriter()), new PrintWriter(err), verb, option, "0");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains(message);
    }

    @Test
    void anUnknownOptionIsAUsageError() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = BenchMain.run(new PrintWriter(out), new PrintWriter(err), "--bogus");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("Unknown option: '--bogus'").contains("[polykube] see: polykube bench --help");
        assertThat(out.toString()).isEmpty();
    }
}
