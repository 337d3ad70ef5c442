package io.polykube.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
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

    @Test
    void zeroResetsIsAUsageError() {
        StringWriter err = new StringWriter();
        int code = BenchMain.run(new PrintWriter(new StringWriter()), new PrintWriter(err), "--reset-only", "--resets", "0");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("--resets must be at least 1, got 0");
    }

    @Test
    void zeroEnduranceCyclesIsAUsageError() {
        StringWriter err = new StringWriter();
        int code = BenchMain.run(new PrintWriter(new StringWriter()), new PrintWriter(err), "--endurance", "--cycles", "0");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("--cycles, --full-cycles, --endurance-resets, --pods, --pods-per-node, --kills and --load-seconds must each be at least 1");
    }

    @Test
    void zeroKillsIsAUsageErrorBeforeAnyClusterStarts() {
        StringWriter err = new StringWriter();
        int code = BenchMain.run(new PrintWriter(new StringWriter()), new PrintWriter(err), "--kills-only", "--kills", "0");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("--kills must be at least 1");
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
