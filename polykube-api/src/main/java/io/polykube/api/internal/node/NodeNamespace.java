package io.polykube.api.internal.node;

import io.polykube.net.Cidr;
import io.polykube.net.ClusterNetwork;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * The network namespace of one node ({@code polykube-<cluster>-<node>} under {@code /run/netns}), joined to the
 * cluster's bridge by a veth pair: its node IP from the node network, a default route to the host's address on the
 * bridge, and on the host a route of the node's pod CIDR to it. Everything a node's containerd, kubelet, kube-proxy and
 * CNI plugins do to iptables and routes happens in here, so the host's own chains are never touched; removing the
 * namespace removes all of it.
 */
final class NodeNamespace {
    static final Path NETNS_DIR = Path.of("/run/netns");

    private final String node;
    private final String name;
    private final String veth;
    private final InetAddress ip;
    private final Cidr podCidr;
    private final ClusterNetwork network;
    private final String bridge;

    NodeNamespace(String node, String name, String veth, InetAddress ip, Cidr podCidr, ClusterNetwork network, String bridge) {
        this.node = node;
        this.name = name;
        this.veth = veth;
        this.ip = ip;
        this.podCidr = podCidr;
        this.network = network;
        this.bridge = bridge;
    }

    /** Its file, for {@code nsenter --net}. */
    Path file() {
        return NETNS_DIR.resolve(name);
    }

    String name() {
        return name;
    }

    String veth() {
        return veth;
    }

    /**
     * Creates the namespace with its veth, address, routes and sysctls, and routes the pod CIDR to it from the host. The
     * bridge must exist with the host's address (the network guard installs both).
     */
    void plumb() {
        String prefix = "/" + network.nodeNetwork().prefixLength();
        HostCommand.run("ip", "netns", "add", name).orThrow("create the network namespace " + name + " of node " + node);
        HostCommand.run("ip", "link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", name)
                .orThrow("create the veth pair of node " + node);
        HostCommand.run("ip", "link", "set", veth, "master", bridge).orThrow("attach " + veth + " to " + bridge);
        HostCommand.run("ip", "link", "set", veth, "up").orThrow("bring " + veth + " up");
        HostCommand.run("ip", "-n", name, "link", "set", "lo", "up").orThrow("bring lo up in " + name);
        HostCommand.run("ip", "-n", name, "addr", "add", ip.getHostAddress() + prefix, "dev", "eth0")
                .orThrow("give node " + node + " its address");
        HostCommand.run("ip", "-n", name, "link", "set", "eth0", "up").orThrow("bring eth0 up in " + name);
        HostCommand.run("ip", "-n", name, "route", "add", "default", "via", network.nodeNetworkGateway().getHostAddress())
                .orThrow("route node " + node + "'s traffic to the host");
        HostCommand.run(inside("sysctl", "-q", "-w", "net.ipv4.ip_forward=1", "net.bridge.bridge-nf-call-iptables=1",
                "net.ipv4.conf.all.route_localnet=1")).orThrow("set the sysctls of node " + node);
        HostCommand.run("ip", "route", "replace", podCidr.toString(), "via", ip.getHostAddress(), "dev", bridge)
                .orThrow("route node " + node + "'s pod CIDR " + podCidr + " to it");
    }

    /** {@code command}, run in this namespace. */
    List<String> inside(String... command) {
        return inside(file(), command);
    }

    static List<String> inside(Path netns, String... command) {
        List<String> out = new ArrayList<>(List.of(HostCommand.which("nsenter").toString(), "--net=" + netns));
        out.add("--");
        out.addAll(List.of(command));
        return out;
    }

    /**
     * Removes a recorded namespace: kills what still runs in it, deletes it (and with it every route, chain and interface
     * made in it) and the host end of its veth. Idempotent.
     *
     * @return what could not be removed
     */
    static List<String> remove(String netns, String veth) {
        List<String> problems = new ArrayList<>(killProcessesIn(NETNS_DIR.resolve(netns)));
        if (Files.exists(NETNS_DIR.resolve(netns))) {
            HostCommand.Result r = HostCommand.run("ip", "netns", "del", netns);
            if (!r.ok()) {
                problems.add("ip netns del " + netns + ": " + r.output().strip());
            }
        }
        if (HostCommand.run("ip", "link", "show", "dev", veth).ok()) {
            HostCommand.Result r = HostCommand.run("ip", "link", "del", veth);
            // the kernel removes the host end with the namespace's end, maybe just now
            if (!r.ok() && HostCommand.run("ip", "link", "show", "dev", veth).ok()) {
                problems.add("ip link del " + veth + ": " + r.output().strip());
            }
        }
        return problems;
    }

    /**
     * Kills what still runs in the network namespace {@code netnsFile}: only one node's processes can be there (its
     * containerd, kubelet, kube-proxy and shims), for example one a killed owner launched just before it died, too late
     * to record it.
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
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        List<String> problems = new ArrayList<>();
        for (ProcessHandle h : inside) {
            try {
                h.onExit().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException | TimeoutException e) {
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
        return "NodeNamespace[" + name + ", node " + node + " " + ip.getHostAddress() + ", pods " + podCidr + "]";
    }
}
