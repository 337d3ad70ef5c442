package io.polykube.runtime.process;

/**
 * Receives lifecycle events of supervised processes. Called from supervisor threads; must be
 * quick and thread-safe. Exceptions it throws are logged and ignored.
 */
@FunctionalInterface
public interface ProcessListener {
    void onEvent(ProcessEvent event);

    /** A listener that ignores everything. */
    static ProcessListener none() {
        return event -> { };
    }
}
