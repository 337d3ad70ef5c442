package io.polykube.runtime.process;

/** Lifecycle state of a supervised process. */
public enum ProcessState {
    /** Known to the supervisor, waiting for its dependencies. */
    PENDING,
    /** Launched, readiness probe not passed yet. */
    STARTING,
    /** Readiness probe passed. */
    READY,
    /** Died after it was ready; waiting for the backoff before a restart. */
    RESTARTING,
    /** Being stopped (SIGTERM sent, grace period running). */
    STOPPING,
    /** Stopped on request. */
    STOPPED,
    /** Died or did not become ready, and will not be restarted. */
    FAILED
}
