package io.polykube.runtime.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hang fails the test instead of blocking it
class BoundedCommandTest {

    @Test
    void keepsExitCodeAndOutputWithStandardErrorMergedIn() throws Exception {
        BoundedCommand.Outcome outcome = BoundedCommand.of("sh", "-c", "echo out; echo err >&2; exit 3").run();

        assertThat(outcome.timedOut()).isFalse();
        assertThat(outcome.exitCode()).isEqualTo(3);
        assertThat(outcome.succeeded()).isFalse();
        assertThat(outcome.output()).contains("out", "err");
        assertThat(outcome.describeEnd()).isEqualTo("exited with 3");
    }

    @Test
    void killsACommandThatOverrunsItsDeadlineWithItsChildren() throws Exception {
        long started = System.nanoTime();
        BoundedCommand.Outcome outcome = BoundedCommand.of("sh", "-c", "sleep 600 & echo $!; wait")
                .timeout(Duration.ofMillis(500)).run();
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(outcome.timedOut()).isTrue();
        assertThat(outcome.describeEnd()).isEqualTo("did not finish within 500 ms (killed)");
        assertThat(took).isLessThan(Duration.ofSeconds(30));
        long child = Long.parseLong(outcome.output().strip());
        assertThat(awaitGone(child)).as("the command's child sleep %d is killed too", child).isTrue();
    }

    @Test
    void aChildThatKeepsTheOutputOpenDoesNotHoldTheCallerOnceTheCommandHasExited() throws Exception {
        long started = System.nanoTime();
        BoundedCommand.Outcome outcome = BoundedCommand.of("sh", "-c", "sleep 600 & echo $!")
                .timeout(Duration.ofSeconds(60)).run();
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        long child = Long.parseLong(outcome.output().strip());
        try {
            assertThat(outcome.succeeded()).isTrue();
            assertThat(took).isLessThan(Duration.ofSeconds(30));
        } finally {
            ProcessHandle.of(child).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void keepsTheFirstBytesOfALargeOutputAndNeverBlocksTheCommand() throws Exception {
        BoundedCommand.Outcome outcome = BoundedCommand.of("head", "-c", "3000000", "/dev/zero").outputLimit(1000).run();

        assertThat(outcome.succeeded()).isTrue();
        assertThat(outcome.output()).hasSize(1000);
    }

    @Test
    void refusesAnEmptyCommandAndANonPositiveTimeout() {
        assertThatThrownBy(() -> BoundedCommand.of(List.of()).build()).hasMessageContaining("needs a command");
        assertThatThrownBy(() -> BoundedCommand.of("true").timeout(Duration.ZERO).build())
                .hasMessageContaining("timeout must be positive");
    }

    private static boolean awaitGone(long pid) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            Optional<ProcessHandle> handle = ProcessHandle.of(pid);
            if (handle.isEmpty() || !handle.get().isAlive()) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }
}
