package io.polykube.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AwaitTest {
    @Test
    void returnsAsSoonAsTheConditionHolds() {
        AtomicInteger polls = new AtomicInteger();
        Await.until("the third poll", Duration.ofSeconds(10), () -> polls.incrementAndGet() == 3);
        assertThat(polls).hasValue(3);
        assertThat(Await.untilPresent("a value", Duration.ofSeconds(10),
                () -> polls.incrementAndGet() < 5 ? Optional.empty() : Optional.of("found"))).isEqualTo("found");
    }

    @Test
    void failsAtTheDeadlineSayingWhatItWaitedForAndChecksOnceMore() {
        AtomicInteger polls = new AtomicInteger();
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> Await.until("the moon", Duration.ofMillis(150), () -> polls.incrementAndGet() < 0))
                .isInstanceOf(AssertionError.class).hasMessage("timed out after 150 ms waiting for the moon");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(150));
        assertThat(polls.get()).isGreaterThan(2);

        assertThatThrownBy(() -> Await.until(() -> "pids [1, 2] to exit (still running: [2])", Duration.ofMillis(20), () -> false))
                .hasMessage("timed out after 20 ms waiting for pids [1, 2] to exit (still running: [2])");
        assertThatThrownBy(() -> Await.until("a second", Duration.ofSeconds(0), () -> false))
                .hasMessage("timed out after 0 s waiting for a second");
    }

    @Test
    void anExceptionFromTheConditionEndsTheWait() {
        assertThatThrownBy(() -> Await.until("nothing", Duration.ofSeconds(30), () -> {
            throw new IllegalStateException("broken");
        })).isInstanceOf(IllegalStateException.class).hasMessage("broken");
    }

    @Test
    void anInterruptEndsTheWaitAndStaysSet() {
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> Await.until("nothing", Duration.ofSeconds(30), () -> false))
                    .isInstanceOf(AssertionError.class).hasMessage("interrupted while waiting for nothing");
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }
}
