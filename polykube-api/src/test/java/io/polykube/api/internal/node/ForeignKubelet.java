package io.polykube.api.internal.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What another kubelet on this host has made while it runs no container yet: its {@code kubepods} cgroup tree (with a
 * QoS class and a pod, all empty) in the memory and pids hierarchies, and an empty {@code /var/log/containers}. A polykube
 * cluster must leave them as they were.
 */
final class ForeignKubelet implements AutoCloseable {
    private static final List<Path> CGROUPS = List.of(
            Path.of("/sys/fs/cgroup/memory/kubepods/besteffort/podforeign"),
            Path.of("/sys/fs/cgroup/pids/kubepods/besteffort/podforeign"));
    private final boolean madeLogLinks;

    private ForeignKubelet(boolean madeLogLinks) {
        this.madeLogLinks = madeLogLinks;
    }

    static ForeignKubelet install() throws IOException {
        for (Path cgroup : CGROUPS) {
            Files.createDirectories(cgroup);
        }
        boolean made = !Files.exists(NodeCleaner.CONTAINER_LOG_LINKS);
        Files.createDirectories(NodeCleaner.CONTAINER_LOG_LINKS);
        return new ForeignKubelet(made);
    }

    /** Which of its objects exist now. */
    static List<String> snapshot() {
        List<String> out = new ArrayList<>();
        for (Path cgroup : CGROUPS) {
            for (Path p = cgroup; p.getNameCount() > 4; p = p.getParent()) {
                out.add(p + (Files.isDirectory(p) ? " exists" : " is gone"));
            }
        }
        out.add(NodeCleaner.CONTAINER_LOG_LINKS + (Files.isDirectory(NodeCleaner.CONTAINER_LOG_LINKS) ? " exists" : " is gone"));
        return out;
    }

    @Override
    public void close() throws IOException {
        for (Path cgroup : CGROUPS) {
            for (Path p = cgroup; p.getNameCount() > 4; p = p.getParent()) {
                Files.deleteIfExists(p); // a cgroup directory is removed with rmdir, children first
            }
        }
        if (madeLogLinks) {
            Files.deleteIfExists(NodeCleaner.CONTAINER_LOG_LINKS);
        }
    }
}
