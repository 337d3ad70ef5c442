package io.polykube.runtime.process;

import java.time.Instant;

/**
 * Something that happened to a supervised process, delivered to a {@link ProcessListener}.
 *
 * @param type    what happened
 * @param process snapshot of the process right after the event
 * @param message human-readable detail (exit code, backoff, reason)
 * @param at      when it happened
 */
public record ProcessEvent(Type type, ProcessInfo process, String message, Instant at) {

    /** Event kinds. */
    public enum Type {
        /** A run was launched (first start or restart). */
        STARTED,
        /** The readiness probe passed. */
        READY,
        /** The process exited without being asked to. */
        EXITED,
        /** A restart is scheduled after a backoff. */
        RESTARTING,
        /** A restarted run was launched. */
        RESTARTED,
        /** The process was stopped on request. */
        STOPPED,
        /** The process gave up: did not become ready, or died with no restarts left. */
        FAILED
    }

    /** Name of the process. */
    public String name() {
        return process.name();
    }
}
