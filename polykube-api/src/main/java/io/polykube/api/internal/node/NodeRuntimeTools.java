package io.polykube.api.internal.node;

import io.polykube.api.error.PolykubeException;
import io.polykube.runtime.binaries.Binaries;
import io.polykube.runtime.binaries.BinaryException;
import io.polykube.runtime.binaries.ClusterBinary;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The node runtime's command-line tools ({@code ctr}, {@code runc}) for work that has no start's resolved binaries at
 * hand: loading images into a running cluster, cleaning up after a crashed run. They are the ones polykube builds into
 * the binary cache ({@code ./polykube setup}), never the host's packages, whose versions need not match the containerd
 * and runc a node ran.
 */
final class NodeRuntimeTools {
    private static final Map<ClusterBinary, Path> FOUND = new ConcurrentHashMap<>();

    private NodeRuntimeTools() {
    }

    /** containerd's client, {@code ctr}. */
    static Path ctr() {
        return find(ClusterBinary.CTR);
    }

    /** {@code runc}. */
    static Path runc() {
        return find(ClusterBinary.RUNC);
    }

    private static Path find(ClusterBinary binary) {
        return FOUND.computeIfAbsent(binary, b -> {
            try {
                return Binaries.builder().build().resolve(b).path();
            } catch (BinaryException e) {
                throw new PolykubeException("the node runtime's " + b.fileName() + " is missing: " + e.getMessage(), e);
            }
        });
    }
}
