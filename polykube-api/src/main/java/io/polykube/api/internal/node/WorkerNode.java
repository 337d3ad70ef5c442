package io.polykube.api.internal.node;

import io.polykube.api.error.PolykubeException;
import io.polykube.api.internal.ComponentContext;
import io.polykube.api.layout.NodeDirectories;
import io.polykube.api.spec.ClusterHostNames;
import io.polykube.api.status.Component;
import io.polykube.api.status.PortName;
import io.polykube.net.Cidr;
import io.polykube.net.ClusterNetwork;
import io.polykube.runtime.process.ProcessSpec;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * One worker of a multi-node {@code FULL} cluster, on this host: a network namespace of its own ({@code polykube-<cluster>-<worker>})
 * joined to the cluster's bridge by a veth pair, with its node IP from the node network, a default route to the host, and
 * a host route of its pod CIDR to it; its own containerd, kubelet and kube-proxy ({@link NodeContainerd},
 * {@link KubeletProcess}, {@link KubeProxyProcess}), run inside the namespace with {@code nsenter --net} (the mount
 * namespace stays the host's, so containerd sees kubelet's volume mounts); its own directories under
 * {@code <cluster>/node/workers/<name>/} and cgroup root. Its kubelet joins by TLS bootstrap.
 */
final class WorkerNode {
    static final Path NETNS_DIR = Path.of("/run/netns");
    /** Names of a process of this worker: {@code <component>.<worker>}. */
    static final String SEPARATOR = ".";

    private final ComponentContext ctx;
    private final HostNetworkGuard guard;
    private final String name;
    private final ClusterNetwork network;
    private final Cidr podCidr;
    private final InetAddress nodeIp;
    private final Path dir;
    private final NodeDirectories dirs;
    private final Path socket;
    private final String netns;
    private final NodeContext node;
    private final String veth;
    private final String cgroupRoot;

    WorkerNode(ComponentContext ctx, ClusterHostNames names, HostNetworkGuard guard, int index) {
        this.ctx = ctx;
        this.guard = guard;
        this.network = ctx.network();
        this.name = ctx.spec().node().workerNames().get(index - 1);
        this.podCidr = network.podCidr(index);
        this.nodeIp = network.nodeAddress(index);
        this.dirs = ctx.layout().worker(name);
        this.dir = dirs.root();
        this.socket = NodeContainerd.socketPath(dirs, names.containerdSocket(name));
        this.netns = names.netns(name);
        this.veth = names.veth(name);
        this.cgroupRoot = names.cgroupRoot(name);
        this.node = new NodeContext(ctx, name, dirs, socket, nodeIp, Optional.of(NETNS_DIR.resolve(netns)));
    }

    String name() {
        return name;
    }

    InetAddress nodeIp() {
        return nodeIp;
    }

    Cidr podCidr() {
        return podCidr;
    }

    Path socket() {
        return socket;
    }

    /** Whether kubelet holds its serving certificate (after polykube approved its request). */
    boolean hasServingCertificate() {
        return Files.exists(dirs.kubeletServingCert());
    }

    static String processName(Component component, String worker) {
        return component.processName() + SEPARATOR + worker;
    }

    NodeRecord.Worker record() {
        return new NodeRecord.Worker(name, netns, veth, dir.toString(), socket.toString(), dirs.runcRoot().toString(),
                cgroupRoot, podCidr.toString(), nodeIp.getHostAddress());
    }

    /**
     * Creates the directories, the network namespace with its veth, addresses and routes, and the cgroup root. The bridge
     * (the network guard) must be installed.
     */
    void plumb() {
        try {
            for (Path d : List.of(dirs.containerdRoot(), dirs.containerdState(), socket.getParent(), dirs.kubeletRoot(), dirs.cniConfDir(), dirs.ipamDir(),
                    dirs.podLogs(), dirs.config())) {
                Files.createDirectories(d);
            }
        } catch (IOException e) {
            throw new PolykubeException("cannot create the directories of node " + name + " in " + dir + ": " + e.getMessage(), e);
        }
        String bridge = guard.bridge();
        String prefix = "/" + network.nodeNetwork().prefixLength();
        HostCommand.run("ip", "addr", "replace", network.nodeNetworkGateway().getHostAddress() + prefix, "dev", bridge)
                .orThrow("give the bridge " + bridge + " the node network's gateway");
        HostCommand.run("ip", "netns", "add", netns).orThrow("create the network namespace " + netns + " of node " + name);
        HostCommand.run("ip", "link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", netns)
                .orThrow("create the veth pair of node " + name);
        HostCommand.run("ip", "link", "set", veth, "master", bridge).orThrow("attach " + veth + " to " + bridge);
        HostCommand.run("ip", "link", "set", veth, "up").orThrow("bring " + veth + " up");
        HostCommand.run("ip", "-n", netns, "link", "set", "lo", "up").orThrow("bring lo up in " + netns);
        HostCommand.run("ip", "-n", netns, "addr", "add", nodeIp.getHostAddress() + prefix, "dev", "eth0")
                .orThrow("give node " + name + " its address");
        HostCommand.run("ip", "-n", netns, "link", "set", "eth0", "up").orThrow("bring eth0 up in " + netns);
        HostCommand.run("ip", "-n", netns, "route", "add", "default", "via", network.nodeNetworkGateway().getHostAddress())
                .orThrow("route node " + name + "'s traffic to the host");
        HostCommand.run(node.inNamespace("sysctl", "-q", "-w", "net.ipv4.ip_forward=1", "net.bridge.bridge-nf-call-iptables=1",
                "net.ipv4.conf.all.route_localnet=1")).orThrow("set the sysctls of node " + name);
        HostCommand.run("ip", "route", "replace", podCidr.toString(), "via", nodeIp.getHostAddress(), "dev", bridge)
                .orThrow("route node " + name + "'s pod CIDR " + podCidr + " to it");
        makeCgroupRoot();
    }

    /** kubelet insists its cgroup root exists in every hierarchy (cgroup v1); cpuset children start empty, so they are filled. */
    private void makeCgroupRoot() {
        Path base = Path.of("/sys/fs/cgroup");
        try (Stream<Path> hierarchies = Files.list(base)) {
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
            throw new PolykubeException("cannot create the cgroup " + cgroupRoot + " of node " + name + ": " + e.getMessage(), e);
        }
    }

    /** containerd, in the namespace; ready once it holds the sandbox image. */
    ProcessSpec containerd(Path sandboxTarball) {
        Path config = NodeContainerd.writeConfig(node, dirs.configFile("containerd.toml"), dirs.configFile("registry-hosts"));
        CniBridge.writeWorker(node, podCidr);
        return NodeContainerd.process(node, config, sandboxTarball);
    }

    /** kubelet (TLS bootstrap with {@code bootstrapKubeconfig}) and kube-proxy, in the namespace. */
    List<ProcessSpec> joining(Path bootstrapKubeconfig, List<InetAddress> clusterDns) {
        ProcessSpec kubelet = KubeletProcess.worker(node, cgroupRoot, bootstrapKubeconfig, clusterDns);
        ProcessSpec proxy = KubeProxyProcess.worker(node, apiServerFromNodes());
        return List.of(kubelet, proxy);
    }

    /** The API server as nodes reach it: its address on the cluster's bridge (127.0.0.1 is the namespace's own loopback). */
    URI apiServerFromNodes() {
        return URI.create("https://" + ctx.apiServerBindAddress().getHostAddress() + ":" + ctx.port(PortName.API_SERVER));
    }







    /** Removes what {@link #plumb()} put on the host for the recorded worker (the bridge's routes go with the bridge). */
    static List<String> unplumb(NodeRecord.Worker worker) {
        List<String> problems = new ArrayList<>();
        problems.addAll(killProcessesIn(NETNS_DIR.resolve(worker.netns())));
        if (Files.exists(NETNS_DIR.resolve(worker.netns()))) {
            HostCommand.Result r = HostCommand.run("ip", "netns", "del", worker.netns());
            if (!r.ok()) {
                problems.add("ip netns del " + worker.netns() + ": " + r.output().strip());
            }
        }
        if (HostCommand.run("ip", "link", "show", "dev", worker.veth()).ok()) {
            HostCommand.Result r = HostCommand.run("ip", "link", "del", worker.veth());
            // the kernel removes the host end with the namespace's end, maybe just now
            if (!r.ok() && HostCommand.run("ip", "link", "show", "dev", worker.veth()).ok()) {
                problems.add("ip link del " + worker.veth() + ": " + r.output().strip());
            }
        }
        return problems;
    }

    /**
     * Kills what still runs in the worker's network namespace: only this worker's processes can be there (its containerd,
     * kubelet, kube-proxy and shims), for example one a killed owner launched just before it died, too late to record it.
     */
    static List<String> killProcessesIn(Path netnsFile) {
        if (!Files.exists(netnsFile)) {
            return List.of();
        }
        String target;
        try {
            target = "net:[" + Files.getAttribute(netnsFile, "unix:ino") + "]";
        } catch (IOException | UnsupportedOperationException e) {
            return List.of("cannot read the inode of " + netnsFile + ": " + e.getMessage());
        }
        List<ProcessHandle> inside = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) procs::iterator) {
                String pid = p.getFileName().toString();
                if (!pid.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    if (target.equals(Files.readSymbolicLink(p.resolve("ns").resolve("net")).toString())) {
                        ProcessHandle.of(Long.parseLong(pid)).ifPresent(inside::add);
                    }
                } catch (IOException e) {
                    // gone, or a kernel thread
                }
            }
        } catch (IOException e) {
            return List.of("cannot list /proc: " + e.getMessage());
        }
        inside.forEach(ProcessHandle::destroyForcibly);
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(5).toNanos();
        List<String> problems = new ArrayList<>();
        for (ProcessHandle h : inside) {
            try {
                h.onExit().get(Math.max(1, deadline - System.nanoTime()), java.util.concurrent.TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                // checked below
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (h.isAlive()) {
                problems.add("pid " + h.pid() + " in " + netnsFile + " did not exit");
            }
        }
        return problems;
    }

    @Override
    public String toString() {
        return "WorkerNode[" + name + " " + nodeIp.getHostAddress() + ", pods " + podCidr + ", netns " + netns + "]";
    }
}
