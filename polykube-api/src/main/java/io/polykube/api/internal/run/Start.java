package io.polykube.api.internal.run;

import io.polykube.api.internal.ComponentContext;
import io.polykube.api.internal.Kubeconfigs;
import io.polykube.api.internal.PortPlan;
import io.polykube.api.internal.ServingCertificates;
import io.polykube.api.internal.node.NodeRuntime;
import io.polykube.api.layout.ClusterLayout;
import io.polykube.api.spec.ClusterSpec;
import io.polykube.net.ClusterNetwork;
import io.polykube.pki.ClusterPki;
import io.polykube.runtime.binaries.ClusterBinary;
import io.polykube.runtime.binaries.ResolvedBinary;
import io.polykube.runtime.process.ProcessSpec;
import io.polykube.runtime.process.Supervisor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What a cluster's start has so far, handed from step to step (each field is set by the step named beside it). When a
 * step after {@link ReservePorts} fails, {@link #release()} lets go of what was taken.
 */
final class Start {
    final ClusterSpec spec;
    final ClusterLayout layout;
    /** {@link System#nanoTime()} when the start began: the start timeout and the logged timings count from here. */
    final long startedAt = System.nanoTime();

    String madeWithVersion;                   // CheckVersion
    /** The last run of this directory ran this very version. */
    boolean sameVersionAsLastRun;
    long binariesAt;                          // ResolveBinaries
    Map<ClusterBinary, ResolvedBinary> binaries;
    long portsAt;                             // ReservePorts
    DirectoryLock lock;
    PortPlan ports;
    ClusterNetwork network;                   // IssuePki
    long pkiAt;
    ClusterPki pki;
    ServingCertificates serving;
    ComponentContext context;                 // WriteConfig
    Kubeconfigs kubeconfigs;
    Path adminKubeconfig;
    NodeRuntime node;
    ControlPlaneProcesses controlPlane;
    List<ProcessSpec> processes;
    Supervisor supervisor;                    // StartProcesses
    /** Set once the supervisor runs; the supervisor's listener and the shutdown hook read it from other threads. */
    volatile ClusterRun run;
    long processesReadyAt;                    // AwaitNodes

    Start(ClusterSpec spec, ClusterLayout layout) {
        this.spec = spec;
        this.layout = layout;
    }

    /** When the start times out, a {@link System#nanoTime()} value. */
    long deadline() {
        return startedAt + spec.startTimeout().toNanos();
    }

    /**
     * Stops what was started and releases the ports and the directory: the run's own stop once there is a run, else the
     * shutdown hook, the supervisor and the node by hand.
     */
    void release() {
        ClusterRun started = run;
        if (started != null) {
            started.stop();
            return;
        }
        try {
            ShutdownHooks.remove(layout.root());
            if (supervisor != null) {
                supervisor.stop();
            }
            if (node != null) {
                node.teardown();
            }
        } finally {
            ports.close();
            lock.close();
        }
    }

    static long millisSince(long t0) {
        return Duration.ofNanos(System.nanoTime() - t0).toMillis();
    }
}
