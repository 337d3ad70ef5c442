package io.polykube.api.internal.node;

import io.polykube.api.images.Images;
import io.polykube.api.layout.NodeDirectories;
import io.polykube.files.MountPoints;
import io.polykube.files.TreeDeletion;
import io.polykube.runtime.binaries.BinaryCache;
import io.polykube.runtime.binaries.ClusterBinary;
import io.polykube.runtime.binaries.ClusterBinarySet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes what a node put on the host, from its {@link NodeRecord}: containers and their shims (found by our containerd's
 * socket in their command line), mounts under the node directory (pod volumes, rootfs, shm, network namespaces), the
 * cgroups kubelet made, the nodes' network namespaces (with every chain and route kube-proxy and CNI made in them), and
 * the network guard. Runs after the node's processes
 * stopped (or after a crash). Best effort: it logs what it could not remove and goes on.
 */
final class NodeCleaner {
    private static final Logger LOG = LoggerFactory.getLogger(NodeCleaner.class);
    /** Where kubelet links every container's log, a fixed directory shared by every kubelet on the host. */
    static final Path CONTAINER_LOG_LINKS = Path.of("/var/log/containers");

    private final NodeRecord record;
    private final Optional<Path> kubeProxy;
    private final List<String> problems = new ArrayList<>();

    /**
     * @param kubeProxy the kube-proxy whose {@code --cleanup} runs first: the running cluster's, or after a crash
     *                  {@link #cachedKubeProxy} (never a path read from the record)
     */
    NodeCleaner(NodeRecord record, Optional<Path> kubeProxy) {
        this.record = record;
        this.kubeProxy = kubeProxy;
    }

    /** The kube-proxy of the record's Kubernetes version in polykube's binary cache, if that version is built there. */
    static Optional<Path> cachedKubeProxy(NodeRecord record) {
        if (record.kubernetesVersion() == null) {
            return Optional.empty();
        }
        try {
            BinaryCache cache = BinaryCache.defaultCache();
            return cache.manifest(ClusterBinarySet.KUBERNETES, record.kubernetesVersion()) // a complete set, not re-hashed here
                    .map(m -> cache.setDir(ClusterBinarySet.KUBERNETES, record.kubernetesVersion())
                            .resolve(ClusterBinary.KUBE_PROXY.fileName()));
        } catch (RuntimeException e) {
            LOG.info("no kube-proxy {} in the binary cache for its cleanup ({}); removing its chains directly",
                    record.kubernetesVersion(), e.getMessage());
            return Optional.empty();
        }
    }

    /** Cleans everything; returns what could not be removed (empty when the host is clean). */
    List<String> clean() {
        long t0 = System.nanoTime();
        int[] counts = new int[2];
        phase("stop containers and shims", () -> {
            counts[0] = stopContainers(record.runcRoot(), record.socket(), Path.of(record.nodeDir()));
            for (NodeRecord.Worker w : record.workers()) {
                counts[0] += stopContainers(w.runcRoot(), w.socket(), Path.of(w.nodeDir()));
            }
        });
        phase("unmount", () -> counts[1] = unmountAll());
        if (!record.firstNodeInNamespace()) {
            phase("remove iptables chains", this::removeIptablesChains); // an earlier version's first node ran on the host
        }
        phase("remove cgroups", this::removeCgroups);
        phase("remove the nodes' network namespaces", () -> {
            if (record.firstNodeInNamespace()) {
                problems.addAll(NodeNamespace.remove(record.netns(), record.veth()));
            }
            record.workers().forEach(w -> problems.addAll(NodeNamespace.remove(w.netns(), w.veth())));
        });
        phase("remove the network guard", () -> HostNetworkGuard.of(record).remove());
        phase("restore ip_forward", this::restoreIpForward);
        phase("delete runtime state", () -> {
            new NodeDirectories(Path.of(record.nodeDir())).runtimeState().forEach(this::deleteQuietly);
            for (NodeRecord.Worker w : record.workers()) {
                new NodeDirectories(Path.of(w.nodeDir())).runtimeState().forEach(this::deleteQuietly);
            }
        });
        phase("remove container log links", this::removeContainerLogLinks);
        phase("remove the socket directory", () -> {
            for (Path socketDir : outsideSocketDirs()) {
                deleteQuietly(socketDir); // /run/polykube/<name>, used when the cluster directory is too deep for a socket
            }
        });
        LOG.info("Cluster '{}': node cleaned in {} ms ({} shim(s) stopped, {} mount(s) removed){}", record.clusterName(),
                (System.nanoTime() - t0) / 1_000_000, counts[0], counts[1], problems.isEmpty() ? "" : "; problems: " + problems);
        return List.copyOf(problems);
    }

    /** Runs one phase; a failure is recorded and the next phases still run. */
    private void phase(String name, Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            problems.add(name + ": " + e);
        }
    }

    /** containerd-shim processes whose command line names our containerd socket. */
    static List<ProcessHandle> shims(String socket) {
        List<ProcessHandle> out = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) procs::iterator) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                List<String> args = cmdline(p.resolve("cmdline"));
                if (args.isEmpty() || !args.get(0).contains("containerd-shim")) {
                    continue;
                }
                int i = args.indexOf("-address");
                if (i >= 0 && i + 1 < args.size() && args.get(i + 1).equals(socket)) {
                    ProcessHandle.of(Long.parseLong(name)).ifPresent(out::add);
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot list /proc: {}", e.toString());
        }
        return out;
    }

    private static List<String> cmdline(Path file) {
        try {
            String raw = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
            return raw.isEmpty() ? List.of() : List.of(raw.split("\0"));
        } catch (IOException e) {
            return List.of();
        }
    }

    private int stopContainers(String runcRootDir, String socket, Path nodeDir) {
        Path runcRoot = Path.of(runcRootDir).resolve(Images.NAMESPACE);
        if (Files.isDirectory(runcRoot)) {
            String runc = NodeRuntimeTools.runc().toString();
            HostCommand.Result list = HostCommand.run(runc, "--root", runcRoot.toString(), "list", "-q");
            if (list.ok()) {
                for (String id : list.output().split("\n")) {
                    if (!id.isBlank()) {
                        HostCommand.run(runc, "--root", runcRoot.toString(), "delete", "--force", id.strip());
                    }
                }
            }
        }
        List<ProcessHandle> shims = shims(socket);
        for (ProcessHandle shim : shims) {
            shim.descendants().forEach(ProcessHandle::destroyForcibly);
            shim.destroyForcibly();
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        for (ProcessHandle shim : shims) {
            while (shim.isAlive() && System.nanoTime() < deadline) {
                pause();
            }
            if (shim.isAlive()) {
                problems.add("shim pid " + shim.pid() + " did not exit");
            }
        }
        deleteShimSockets(nodeDir);
        return shims.size();
    }

    /** Each shim wrote its socket address into its bundle ({@code address}); the socket lives in /run/containerd/s. */
    private void deleteShimSockets(Path nodeDir) {
        Path tasks = new NodeDirectories(nodeDir).shimTasks();
        if (!Files.isDirectory(tasks)) {
            return;
        }
        try (Stream<Path> files = Files.walk(tasks, 3)) {
            files.filter(f -> f.getFileName().toString().equals("address")).forEach(f -> {
                try {
                    String address = Files.readString(f).strip();
                    if (address.startsWith("unix://")) {
                        Files.deleteIfExists(Path.of(address.substring("unix://".length())));
                    }
                } catch (IOException | RuntimeException e) {
                    // a missing or unreadable address is fine: nothing to remove
                }
            });
        } catch (IOException e) {
            problems.add("cannot list " + tasks + ": " + e.getMessage());
        }
    }

    /** Mount points under the node directory (deepest first), from /proc/self/mountinfo. */
    static List<String> mountsUnder(Path dir) {
        try {
            return MountPoints.under(dir).stream().map(Path::toString).toList();
        } catch (IOException e) {
            LOG.warn("cannot read /proc/self/mountinfo: {}", e.toString());
            return List.of();
        }
    }

    private int unmountAll() {
        int count = 0;
        for (Path dir : dirs()) {
            for (int round = 0; round < 3; round++) {
                List<String> mounts = mountsUnder(dir);
                if (mounts.isEmpty()) {
                    break;
                }
                for (String m : mounts) {
                    if (HostCommand.run("umount", m).ok() || HostCommand.run("umount", "-l", m).ok()) {
                        count++;
                    }
                }
            }
            List<String> left = mountsUnder(dir);
            if (!left.isEmpty()) {
                problems.add("mounts left under " + dir + ": " + left);
            }
        }
        return count;
    }

    private List<Path> dirs() {
        List<Path> dirs = new ArrayList<>(List.of(Path.of(record.nodeDir())));
        dirs.addAll(outsideSocketDirs());
        return dirs;
    }

    /** Socket directories outside the node directory (under /run/polykube when the cluster directory is too deep). */
    private List<Path> outsideSocketDirs() {
        List<Path> out = new ArrayList<>();
        List<String> sockets = new ArrayList<>(List.of(record.socket()));
        record.workers().forEach(w -> sockets.add(w.socket()));
        for (String socket : sockets) {
            Path socketDir = Path.of(socket).getParent();
            if (!socketDir.startsWith(Path.of(record.nodeDir()))) {
                out.add(socketDir);
            }
        }
        return out;
    }

    /**
     * For a record of an earlier polykube, whose first node ran in the host's network namespace: kube-proxy's own
     * cleanup, then any KUBE-* (kubelet's canaries) and CNI-* (portmap) chain. Today every node's chains are in its own
     * namespace and go with it; the host's chains are never touched.
     */
    private void removeIptablesChains() {
        if (hasChains("KUBE-") && kubeProxy.isPresent() && Files.isExecutable(kubeProxy.get())) {
            HostCommand.Result r = HostCommand.run(kubeProxy.get().toString(), "--cleanup", "--v=0");
            if (!r.ok()) {
                LOG.info("kube-proxy --cleanup exited with {}: {}", r.exitCode(), r.output().strip());
            }
        }
        for (String table : List.of("filter", "nat", "mangle")) {
            HostCommand.Result rules = HostCommand.run("iptables", "-w", "5", "-t", table, "-S");
            if (!rules.ok()) {
                continue;
            }
            List<String> chains = new ArrayList<>();
            for (String line : rules.output().split("\n")) {
                if (line.startsWith("-N KUBE-") || line.startsWith("-N CNI-")) {
                    chains.add(line.substring(3).strip());
                }
            }
            if (chains.isEmpty()) {
                continue;
            }
            for (String line : rules.output().split("\n")) {
                String[] words = line.split(" ");
                if (words.length > 1 && words[0].equals("-A") && !chains.contains(words[1])
                        && chains.stream().anyMatch(c -> line.contains("-j " + c))) {
                    List<String> delete = new ArrayList<>(List.of("iptables", "-w", "5", "-t", table, "-D"));
                    delete.addAll(shellWords(line.substring(3)));
                    HostCommand.run(delete);
                }
            }
            chains.forEach(c -> HostCommand.run("iptables", "-w", "5", "-t", table, "-F", c));
            for (String c : chains) {
                HostCommand.Result r = HostCommand.run("iptables", "-w", "5", "-t", table, "-X", c);
                if (!r.ok()) {
                    problems.add("iptables -t " + table + " -X " + c + ": " + r.output().strip());
                }
            }
        }
    }

    private static boolean hasChains(String prefix) {
        for (String table : List.of("filter", "nat", "mangle")) {
            if (HostCommand.run("iptables", "-w", "5", "-t", table, "-S").output().contains("-N " + prefix)) {
                return true;
            }
        }
        return false;
    }

    /** Splits an iptables-save rule into words, keeping quoted comments together. */
    static List<String> shellWords(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                quoted = !quoted;
                any = true;
            } else if (c == '\\' && i + 1 < line.length() && quoted) {
                word.append(line.charAt(++i));
            } else if (c == ' ' && !quoted) {
                if (any) {
                    out.add(word.toString());
                }
                word.setLength(0);
                any = false;
            } else {
                word.append(c);
                any = true;
            }
        }
        if (any) {
            out.add(word.toString());
        }
        return out;
    }

    /**
     * Removes the cgroups kubelet made (kubepods, per QoS class and pod) under the nodes' own cgroup roots, and the roots,
     * in every v1 hierarchy, deepest first.
     */
    private void removeCgroups() {
        Path base = Path.of("/sys/fs/cgroup");
        List<Path> roots = new ArrayList<>();
        List<String> rootNames = new ArrayList<>(List.of(record.firstNodeCgroup()));
        record.workers().forEach(w -> rootNames.add(w.cgroupRoot().substring(1)));
        try (Stream<Path> hierarchies = Files.list(base)) {
            for (Path h : (Iterable<Path>) hierarchies::iterator) {
                for (String name : rootNames) {
                    Path root = h.resolve(name);
                    if (Files.isDirectory(root)) {
                        roots.add(root);
                    }
                }
            }
        } catch (IOException e) {
            return;
        }
        for (Path root : roots) {
            for (int round = 0; round < 5 && Files.exists(root); round++) {
                List<Path> dirs = new ArrayList<>();
                try (Stream<Path> walk = Files.walk(root)) {
                    walk.filter(Files::isDirectory).forEach(dirs::add);
                } catch (IOException | java.io.UncheckedIOException e) {
                    continue; // a cgroup vanished while we listed it: list again
                }
                dirs.sort(Comparator.comparingInt(Path::getNameCount).reversed());
                for (Path d : dirs) {
                    reclaimMemory(d);
                    try {
                        Files.delete(d);
                    } catch (IOException e) {
                        // busy (a process still in it) or already gone
                    }
                }
            }
            if (Files.exists(root)) {
                problems.add("cgroup " + root + " is still in use");
            }
        }
    }

    /**
     * Empties a v1 memory cgroup before it is removed. Without it the kernel keeps every removed pod and container cgroup
     * as a dying one, held by the page cache and the dentries charged to it, until memory runs short: seen, 545 of them
     * after 190 pods, 1,168 after a day of test runs. Emptying a parent also frees its dying descendants, so the node's
     * root, emptied last, takes with it those of the pods kubelet deleted while the cluster ran. Other hierarchies have
     * no such file.
     */
    private static void reclaimMemory(Path cgroup) {
        Path forceEmpty = cgroup.resolve("memory.force_empty");
        if (Files.exists(forceEmpty, LinkOption.NOFOLLOW_LINKS)) {
            try {
                Files.writeString(forceEmpty, "0");
            } catch (IOException e) {
                // the delete that follows tells whether the cgroup could go
            }
        }
    }

    /**
     * kubelet links every container log from the fixed /var/log/containers; remove the links into our directory, and the
     * directory if it was not there before the cluster started and is empty now.
     */
    private void removeContainerLogLinks() {
        Path links = CONTAINER_LOG_LINKS;
        if (!Files.isDirectory(links)) {
            return;
        }
        try (Stream<Path> files = Files.list(links)) {
            for (Path link : (Iterable<Path>) files::iterator) {
                if (Files.isSymbolicLink(link) && Files.readSymbolicLink(link).startsWith(Path.of(record.nodeDir()))) {
                    Files.deleteIfExists(link);
                }
            }
        } catch (IOException e) {
            problems.add("cannot clean " + links + ": " + e.getMessage());
        }
        if (!Boolean.FALSE.equals(record.containerLogLinksBefore())) {
            return; // it was there before the cluster (another kubelet's, maybe): only our links go
        }
        try (Stream<Path> left = Files.list(links)) {
            if (left.findAny().isEmpty()) {
                Files.delete(links); // our kubelet made it, and nothing else put a link in it since
            }
        } catch (IOException e) {
            // not empty or already gone: leave it
        }
    }

    private void restoreIpForward() {
        if ("0".equals(record.ipForwardBefore())) {
            try {
                io.polykube.runtime.preflight.Sysctl.write("net.ipv4.ip_forward", "0");
                LOG.info("Cluster '{}': net.ipv4.ip_forward restored to 0", record.clusterName());
            } catch (RuntimeException e) {
                problems.add("cannot restore net.ipv4.ip_forward: " + e.getMessage());
            }
        }
    }

    /** Deletes {@code dir} unless something is still mounted under it (reported by {@link #unmountAll}). */
    private void deleteQuietly(Path dir) {
        if (!Files.exists(dir) || !mountsUnder(dir).isEmpty()) {
            return;
        }
        try {
            TreeDeletion.delete(dir);
        } catch (IOException e) {
            problems.add("cannot delete " + dir + ": " + e.getMessage());
        }
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static Optional<NodeRecord> recordOf(Path nodeDir) {
        return NodeRecord.read(nodeDir);
    }
}
