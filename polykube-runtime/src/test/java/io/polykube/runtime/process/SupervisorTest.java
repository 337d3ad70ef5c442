package io.polykube.runtime.process;

import io.polykube.runtime.ProcessException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Validation that happens before anything is started. */
class SupervisorTest {
    private static final Path SLEEP = Path.of("/bin/sleep");

    @Test
    void rejectsACycleBeforeStartingAnything(@TempDir Path dir) {
        try (Supervisor supervisor = Supervisor.create(dir)) {
            List<ProcessSpec> specs = List.of(
                    ProcessSpec.builder("free").command(SLEEP, "30").build(),
                    ProcessSpec.builder("a").command(SLEEP, "30").dependsOn("b").build(),
                    ProcessSpec.builder("b").command(SLEEP, "30").dependsOn("a").build());

            assertThatThrownBy(() -> supervisor.start(specs))
                    .isInstanceOf(ProcessException.class)
                    .hasMessageContaining("Dependency cycle: a -> b -> a");
            assertThat(supervisor.processes()).isEmpty();
        }
    }

    @Test
    void rejectsUnknownDependencyAndDuplicateNames(@TempDir Path dir) {
        try (Supervisor supervisor = Supervisor.create(dir)) {
            assertThatThrownBy(() -> supervisor.start(List.of(ProcessSpec.builder("api").command(SLEEP, "1").dependsOn("etcd").build())))
                    .hasMessageContaining("'api' depends on 'etcd'");
            assertThatThrownBy(() -> supervisor.start(List.of(ProcessSpec.builder("a").command(SLEEP, "1").build(),
                    ProcessSpec.builder("a").command(SLEEP, "1").build())))
                    .hasMessageContaining("Process name 'a' is used twice");
            assertThat(supervisor.processes()).isEmpty();
        }
    }

    @Test
    void aRunDirectoryHasOneOwner(@TempDir Path dir) {
        try (Supervisor first = Supervisor.create(dir)) {
            assertThat(first.runDirectory()).isEqualTo(dir.toAbsolutePath());
            assertThatThrownBy(() -> Supervisor.create(dir))
                    .isInstanceOf(ProcessException.class)
                    .hasMessageContaining("is in use by another Supervisor in this JVM");
            assertThatThrownBy(() -> Supervisor.reapOrphans(dir))
                    .hasMessageContaining("in use");
        }
        Supervisor.create(dir).close(); // released by stop
    }

    @Test
    void refusesToStartAfterStop(@TempDir Path dir) {
        Supervisor supervisor = Supervisor.create(dir);
        supervisor.stop();
        supervisor.stop(); // idempotent
        assertThatThrownBy(() -> supervisor.start(List.of(ProcessSpec.builder("a").command(SLEEP, "1").build())))
                .hasMessageContaining("was stopped; create a new Supervisor");
    }

    @Test
    void rejectsAnUnwritableLogFileBeforeStartingAnything(@TempDir Path dir) throws Exception {
        // root can write anywhere, so make the log's parent a regular file
        Path notADirectory = Files.writeString(dir.resolve("plain-file"), "x");
        try (Supervisor supervisor = Supervisor.create(dir.resolve("run"))) {
            List<ProcessSpec> specs = List.of(
                    ProcessSpec.builder("ok").command(SLEEP, "30").build(),
                    ProcessSpec.builder("bad").command(SLEEP, "30").logFile(notADirectory.resolve("logs/bad.log")).build());

            assertThatThrownBy(() -> supervisor.start(specs))
                    .isInstanceOf(ProcessException.class)
                    .hasMessageContaining("Cannot write log file " + notADirectory.resolve("logs/bad.log"))
                    .hasMessageContaining("of process 'bad'")
                    .hasMessageContaining("choose a logFile in a writable directory");
            assertThat(supervisor.processes()).isEmpty();
        }
    }
}
