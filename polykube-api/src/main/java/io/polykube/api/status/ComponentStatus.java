package io.polykube.api.status;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * One component of a running cluster, as last seen.
 *
 * @param component the component
 * @param state     its process state (PENDING, STARTING, READY, RESTARTING, STOPPING, STOPPED, FAILED)
 * @param pid       the current process id
 * @param port      the port it serves on (its secure port), if any
 * @param restarts   how often it was restarted after dying
 * @param launchedAt when its current process was launched
 * @param readyAt    when it last became ready
 * @param node       for a worker's containerd, kubelet or kube-proxy, the worker's name; empty for the first node's and the
 *                   control plane's components
 */
public record ComponentStatus(Component component, String state, OptionalLong pid, OptionalInt port, int restarts,
        Optional<Instant> launchedAt, Optional<Instant> readyAt, Optional<String> node) {

    /** A component of the control plane or of the first node. */
    public ComponentStatus(Component component, String state, OptionalLong pid, OptionalInt port, int restarts,
            Optional<Instant> launchedAt, Optional<Instant> readyAt) {
        this(component, state, pid, port, restarts, launchedAt, readyAt, Optional.empty());
    }

    public boolean ready() {
        return "READY".equals(state);
    }

    /** From launch to ready for its current process: the component's own start time, empty until it is ready. */
    public Optional<Duration> startup() {
        return launchedAt.flatMap(l -> readyAt.filter(r -> !r.isBefore(l)).map(r -> Duration.between(l, r)));
    }

    /** How long it has been ready, or zero. */
    public Duration uptime() {
        return readyAt.map(t -> Duration.between(t, Instant.now())).orElse(Duration.ZERO);
    }
}
