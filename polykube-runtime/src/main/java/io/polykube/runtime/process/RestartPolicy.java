package io.polykube.runtime.process;

import io.polykube.runtime.ProcessException;
import java.time.Duration;
import java.util.Objects;

/**
 * What to do when a process dies after it was ready: nothing ({@link #never()}), or restart it
 * with exponential backoff up to {@code maxRestarts} times ({@link #onFailure}).
 */
public record RestartPolicy(int maxRestarts, Duration initialBackoff, Duration maxBackoff) {

    public RestartPolicy {
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        if (maxRestarts < 0) {
            throw new ProcessException("RestartPolicy.maxRestarts must be >= 0, got " + maxRestarts);
        }
        if (initialBackoff.isNegative()) {
            throw new ProcessException("RestartPolicy.initialBackoff must not be negative, got " + initialBackoff);
        }
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw new ProcessException("RestartPolicy.maxBackoff (" + maxBackoff
                    + ") must be >= initialBackoff (" + initialBackoff + ")");
        }
    }

    /** Never restart; a process that dies is reported as {@link ProcessState#FAILED}. */
    public static RestartPolicy never() {
        return new RestartPolicy(0, Duration.ZERO, Duration.ZERO);
    }

    /** Restart up to {@code maxRestarts} times, waiting initialBackoff, then doubling up to maxBackoff. */
    public static RestartPolicy onFailure(int maxRestarts, Duration initialBackoff, Duration maxBackoff) {
        return new RestartPolicy(maxRestarts, initialBackoff, maxBackoff);
    }

    /** Whether another restart is allowed after {@code restartsSoFar} restarts. */
    public boolean allowsRestart(int restartsSoFar) {
        return restartsSoFar < maxRestarts;
    }

    /** The wait before restart number {@code attempt} (1-based): initial * 2^(attempt-1), capped at max. */
    public Duration backoff(int attempt) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt is 1-based, got " + attempt);
        }
        Duration d = initialBackoff;
        for (int i = 1; i < attempt && d.compareTo(maxBackoff) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(maxBackoff) > 0 ? maxBackoff : d;
    }
}
