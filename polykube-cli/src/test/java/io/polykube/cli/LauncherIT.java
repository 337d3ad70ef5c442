package io.polykube.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The bash launcher {@code ./polykube}: its own verbs answer --help without doing their work; usage errors exit 2. */
class LauncherIT {
    private static final Path LAUNCHER = Path.of("..", "polykube").toAbsolutePath().normalize();

    record Result(int exitCode, String out, String err) {
    }

    private static Result run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", LAUNCHER.toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile("launcher", ".out");
        Path err = Files.createTempFile("launcher", ".err");
        try {
            Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("%s ends within 30 s", command).isTrue();
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    @Test
    void helpListsEveryVerbAndExitCodes() throws Exception {
        assertThat(LAUNCHER).isRegularFile();
        for (String help : List.of("--help", "-h", "help")) {
            Result r = run(help);
            assertThat(r.exitCode()).as(help).isZero();
            assertThat(r.out()).contains("usage: ./polykube COMMAND").contains("  list ").contains("  delete ")
                    .contains("  export-logs ").contains("  completion ").contains("Exit codes: 0 done, 1 failed, 2 bad usage");
        }
    }

    @Test
    void itsOwnVerbsAnswerHelpWithoutRunning() throws Exception {
        for (String verb : List.of("setup", "test", "unit")) {
            Result r = run(verb, "--help");
            assertThat(r.exitCode()).as(verb).isZero();
            assertThat(r.out()).as(verb).startsWith("  " + verb + " ").doesNotContain("[polykube]");
        }
    }

    @Test
    void anUnknownVerbIsAUsageError() throws Exception {
        Result r = run("sideways");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("unknown command 'sideways'");
        assertThat(r.out()).isEmpty();
    }
}
