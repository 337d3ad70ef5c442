package io.polykube.api.internal.node;

import io.polykube.api.error.PolykubeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * A node's kubelet cgroup root ({@code /polykube.<cluster>.<node>}, from {@code ClusterHostNames.cgroupRoot}): kubelet
 * makes its {@code kubepods} tree under it, so a node never shares a cgroup with another kubelet on the host, and
 * cleaning removes only the cluster's own roots.
 */
final class NodeCgroup {
    private static final Path BASE = Path.of("/sys/fs/cgroup");

    private NodeCgroup() {
    }

    /** kubelet insists its cgroup root exists in every hierarchy (cgroup v1); cpuset children start empty, so they are filled. */
    static void create(String cgroupRoot, String node) {
        try (Stream<Path> hierarchies = Files.list(BASE)) {
            for (Path h : (Iterable<Path>) hierarchies::iterator) {
                if (!Files.isDirectory(h) || Files.isSymbolicLink(h) || !Files.exists(h.resolve("cgroup.procs"))) {
                    continue;
                }
                Path cg = h.resolve(cgroupRoot.substring(1));
                Files.createDirectories(cg);
                for (String file : List.of("cpuset.cpus", "cpuset.mems")) {
                    Path parent = h.resolve(file);
                    Path child = cg.resolve(file);
                    if (Files.exists(parent) && Files.exists(child) && Files.readString(child).isBlank()) {
                        Files.writeString(child, Files.readString(parent).strip());
                    }
                }
            }
        } catch (IOException e) {
            throw new PolykubeException("cannot create the cgroup " + cgroupRoot + " of node " + node + ": " + e.getMessage(), e);
        }
    }
}
