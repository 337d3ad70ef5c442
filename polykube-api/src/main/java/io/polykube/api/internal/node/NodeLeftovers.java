package io.polykube.api.internal.node;

import io.polykube.api.error.PolykubeException;
import io.polykube.api.layout.ClusterLayout;
import io.polykube.runtime.process.Supervisor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Removes what a {@code FULL} cluster whose owner is gone (crashed JVM, killed supervisor) left on the host, from the record
 * in its directory ({@code node/host.json}): its processes, containers, mounts, network namespaces, the bridge, the route,
 * the iptables chains, kubelet's cgroups. Behind {@code io.polykube.api.NodeReset}; a start of the same cluster does the
 * same by itself.
 */
public final class NodeLeftovers {
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
        Optional<NodeRecord> record = NodeRecord.read(layout.node().root());
        if (record.isEmpty()) {
            return List.of();
        }
        try (HostLock lock = HostLock.acquire(record.get().clusterName(), dir)) {
            Supervisor.reapOrphans(layout.run());
            List<String> problems = new NodeCleaner(record.get()).clean();
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
}
