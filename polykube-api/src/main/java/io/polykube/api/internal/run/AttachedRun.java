package io.polykube.api.internal.run;

import io.polykube.api.error.PolykubeException;
import io.polykube.api.faults.Faults;
import io.polykube.api.images.Images;
import io.polykube.api.internal.node.NodeImages;
import io.polykube.api.internal.reuse.ReuseControl;
import io.polykube.api.internal.reuse.ReuseEndpoint;
import io.polykube.api.internal.reuse.ReuseKey;
import io.polykube.api.layout.ClusterLayout;
import io.polykube.api.spec.ClusterSpec;
import io.polykube.api.spec.Mode;
import io.polykube.api.status.ClusterRecord;
import io.polykube.api.status.Component;
import io.polykube.api.status.ComponentStatus;
import java.net.URI;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A reused cluster that another process (its owner) runs, attached to by this one: clients, kubeconfigs, credentials,
 * webhook certificates and the fault proxy work here from the cluster's directory; resets are done by the owner; {@link #stop()}
 * gives the lease back and leaves the cluster running.
 */
public final class AttachedRun implements RunningCluster {
    private static final Logger LOG = LoggerFactory.getLogger(AttachedRun.class);

    private final ClusterSpec spec;
    private final ClusterLayout layout;
    private final ReuseControl control;
    private final ClusterAccess access;
    private volatile boolean released;

    private AttachedRun(ClusterSpec spec, ClusterLayout layout, ReuseControl control, ClusterAccess access) {
        this.spec = spec;
        this.layout = layout;
        this.control = control;
        this.access = access;
    }

    /**
     * Attaches to the reused cluster of {@code spec} in its directory: its owner must be alive, run this very spec (same key)
     * and grant the lease (after resetting what an earlier user left).
     *
     * @throws ReuseControl.InUseException when another live JVM holds the lease
     * @throws PolykubeException           when no owner runs a cluster there, or it runs another spec
     */
    public static AttachedRun attach(ClusterSpec spec, ClusterLayout layout) {
        ReuseEndpoint endpoint = ReuseEndpoint.read(layout).orElseThrow(() -> new PolykubeException("no reused cluster runs in "
                + layout.root() + " (no live owner in " + layout.run() + "/reuse.json): start one with @WithPolykube(reuse = true)"));
        String key = ReuseKey.of(spec);
        if (!key.equals(endpoint.key())) {
            throw new PolykubeException("the reused cluster in " + layout.root() + " (owner pid " + endpoint.ownerPid()
                    + ") runs another spec or polykube build than cluster '" + spec.name() + "' asks for; stop it with "
                    + "./polykube down --dir " + layout.root());
        }
        ClusterRecord record = ClusterRecord.read(layout.clusterJson()).filter(ClusterRecord::running).orElseThrow(() ->
                new PolykubeException("the reused cluster in " + layout.root() + " is not running: see " + layout.supervisorLog()));
        ReuseControl control = ReuseControl.of(layout, endpoint);
        control.attach(spec.startTimeout());
        try {
            AttachedRun run = new AttachedRun(spec, layout, control, ClusterAccess.ofRunning(spec, layout,
                    URI.create(record.apiServerUrl())));
            LOG.info("Attached to reused cluster '{}' (owner pid {}): {}", spec.name(), endpoint.ownerPid(), record.apiServerUrl());
            return run;
        } catch (RuntimeException e) {
            control.release();
            throw e;
        }
    }

    /** The pid of the process that runs the cluster. */
    public long ownerPid() {
        return control.endpoint().ownerPid();
    }

    @Override
    public ClusterAccess access() {
        return access;
    }

    @Override
    public void reset() {
        requireAttached("reset");
        control.reset(spec.startTimeout());
    }

    @Override
    public List<String> nodeNames() {
        if (spec.mode() != Mode.FULL) {
            return List.of();
        }
        return status().stream().filter(s -> s.component() == Component.KUBELET)
                .map(s -> s.node().orElse(spec.node().name())).toList();
    }

    @Override
    public void stopNode(String name) {
        throw nodesOfOwner("stop node " + name);
    }

    @Override
    public void startNode(String name) {
        throw nodesOfOwner("start node " + name);
    }

    private PolykubeException nodesOfOwner(String what) {
        return new PolykubeException("cannot " + what + " of cluster '" + spec.name() + "': it is reused, and its nodes are run by "
                + "its owner (pid " + ownerPid() + "); a node failure test needs a cluster of its own: @WithPolykube(freshCluster = true)");
    }

    @Override
    public boolean nodeRunning(String name) {
        return status().stream().filter(s -> s.component() == Component.KUBELET)
                .filter(s -> s.node().orElse(spec.node().name()).equals(name))
                .anyMatch(s -> !List.of("STOPPED", "STOPPING", "FAILED").contains(s.state()));
    }

    /** Detaches: closes this JVM's clients and fault proxy and gives the lease back; the cluster keeps running. */
    @Override
    public synchronized void stop() {
        if (released) {
            return;
        }
        released = true;
        access.close();
        control.release();
        LOG.info("Detached from reused cluster '{}' (it keeps running under pid {})", spec.name(), ownerPid());
    }

    private void requireAttached(String what) {
        if (released) {
            throw new PolykubeException("cannot " + what + " cluster '" + spec.name() + "': this JVM detached from it");
        }
    }

    @Override
    public Images images() {
        return NodeImages.ofClusterDirectory(layout.root());
    }

    @Override
    public long deadlineFromNow() {
        return System.nanoTime() + spec.startTimeout().toNanos();
    }

    @Override
    public Faults faults() {
        requireAttached("inject faults into");
        return access.faults();
    }

    @Override
    public List<ComponentStatus> status() {
        return ClusterRecord.read(layout.clusterJson()).map(RunStatus::statuses).orElse(List.of());
    }

    @Override
    public ClusterRecord record() {
        return ClusterRecord.read(layout.clusterJson()).orElseThrow(() -> new PolykubeException("no " + layout.clusterJson()));
    }
}
