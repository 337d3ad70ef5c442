package io.polykube.runtime.probe;

import java.time.Duration;
import java.util.regex.Pattern;

/** What a probe may know about the process it checks. */
public interface ProbeContext {

    /** Name of the process being probed (for messages). */
    String processName();

    /** How long a single check may block (connect/read timeouts). */
    Duration attemptTimeout();

    /**
     * Whether a line of the process's output (since its current launch) matched the pattern.
     * Contexts without access to process output return false.
     */
    boolean outputMatches(Pattern pattern);

    /** A context for probing outside a supervisor: no process output. */
    static ProbeContext standalone(String name, Duration attemptTimeout) {
        return new ProbeContext() {
            @Override
            public String processName() {
                return name;
            }

            @Override
            public Duration attemptTimeout() {
                return attemptTimeout;
            }

            @Override
            public boolean outputMatches(Pattern pattern) {
                return false;
            }
        };
    }
}
