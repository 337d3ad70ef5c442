package io.polykube.api.internal;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.polykube.api.error.PolykubeException;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * Waits for a condition with a deadline ({@link System#nanoTime()}), polling: the one loop behind every "wait until the
 * API, a node, a manifest or the DNS is ready" of a cluster. An API error while looking counts as "not yet" and becomes the
 * last result the timeout message shows.
 */
public final class Await {
    /** One look at the condition. */
    @FunctionalInterface
    public interface Attempt {
        /** {@code null} when the condition holds, else what was seen instead (shown if the wait times out). */
        String notYet();
    }

    private Await() {
    }

    /** An attempt that holds when {@code condition} is true. */
    public static Attempt when(BooleanSupplier condition) {
        return () -> condition.getAsBoolean() ? null : "not yet";
    }

    /**
     * Polls {@code attempt} every {@code poll} until it holds. Before each pause {@code failFast} may throw to end the wait at
     * once (a process that died); after {@code deadlineNanos}, throws what {@code timeout} makes of the last result.
     */
    public static void until(String what, long deadlineNanos, Duration poll, Attempt attempt, Runnable failFast,
            Function<String, ? extends RuntimeException> timeout) {
        String last = "not checked yet";
        while (true) {
            try {
                String seen = attempt.notYet();
                if (seen == null) {
                    return;
                }
                last = seen;
            } catch (KubernetesClientException e) {
                last = e.getMessage();
            }
            if (System.nanoTime() - deadlineNanos > 0) {
                throw timeout.apply(last);
            }
            failFast.run();
            try {
                Thread.sleep(poll.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PolykubeException("interrupted while waiting for " + what, e);
            }
        }
    }
}
