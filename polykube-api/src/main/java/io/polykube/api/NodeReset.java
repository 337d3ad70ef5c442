package io.polykube.api;

import io.polykube.api.error.PolykubeException;
import io.polykube.api.internal.node.NodeLeftovers;
import java.nio.file.Path;
import java.util.List;

/**
 * Removes what a {@link io.polykube.api.spec.Mode#FULL} cluster whose owner is gone (crashed JVM, killed supervisor) left
 * on the host, from the record in its directory ({@code node/host.json}): its processes, containers, mounts, network
 * namespaces, the bridge, the route, the iptables chains, kubelet's cgroups. For {@code polykube down} when the owner
 * cannot do it; a start of the same cluster does the same by itself.
 */
public final class NodeReset {
    private NodeReset() {
    }

    /** Whether {@code clusterDirectory} records node objects on the host (a full cluster ran and was not cleaned). */
    public static boolean needed(Path clusterDirectory) {
        return NodeLeftovers.needed(clusterDirectory);
    }

    /**
     * Cleans the node of the cluster in {@code clusterDirectory}, if it recorded one.
     *
     * @return what could not be removed (empty when the host is clean)
     * @throws PolykubeException if a full cluster runs on this host now (stop it first)
     */
    public static List<String> clean(Path clusterDirectory) {
        return NodeLeftovers.clean(clusterDirectory);
    }
}
