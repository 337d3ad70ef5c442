package io.polykube.runtime.binaries;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Progress of a {@code go build -v} from its real output: {@code go-build-v-pause.txt} and {@code go-list-deps-pause.txt} are
 * what Go 1.26 printed for polykube's pause program with an empty GOCACHE (63 stale packages, 63 compiled).
 */
class GoBuildProgressTest {

    @Test
    void countsThePackagesGoBuildReportsAgainstTheStaleOnesGoListFound() throws IOException {
        Set<String> stale = GoBuildOutput.parseList(resource("go-list-deps-pause.txt"));
        assertThat(stale).hasSize(63).contains("runtime", "fmt", "polykube.local/pause");
        List<String> lines = resource("go-build-v-pause.txt").lines().toList();
        GoBuildOutput output = new GoBuildOutput(stale);

        lines.subList(0, 21).forEach(output::line);
        Progress third = output.progress(Duration.ofSeconds(6));
        assertThat(third.done()).isEqualTo(21);
        assertThat(third.total()).isEqualTo(63);
        assertThat(third.remaining()).contains(Duration.ofSeconds(12)); // 6 s for 21, 42 to go
        assertThat(third.describe()).isEqualTo("21/63 packages (33%), 6.0 s elapsed, about 12.0 s left");

        lines.subList(21, lines.size()).forEach(output::line);
        lines.forEach(output::line); // a package printed twice counts once
        Progress done = output.progress(Duration.ofSeconds(17));
        assertThat(done.done()).isEqualTo(63);
        assertThat(done.remaining()).contains(Duration.ZERO);
    }

    @Test
    void ignoresLinesThatAreNotPackagesAndPackagesOutsideTheList() {
        GoBuildOutput output = new GoBuildOutput(Set.of("fmt", "k8s.io/kubernetes/cmd/kubelet"));
        output.line("go: downloading k8s.io/api v0.34.4");
        output.line("# k8s.io/kubernetes/cmd/kubelet");
        output.line("./main.go:3:2: undefined: x");
        output.line("");
        output.line("os");                  // cached in the real build: not in the stale list
        output.line("fmt");
        output.line("k8s.io/kubernetes/cmd/kubelet");
        assertThat(output.built()).isEqualTo(2);
    }

    @Test
    void withoutATotalItCountsAndDoesNotEstimate() {
        GoBuildOutput output = new GoBuildOutput(Set.of());
        output.line("internal/goarch");
        output.line("go: downloading x v1");
        Progress p = output.progress(Duration.ofSeconds(20));
        assertThat(p.remaining()).isEmpty();
        assertThat(p.describe()).isEqualTo("1 packages, 20.0 s elapsed, estimating what is left");
    }

    @Test
    void longEstimatesAreInMinutesRoundedUpToTenSeconds() {
        Progress p = new Progress(812, 2301, "packages", Duration.ofSeconds(190));
        assertThat(p.describe()).isEqualTo("812/2301 packages (35%), 3 min 10 s elapsed, about 5 min 50 s left");
        assertThat(new Progress(0, 2301, "packages", Duration.ofSeconds(15)).describe())
                .isEqualTo("0/2301 packages (0%), 15.0 s elapsed, estimating what is left");
        assertThatThrownBy(() -> new Progress(-1, 3, "x", Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aTerminalGetsOneRewrittenLineCiGetsPlainLines() {
        ByteArrayOutputStream terminal = new ByteArrayOutputStream();
        ProgressListener live = ProgressListener.printingTo(new PrintStream(terminal, true, StandardCharsets.UTF_8), "[p] ", true);
        live.started("go build");
        live.progress("go build", new Progress(1, 4, "packages", Duration.ofSeconds(1)));
        live.progress("go build", new Progress(2, 4, "packages", Duration.ofSeconds(2)));
        live.finished("go build", Duration.ofSeconds(4));
        assertThat(terminal.toString(StandardCharsets.UTF_8)).isEqualTo("[p] go build ...\n"
                + "\r\033[K[p] 1/4 packages (25%), 1.0 s elapsed, about 3.0 s left"
                + "\r\033[K[p] 2/4 packages (50%), 2.0 s elapsed, about 2.0 s left\n"
                + "[p] go build: done in 4.0 s\n");

        ByteArrayOutputStream ci = new ByteArrayOutputStream();
        ProgressListener plain = ProgressListener.printingTo(new PrintStream(ci, true, StandardCharsets.UTF_8), "[p] ", false);
        plain.progress("go build", new Progress(1, 4, "packages", Duration.ofSeconds(1)));
        plain.progress("go build", new Progress(2, 4, "packages", Duration.ofSeconds(2)));
        assertThat(ci.toString(StandardCharsets.UTF_8)).isEqualTo("[p] 1/4 packages (25%), 1.0 s elapsed, about 3.0 s left\n"
                + "[p] 2/4 packages (50%), 2.0 s elapsed, about 2.0 s left\n");
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = GoBuildProgressTest.class.getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
