package io.polykube.testing;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waits in a test until something holds, polling (every 10 ms at first, then up to every 100 ms) until a deadline on
 * {@link System#nanoTime()}, and fails with an {@link AssertionError} that says what it waited for and how long. The
 * condition is checked once more at the deadline; an exception it throws ends the wait at once.
 */
public final class Await {
    private static final long FIRST_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long MAX_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private Await() {
    }

    /** Waits until {@code condition} holds; fails with "timed out after 30 s waiting for {@code what}". */
    public static void until(String what, Duration timeout, BooleanSupplier condition) {
        Objects.requireNonNull(what, "what");
        until(() -> what, timeout, condition);
    }

    /** {@link #until(String, Duration, BooleanSupplier)} with a description made at the deadline (what was seen last). */
    public static void until(Supplier<String> what, Duration timeout, BooleanSupplier condition) {
        Objects.requireNonNull(condition, "condition");
        untilPresent(what, timeout, () -> condition.getAsBoolean() ? Optional.of(Boolean.TRUE) : Optional.empty());
    }

    /** Waits until {@code value} is present and returns it. */
    public static <T> T untilPresent(String what, Duration timeout, Supplier<Optional<T>> value) {
        Objects.requireNonNull(what, "what");
        return untilPresent(() -> what, timeout, value);
    }

    /** {@link #untilPresent(String, Duration, Supplier)} with a description made at the deadline. */
    public static <T> T untilPresent(Supplier<String> what, Duration timeout, Supplier<Optional<T>> value) {
        Objects.requireNonNull(what, "what");
        Objects.requireNonNull(value, "value");
        long deadline = System.nanoTime() + timeout.toNanos();
        long pause = FIRST_PAUSE_NANOS;
        while (true) {
            Optional<T> found = value.get();
            if (found.isPresent()) {
                return found.get();
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("timed out after " + format(timeout) + " waiting for " + what.get());
            }
            try {
                TimeUnit.NANOSECONDS.sleep(Math.min(pause, left));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what.get(), e);
            }
            pause = Math.min(pause * 2, MAX_PAUSE_NANOS);
        }
    }

    private static String format(Duration timeout) {
        return timeout.toMillis() % 1000 == 0 ? timeout.toSeconds() + " s" : timeout.toMillis() + " ms";
    }
}
