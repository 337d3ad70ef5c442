package io.polykube.api.junit;

import io.polykube.api.faults.FaultLog;

/**
 * Attached to a failed test's failure (as a suppressed exception) so the failure output itself lists the injected
 * faults the test met; it carries no stack trace of its own.
 */
final class InjectedFaultsMet extends RuntimeException {
    private static final long serialVersionUID = 1L;

    InjectedFaultsMet(FaultLog log) {
        super("the test met these injected faults (cluster.faults().log()):\n" + log.format(), null, false, false);
    }
}
