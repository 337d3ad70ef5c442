package io.polykube.api.internal.node;

import io.polykube.api.Cluster;
import io.polykube.api.error.HostBusyException;
import io.polykube.api.spec.ClusterSpec;
import java.time.Duration;

/** Other test JVMs on this machine may run a full cluster: wait for the host's turn (bounded) instead of failing at once. */
final class HostTurn {
    private static final Duration WAIT = Duration.ofMinutes(10);

    private HostTurn() {
    }

    static Cluster start(ClusterSpec spec) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            try {
                return Cluster.start(spec);
            } catch (HostBusyException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(1000);
            }
        }
    }
}
