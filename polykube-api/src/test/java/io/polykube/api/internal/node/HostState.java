package io.polykube.api.internal.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.polykube.api.layout.ClusterLayout;
import io.polykube.api.spec.ClusterHostNames;
import io.polykube.files.TreeDeletion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * What a full cluster may leave on the host: checks that none of it is there. Objects named after the cluster or under
 * its directory are always checked; host-wide ones (node processes, KUBE-/CNI- chains, kubepods cgroups, netns, kubelet's
 * /var/log dirs) only while no other full cluster holds the host lock (other test JVMs on this machine may run one).
 */
final class HostState {
    private static final List<String> NODE_PROCESSES = List.of("kubelet", "kube-proxy", "containerd", "containerd-shim", "pause");

    private HostState() {
    }

    static List<String> leftovers(String clusterName, Path dir) {
        List<String> out = new ArrayList<>();
        boolean hostIdle = !Files.exists(HostLock.DIR.resolve("full.owner"));
        ClusterHostNames names = ClusterHostNames.of(clusterName);
        String socket = NodeContainerd.socketPath(new ClusterLayout(dir).node(), names.containerdSocket()).toString();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).forEach(p -> {
                try {
                    String comm = Files.readString(p.resolve("comm")).strip();
                    String cmdline = Files.readString(p.resolve("cmdline"));
                    if (cmdline.contains(dir.toString()) || cmdline.contains(socket)
                            || hostIdle && NODE_PROCESSES.stream().anyMatch(comm::startsWith)) {
                        out.add("process " + p.getFileName() + " " + comm);
                    }
                } catch (IOException e) {
                    // gone
                }
            });
        } catch (IOException e) {
            out.add("cannot list /proc");
        }
        String chain = names.chain();
        for (String table : List.of("filter", "nat", "mangle")) {
            for (String line : HostCommand.run("iptables", "-w", "5", "-t", table, "-S").output().split("\n")) {
                if (line.contains(chain) || hostIdle && (line.startsWith("-N KUBE-") || line.startsWith("-N CNI-"))
                        && !ForeignChains.isForeign(line)) {
                    out.add("iptables -t " + table + " " + line);
                }
            }
        }
        String bridge = names.bridge();
        for (String line : HostCommand.run("ip", "-o", "link", "show").output().split("\n")) {
            if (line.contains(" " + bridge + ":") || line.contains("master " + bridge) || hostIdle && line.contains("veth")) {
                out.add("link " + line);
            }
        }
        String routes = HostCommand.run("ip", "route", "show").output();
        if (routes.contains("dev " + bridge)) {
            out.add("route via " + bridge);
        }
        if (hostIdle) {
            String netns = HostCommand.run("ip", "netns", "list").output().strip();
            if (!netns.isEmpty()) {
                out.add("netns " + netns);
            }
            for (String d : List.of("/var/log/pods", "/var/log/containers", "/sys/fs/cgroup/memory/kubepods")) {
                if (Files.isDirectory(Path.of(d))) {
                    out.add("directory " + d);
                }
            }
        }
        try (Stream<Path> cgroups = Files.list(Path.of("/sys/fs/cgroup/memory"))) {
            cgroups.filter(p -> p.getFileName().toString().startsWith("polykube." + clusterName + "."))
                    .forEach(p -> out.add("cgroup " + p));
        } catch (IOException e) {
            // no memory hierarchy
        }
        if (Files.exists(NodeNamespace.NETNS_DIR)) {
            try (Stream<Path> netns = Files.list(NodeNamespace.NETNS_DIR)) {
                netns.filter(p -> p.getFileName().toString().startsWith("polykube-" + clusterName + "-"))
                        .forEach(p -> out.add("netns " + p));
            } catch (IOException e) {
                out.add("cannot list " + NodeNamespace.NETNS_DIR);
            }
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mounts"))) {
                if (line.contains(dir.toString()) || line.contains(socket)) {
                    out.add("mount " + line);
                }
            }
        } catch (IOException e) {
            out.add("cannot read mounts");
        }
        return out;
    }

    static void assertClean(String clusterName, Path dir, String when) {
        // a killed container's shim exits on its own a moment after the stop (seen once in CI: 5 shims of a 3-node cluster)
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(15);
        while (!leftovers(clusterName, dir).isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        assertThat(leftovers(clusterName, dir)).as("host objects of cluster %s (%s) %s", clusterName, dir, when).isEmpty();
    }

    /** Deletes a test's cluster directory once its cluster is gone and nothing is mounted under it (kept on failure). */
    static void deleteDirectory(Path dir) throws IOException {
        assertThat(NodeCleaner.mountsUnder(dir)).isEmpty();
        TreeDeletion.delete(dir);
    }
}
