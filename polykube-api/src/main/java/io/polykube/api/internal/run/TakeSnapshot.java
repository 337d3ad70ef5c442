package io.polykube.api.internal.run;

import io.polykube.api.spec.Mode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Saves the API server's keys in etcd as the state {@code Cluster.reset()} returns to, and notes the pods that run now
 * (mode {@code FULL}), which a reset keeps.
 */
final class TakeSnapshot implements StartStep {
    private static final Logger LOG = LoggerFactory.getLogger(TakeSnapshot.class);

    @Override
    public void run(Start start) {
        long usableAt = System.nanoTime();
        ClusterRun run = start.run;
        int keys = run.restorePoint().save();
        LOG.debug("Cluster '{}': API usable {} ms after every process was ready, {} etcd keys saved in {} ms", start.spec.name(),
                (usableAt - start.processesReadyAt) / 1_000_000, keys, Start.millisSince(usableAt));
        run.keepPods(start.spec.mode() == Mode.FULL ? PodSweep.of(run.client()) : PodSweep.none());
    }
}
