package io.polykube.api.internal.node;

import io.polykube.api.error.PolykubeException;
import io.polykube.api.layout.ClusterLayout;
import io.polykube.runtime.process.Supervisor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes what a {@code FULL} cluster whose owner is gone (crashed JVM, killed supervisor) left on the host, from the record
 * in its directory ({@code node/host.json}): its processes, containers, mounts, network namespaces, the bridge, the route,
 * the iptables chains, kubelet's cgroups. Behind {@code io.polykube.api.NodeReset}; a start of the same cluster does the
 * same by itself.
 */
public final class NodeLeftovers {
    /** The node's log lines, under the logger they always had. */
    private static final Logger LOG = LoggerFactory.getLogger(FullNode.class);

    private NodeLeftovers() {
    }

    /** Whether {@code clusterDirectory} records node objects on the host (a full cluster ran and was not cleaned). */
    public static boolean needed(Path clusterDirectory) {
        return NodeRecord.read(new ClusterLayout(clusterDirectory).node().root()).isPresent();
    }

    /**
     * Cleans the node of the cluster in {@code clusterDirectory}, if it recorded one.
     *
     * @return what could not be removed (empty when the host is clean)
     * @throws PolykubeException if a full cluster runs on this host now (stop it first)
     */
    public static List<String> clean(Path clusterDirectory) {
        Path dir = clusterDirectory.toAbsolutePath();
        ClusterLayout layout = new ClusterLayout(dir);
        layout.checkOwnership();
        Optional<NodeRecord> record = NodeRecord.read(layout.node().root());
        if (record.isEmpty()) {
            return List.of();
        }
        try (HostLock lock = HostLock.acquire(record.get().clusterName(), dir)) {
            Supervisor.reapOrphans(layout.run());
            List<String> problems = new NodeCleaner(record.get(), NodeCleaner.cachedKubeProxy(record.get())).clean();
            if (problems.isEmpty()) {
                try {
                    Files.deleteIfExists(layout.node().hostRecord());
                } catch (IOException e) {
                    return List.of("cannot delete " + layout.node().hostRecord() + ": " + e.getMessage());
                }
            }
            return problems;
        }
    }

    /**
     * Before a start of cluster {@code clusterName} (holding the host lock): stops and removes what an earlier run that
     * crashed left, of this cluster and of {@code previousOwner}, the last owner of the host lock.
     *
     * @throws PolykubeException if something cannot be removed
     */
    static void cleanBeforeStart(String clusterName, ClusterLayout layout, Optional<HostLock.Owner> previousOwner) {
        List<Path> clusterDirs = new ArrayList<>();
        previousOwner.map(HostLock.Owner::directory).filter(d -> !d.toAbsolutePath().equals(layout.root().toAbsolutePath()))
                .filter(Files::isDirectory).ifPresent(clusterDirs::add);
        clusterDirs.add(layout.root().toAbsolutePath());
        for (Path clusterDir : clusterDirs) {
            ClusterLayout oldLayout = new ClusterLayout(clusterDir);
            oldLayout.checkOwnership();
            Optional<NodeRecord> old = NodeRecord.read(oldLayout.node().root());
            if (old.isEmpty()) {
                continue;
            }
            LOG.warn("Cluster '{}': cleaning what an earlier run of cluster '{}' left ({})", clusterName, old.get().clusterName(),
                    clusterDir);
            try {
                Supervisor.reapOrphans(oldLayout.run());
            } catch (RuntimeException e) {
                LOG.warn("could not stop the processes left in {}: {}", oldLayout.run(), e.getMessage());
            }
            List<String> problems = new NodeCleaner(old.get(), NodeCleaner.cachedKubeProxy(old.get())).clean();
            if (!problems.isEmpty()) {
                throw new PolykubeException("cluster '" + clusterName + "' cannot clean what an earlier run left: " + problems
                        + ". Remove these by hand (or reboot), then start again");
            }
            try {
                Files.deleteIfExists(oldLayout.node().hostRecord());
            } catch (IOException e) {
                // the next clean finds nothing left to do
            }
        }
    }
}
