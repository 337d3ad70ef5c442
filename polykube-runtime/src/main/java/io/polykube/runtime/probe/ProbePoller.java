package io.polykube.runtime.probe;


import io.polykube.runtime.ProcessException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Polls a probe with an interval until it passes or a deadline (System.nanoTime based). */
final class ProbePoller {
    private ProbePoller() {
    }

    static ProbeResult await(Probe probe, ProbeContext context, Duration interval, Duration timeout) {
        if (interval.isNegative() || interval.isZero()) {
            throw new ProcessException("probe interval must be positive, got " + interval);
        }
        if (timeout.isNegative()) {
            throw new ProcessException("probe timeout must not be negative, got " + timeout);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            ProbeResult result = probe.check(context);
            if (result.ready()) {
                return result;
            }
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                throw new ProcessException("Probe '" + probe.description() + "' did not pass within "
                        + timeout + ". Last result: " + result.message());
            }
            try {
                TimeUnit.NANOSECONDS.sleep(Math.min(remaining, interval.toNanos()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ProcessException("interrupted while waiting for probe '" + probe.description() + "'", e);
            }
        }
    }
}
