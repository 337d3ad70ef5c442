package io.polykube.samples.cli;

import io.polykube.api.node.NodeReset;
import io.polykube.runtime.process.ReapReport;
import io.polykube.runtime.process.Supervisor;
import java.nio.file.Files;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Stops a cluster: asks its owner to stop it, or, when the owner is gone, stops what the cluster's records name. */
@Command(name = "down", description = "Stop a cluster and release what it owned (its directory keeps logs and data).")
final class DownCommand implements Callable<Integer> {
    @Mixin
    ClusterOptions cluster;

    @Override
    public Integer call() throws Exception {
        ClusterFiles files = new ClusterFiles(cluster.resolvedDirectory());
        if (!Files.isDirectory(files.directory())) {
            System.out.println("[polykube] no cluster in " + files.directory() + ": nothing to stop");
            return 0;
        }
        Optional<ProcessHandle> owner = files.owner();
        if (owner.isPresent() && owner.get().pid() != ProcessHandle.current().pid()) {
            System.out.println("[polykube] stopping cluster '" + cluster.name + "' (owner pid " + owner.get().pid() + ")");
            owner.get().destroy(); // SIGTERM: the owner's shutdown hook stops every component
            try {
                owner.get().onExit().get(90, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                System.err.println("[polykube] owner did not stop within 90 s; killing it and its components");
                owner.get().destroyForcibly();
                owner.get().onExit().get(10, TimeUnit.SECONDS);
            }
        }
        ReapReport report = Supervisor.reapOrphans(files.runDirectory());
        if (!report.stopped().isEmpty()) {
            System.out.println("[polykube] stopped " + report.stopped().size() + " process(es) left behind");
        }
        if (NodeReset.needed(files.directory())) { // a FULL cluster whose owner died: containers, mounts, guard, bridge
            List<String> left = NodeReset.clean(files.directory());
            System.out.println("[polykube] removed the node's host state" + (left.isEmpty() ? "" : "; could not remove: " + left));
            if (!left.isEmpty()) {
                return 1;
            }
        }
        System.out.println("[polykube] cluster '" + cluster.name + "' is down; logs and data stay in " + files.directory());
        return 0;
    }
}
