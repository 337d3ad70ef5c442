package io.polykube.runtime.probe;

import java.util.Objects;

/**
 * Outcome of one probe check.
 *
 * @param ready   whether the condition holds
 * @param message what was tried and what came back
 */
public record ProbeResult(boolean ready, String message) {
    public ProbeResult {
        Objects.requireNonNull(message, "message");
    }

    public static ProbeResult ready(String message) {
        return new ProbeResult(true, message);
    }

    public static ProbeResult notReady(String message) {
        return new ProbeResult(false, message);
    }
}
