package io.polykube.api.internal.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.polykube.api.error.PolykubeException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class HostCommandTest {

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hang fails the test instead of blocking it
    void aHungCommandIsKilledAtItsDeadlineAndNamedInTheError() {
        long started = System.nanoTime();

        assertThatThrownBy(() -> HostCommand.run(Duration.ofMillis(300), List.of("sh", "-c", "echo unmounting; exec sleep 600")))
                .isInstanceOf(PolykubeException.class)
                .hasMessageContaining("'sh -c echo unmounting; exec sleep 600' did not finish within 300 ms (killed)")
                .hasMessageContaining("after printing: unmounting");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hang fails the test instead of blocking it
    void aCommandWhoseChildKeepsItsOutputOpenStillReturnsWhenItExits() {
        HostCommand.Result result = HostCommand.run(Duration.ofSeconds(60), List.of("sh", "-c", "sleep 600 & echo $!"));
        long child = Long.parseLong(result.output().strip());
        try {
            assertThat(result.ok()).isTrue();
        } finally {
            ProcessHandle.of(child).ifPresent(ProcessHandle::destroyForcibly);
        }
    }
}
