package io.polykube.api.internal.node;

import io.polykube.api.error.PolykubeException;
import io.polykube.api.spec.ClusterHostNames;
import io.polykube.api.spec.ClusterSpec;
import io.polykube.api.status.NetworkGuard;
import io.polykube.net.Cidr;
import io.polykube.net.ClusterNetwork;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The network guard of a {@code FULL} cluster: no packet to a pod or service address may leave the machine.
 *
 * <ul>
 *   <li>The cluster's bridge ({@link #bridge()}, created if missing, with the host's address in the node network,
 *       {@link #gateway()}) and a route of the service CIDR onto it, to the first node: the host reaches Services through
 *       that node's kube-proxy, and addresses never follow the default route.</li>
 *   <li>An iptables chain {@link #chain()} jumped to first from {@code OUTPUT} and {@code FORWARD}: traffic that stays on
 *       this host ({@code -o lo}) passes, and so does this host's own traffic to a Service, out of the bridge to the first
 *       node; a packet still addressed to the service CIDR is rejected (every node translates service addresses in its
 *       own namespace, so such a packet was not translated and has nowhere legitimate to go); a packet to the cluster
 *       CIDR that would not go out of the bridge is rejected; a packet from the cluster CIDR that would leave through
 *       another interface (a pod talking to the outside) is rejected. Rejected means refused at once, locally.</li>
 *   <li>The same chain in the first node's network namespace ({@link #installIn}), where the host's packets to Services
 *       arrive: one its kube-proxy did not translate is rejected there.</li>
 * </ul>
 *
 * <p>No kube-proxy runs in the host's network namespace (every node has its own), so nothing else inserts rules above
 * the guard's jumps; {@link #keepFirst()} still puts them back on top should another program have.
 *
 * <p>The API server listens on the bridge's address only (so pods reach it through the {@code kubernetes} Service); a
 * {@code DNAT} rule in the nat table's chain {@link #chain()} (from {@code OUTPUT}) lets this host's clients reach it at
 * {@code 127.0.0.1:<port>}, so kubeconfigs name loopback: used while the cluster is down, they are refused locally
 * instead of sending packets to the bridge's address, which would then follow the default route.
 *
 * <p>Installed by the cluster before any process starts, removed at stop. A test that contacts a cluster address calls
 * {@link #requireInstalled()} first.
 */
public final class HostNetworkGuard implements NetworkGuard {
    private static final Logger LOG = LoggerFactory.getLogger(HostNetworkGuard.class);
    static final String API_LOOPBACK_RULE = "API server on loopback";
    private static final Pattern COUNTER = Pattern.compile("^\\s*(\\d+)\\s+(\\d+)\\s+REJECT\\b.*?/\\*\\s*(.*?)\\s*\\*/.*$");
    static final String SERVICE_RULE = "untranslated service address";
    static final String POD_RULE = "pod address off the bridge";
    static final String EGRESS_RULE = "pod traffic leaving the host";
    static final String FORWARD_RULE = "forwarding that is not the cluster's";
    static final String HOST_TO_SERVICES = "this host to Services, through the first node";

    private final String clusterName;
    private final String bridge;
    private final String chain;
    private final String forwardChain;
    private final ClusterNetwork network;
    private final Cidr serviceCidr;
    private final Cidr clusterCidr;
    private final String firstNodeNamespace;

    HostNetworkGuard(ClusterHostNames names, ClusterNetwork network, String firstNodeNamespace) {
        this.firstNodeNamespace = firstNodeNamespace;
        this.clusterName = names.clusterName();
        this.bridge = names.bridge();
        this.chain = names.chain();
        this.forwardChain = names.forwardChain();
        this.network = network;
        this.serviceCidr = network.serviceCidr();
        this.clusterCidr = network.clusterCidr();
    }

    /** The guard of the cluster {@code spec} describes (it need not run). */
    public static HostNetworkGuard of(ClusterSpec spec) {
        return new HostNetworkGuard(spec.hostNames(), spec.network(), spec.hostNames().netns(spec.node().name()));
    }

    /** The guard a node recorded (for cleaning after a crash): the networks are read back from {@code host.json}. */
    static HostNetworkGuard of(NodeRecord record) {
        return new HostNetworkGuard(ClusterHostNames.of(record.clusterName()), record.network(), record.netns());
    }

    @Override
    public String bridge() {
        return bridge;
    }

    @Override
    public String chain() {
        return chain;
    }

    @Override
    public Cidr serviceCidr() {
        return serviceCidr;
    }

    @Override
    public Cidr clusterCidr() {
        return clusterCidr;
    }

    /** The network it guards. */
    public ClusterNetwork network() {
        return network;
    }

    @Override
    public InetAddress gateway() {
        return network.nodeNetworkGateway();
    }

    @Override
    public boolean isInstalled() {
        return missing().isEmpty();
    }

    @Override
    public void requireInstalled() {
        keepFirst();
        List<String> missing = missing();
        if (!missing.isEmpty()) {
            throw new PolykubeException("the network guard of cluster '" + clusterName + "' is not installed (missing: "
                    + String.join(", ", missing) + "): do not contact pod or service addresses; start the cluster in mode FULL");
        }
    }

    @Override
    public long rejectedServicePackets() {
        return counter(SERVICE_RULE);
    }

    @Override
    public long rejectedPackets() {
        return rejectedByRule().values().stream().mapToLong(Long::longValue).sum();
    }

    @Override
    public Map<String, Long> rejectedByRule() {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String rule : List.of(SERVICE_RULE, POD_RULE, EGRESS_RULE)) {
            counts.put(rule, counter(rule));
        }
        return counts;
    }

    /** The packets {@code rule} rejected: on the host and, for untranslated service addresses, in the first node too. */
    private long counter(String rule) {
        long count = counter(List.of("iptables", "-w", "5", "-L", chain, "-v", "-x", "-n"), rule).orElseThrow(
                () -> new PolykubeException("the chain " + chain + " has no rule '" + rule + "': is the guard installed?"));
        if (rule.equals(SERVICE_RULE) && firstNodeNamespace != null
                && java.nio.file.Files.exists(NodeNamespace.NETNS_DIR.resolve(firstNodeNamespace))) {
            count += counter(NodeNamespace.inside(NodeNamespace.NETNS_DIR.resolve(firstNodeNamespace), "iptables", "-w", "5", "-L",
                    chain, "-v", "-x", "-n"), rule).orElse(0L);
        }
        return count;
    }

    private Optional<Long> counter(List<String> listing, String rule) {
        HostCommand.Result r = HostCommand.run(listing);
        r.orThrow("read the counters of " + chain);
        Optional<Long> sum = Optional.empty();
        for (String line : r.output().split("\n")) {
            Matcher m = COUNTER.matcher(line);
            if (m.matches() && m.group(3).endsWith(rule)) {
                sum = Optional.of(sum.orElse(0L) + Long.parseLong(m.group(1)));
            }
        }
        return sum;
    }

    List<String> missing() {
        List<String> missing = new ArrayList<>();
        if (!HostCommand.run("ip", "link", "show", "dev", bridge).ok()) {
            missing.add("bridge " + bridge);
        } else if (!HostCommand.run("ip", "-4", "route", "show", serviceCidr.toString(), "dev", bridge).output().contains(
                serviceCidr.toString())) {
            missing.add("route " + serviceCidr + " dev " + bridge);
        }
        HostCommand.Result rules = HostCommand.run("iptables", "-w", "5", "-S", chain);
        if (!rules.ok()) {
            missing.add("iptables chain " + chain);
        } else {
            for (String rule : List.of(SERVICE_RULE, POD_RULE, EGRESS_RULE)) {
                if (!rules.output().contains(rule)) {
                    missing.add("rule '" + rule + "' in " + chain);
                }
            }
        }
        for (String builtin : List.of("OUTPUT", "FORWARD")) {
            if (!HostCommand.run("iptables", "-w", "5", "-C", builtin, "-j", chain).ok()) {
                missing.add("jump from " + builtin + " to " + chain);
            } else {
                ruleAboveTheJump(builtin).ifPresent(above -> missing.add("the jump from " + builtin + " to " + chain
                        + " as its first rule ('" + above + "' comes first)"));
            }
        }
        if (!HostCommand.run("iptables", "-w", "5", "-t", "nat", "-S", chain).output().contains(API_LOOPBACK_RULE)) {
            missing.add("rule '" + API_LOOPBACK_RULE + "' in nat " + chain);
        }
        if (!HostCommand.run("iptables", "-w", "5", "-t", "nat", "-C", "OUTPUT", "-j", chain).ok()) {
            missing.add("jump from nat OUTPUT to " + chain);
        }
        return missing;
    }

    /**
     * Creates the bridge, the route, the chains and the jumps (replacing stale ones).
     *
     * @param apiServerPort the API server's port, reached from this host at {@code 127.0.0.1:<port>}
     */
    void install(int apiServerPort) {
        if (!HostCommand.run("ip", "link", "show", "dev", bridge).ok()) {
            HostCommand.run("ip", "link", "add", bridge, "type", "bridge").orThrow("create the bridge " + bridge);
        }
        HostCommand.run("ip", "addr", "replace", gateway().getHostAddress() + "/" + network.nodeNetwork().prefixLength(), "dev",
                bridge).orThrow("give the bridge " + bridge + " its address");
        HostCommand.run("ip", "link", "set", bridge, "up").orThrow("bring the bridge " + bridge + " up");
        HostCommand.run("ip", "route", "replace", serviceCidr.toString(), "via", network.nodeAddress(0).getHostAddress(), "dev",
                bridge).orThrow("route the service CIDR " + serviceCidr + " onto " + bridge);
        if (!HostCommand.run("iptables", "-w", "5", "-N", chain).ok()) {
            HostCommand.run("iptables", "-w", "5", "-F", chain).orThrow("flush the chain " + chain);
        }
        String prefix = "polykube " + clusterName + ": ";
        ipt("-A", chain, "-o", "lo", "-m", "comment", "--comment", prefix + "stays on this host", "-j", "RETURN");
        ipt("-A", chain, "-d", serviceCidr.toString(), "-o", bridge, "-m", "addrtype", "--src-type", "LOCAL", "-m", "comment",
                "--comment", prefix + HOST_TO_SERVICES, "-j", "RETURN");
        ipt("-A", chain, "-d", serviceCidr.toString(), "-m", "comment", "--comment", prefix + SERVICE_RULE,
                "-j", "REJECT", "--reject-with", "icmp-port-unreachable");
        ipt("-A", chain, "-d", clusterCidr.toString(), "!", "-o", bridge, "-m", "comment", "--comment", prefix + POD_RULE,
                "-j", "REJECT", "--reject-with", "icmp-port-unreachable");
        ipt("-A", chain, "-s", clusterCidr.toString(), "!", "-o", bridge, "-m", "comment", "--comment", prefix + EGRESS_RULE,
                "-j", "REJECT", "--reject-with", "icmp-port-unreachable");
        for (String builtin : List.of("OUTPUT", "FORWARD")) {
            if (!HostCommand.run("iptables", "-w", "5", "-C", builtin, "-j", chain).ok()) {
                ipt("-I", builtin, "1", "-j", chain);
            }
        }
        if (!HostCommand.run("iptables", "-w", "5", "-t", "nat", "-N", chain).ok()) {
            HostCommand.run("iptables", "-w", "5", "-t", "nat", "-F", chain).orThrow("flush the nat chain " + chain);
        }
        ipt("-t", "nat", "-A", chain, "-d", "127.0.0.1/32", "-p", "tcp", "--dport", Integer.toString(apiServerPort),
                "-m", "comment", "--comment", prefix + API_LOOPBACK_RULE,
                "-j", "DNAT", "--to-destination", gateway().getHostAddress() + ":" + apiServerPort);
        if (!HostCommand.run("iptables", "-w", "5", "-t", "nat", "-C", "OUTPUT", "-j", chain).ok()) {
            ipt("-t", "nat", "-I", "OUTPUT", "1", "-j", chain);
        }
        LOG.info("Cluster '{}': network guard installed (bridge {} {}, route {} dev {}, chain {} from OUTPUT and FORWARD)",
                clusterName, bridge, gateway().getHostAddress(), serviceCidr, bridge, chain);
    }

    /**
     * Puts the jumps to the guard back at the top of {@code OUTPUT} and {@code FORWARD} where another rule came above them:
     * another program's rule that accepts packets (a kube-proxy of another cluster on this host accepts marked and
     * established ones) must not come before the guard. The move never leaves the chain
     * without a jump to the guard: a second jump (with a comment) goes on top, the old one goes, the plain jump goes on top
     * again and the second one goes. A builtin chain without a jump to the guard is left alone ({@link #missing()} says so).
     */
    void keepFirst() {
        for (String builtin : List.of("OUTPUT", "FORWARD")) {
            Optional<String> above = ruleAboveTheJump(builtin);
            if (above.isEmpty()) {
                continue;
            }
            List<String> marker = List.of("-m", "comment", "--comment", "polykube " + clusterName + ": guard kept first");
            List<String> insertMarker = new ArrayList<>(List.of("-I", builtin, "1"));
            insertMarker.addAll(marker);
            insertMarker.addAll(List.of("-j", chain));
            ipt(insertMarker.toArray(String[]::new));
            ipt("-D", builtin, "-j", chain);
            ipt("-I", builtin, "1", "-j", chain);
            List<String> deleteMarker = new ArrayList<>(List.of("-D", builtin));
            deleteMarker.addAll(marker);
            deleteMarker.addAll(List.of("-j", chain));
            ipt(deleteMarker.toArray(String[]::new));
            LOG.info("Cluster '{}': the network guard's jump is first in {} again ('{}' had come above it)", clusterName,
                    builtin, above.get());
        }
    }

    /**
     * Installs the guard's service rule in the first node's network namespace, jumped to first from its {@code FORWARD}:
     * this host's packets to Services arrive there (the service CIDR is routed to that node), and one its kube-proxy did
     * not translate is rejected at once instead of being routed back. Removed with the namespace.
     */
    void installIn(NodeNamespace namespace) {
        String prefix = "polykube " + clusterName + ": ";
        HostCommand.run(namespace.inside("iptables", "-w", "5", "-N", chain)).orThrow("create the chain " + chain + " in "
                + namespace.name());
        // a reset for TCP: it refuses the host's connect() at once, where an ICMP error coming back while connect() still
        // holds its socket (the veth answers that fast) is only noted, and the connection waits for its SYN's retry
        HostCommand.run(namespace.inside("iptables", "-w", "5", "-A", chain, "-p", "tcp", "-d", serviceCidr.toString(), "-m",
                "comment", "--comment", prefix + SERVICE_RULE, "-j", "REJECT", "--reject-with", "tcp-reset"))
                .orThrow("install the network guard in " + namespace.name());
        HostCommand.run(namespace.inside("iptables", "-w", "5", "-A", chain, "-d", serviceCidr.toString(), "-m", "comment",
                "--comment", prefix + SERVICE_RULE, "-j", "REJECT", "--reject-with", "icmp-port-unreachable"))
                .orThrow("install the network guard in " + namespace.name());
        HostCommand.run(namespace.inside("iptables", "-w", "5", "-I", "FORWARD", "1", "-j", chain))
                .orThrow("install the network guard in " + namespace.name());
    }

    /** The first rule of {@code builtin} when it is not the jump to the guard and the jump is further down; else empty. */
    private Optional<String> ruleAboveTheJump(String builtin) {
        HostCommand.Result rules = HostCommand.run("iptables", "-w", "5", "-S", builtin);
        if (!rules.ok()) {
            return Optional.empty();
        }
        String jump = "-A " + builtin + " -j " + chain;
        List<String> appended = rules.output().lines().map(String::strip).filter(l -> l.startsWith("-A " + builtin + " ")).toList();
        if (appended.isEmpty() || appended.get(0).equals(jump) || !appended.contains(jump)) {
            return Optional.empty();
        }
        return Optional.of(appended.get(0));
    }

    /**
     * Keeps the host from forwarding anything but the cluster's traffic, for a cluster that turns {@code ip_forward} on
     * (it was off: the host routed nothing between its interfaces, and must not start to because a cluster runs). A
     * chain {@code POLYKUBE-<NAME>-F}, jumped to from {@code FORWARD}, lets through what comes from or goes to the
     * cluster's bridge and rejects the rest. Installed before {@code ip_forward} is turned on; {@link #remove()} removes it.
     */
    void forwardOnlyClusterTraffic() {
        if (!HostCommand.run("iptables", "-w", "5", "-N", forwardChain).ok()) {
            HostCommand.run("iptables", "-w", "5", "-F", forwardChain).orThrow("flush the chain " + forwardChain);
        }
        String prefix = "polykube " + clusterName + ": ";
        ipt("-A", forwardChain, "-i", bridge, "-m", "comment", "--comment", prefix + "from the cluster", "-j", "RETURN");
        ipt("-A", forwardChain, "-o", bridge, "-m", "comment", "--comment", prefix + "to the cluster", "-j", "RETURN");
        ipt("-A", forwardChain, "-m", "comment", "--comment", prefix + FORWARD_RULE, "-j", "REJECT", "--reject-with",
                "icmp-host-prohibited");
        if (!HostCommand.run("iptables", "-w", "5", "-C", "FORWARD", "-j", forwardChain).ok()) {
            ipt("-A", "FORWARD", "-j", forwardChain);
        }
        LOG.info("Cluster '{}': the host forwards only the cluster's traffic while it runs (chain {})", clusterName, forwardChain);
    }

    /** Packets the host would have forwarded between other interfaces, rejected by {@link #forwardOnlyClusterTraffic()}. */
    long rejectedForwarding() {
        HostCommand.Result r = HostCommand.run("iptables", "-w", "5", "-L", forwardChain, "-v", "-x", "-n");
        if (!r.ok()) {
            return 0;
        }
        for (String line : r.output().split("\n")) {
            Matcher m = COUNTER.matcher(line);
            if (m.matches() && m.group(3).endsWith(FORWARD_RULE)) {
                return Long.parseLong(m.group(1));
            }
        }
        return 0;
    }

    /** Removes the jumps, the chains, the route and the bridge. Idempotent; reports what it could not remove. */
    void remove() {
        List<String> failures = new ArrayList<>();
        removeJumpsAndChain("filter", List.of("FORWARD"), forwardChain, failures);
        removeJumpsAndChain("filter", List.of("OUTPUT", "FORWARD"), chain, failures);
        removeJumpsAndChain("nat", List.of("OUTPUT"), chain, failures);
        if (HostCommand.run("ip", "link", "show", "dev", bridge).ok()) {
            HostCommand.run("ip", "route", "del", serviceCidr.toString(), "dev", bridge);
            HostCommand.Result r = HostCommand.run("ip", "link", "del", bridge);
            if (!r.ok()) {
                failures.add(r.output().strip());
            }
        }
        if (!failures.isEmpty()) {
            LOG.warn("Cluster '{}': could not fully remove the network guard: {}", clusterName, failures);
        }
    }

    /** The numbers of the rules jumping to {@code target} in {@code iptables -L <chain> -n --line-numbers} output. */
    static List<Integer> jumpNumbers(String listing, String target) {
        List<Integer> out = new ArrayList<>();
        for (String line : listing.lines().toList()) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length > 1 && fields[0].matches("\\d+") && fields[1].equals(target)) {
                out.add(Integer.parseInt(fields[0]));
            }
        }
        return out;
    }

    /** Removes every jump from {@code builtins} of {@code table} to {@code target}, then {@code target} itself. */
    private static void removeJumpsAndChain(String table, List<String> builtins, String target, List<String> failures) {
        List<String> iptables = List.of("iptables", "-w", "5", "-t", table);
        for (String builtin : builtins) {
            // by rule number, last first: a jump with a comment (keepFirst's second jump, left by a JVM killed in the
            // middle of the move) is not matched by a plain "-D builtin -j target"
            List<Integer> numbers = jumpNumbers(HostCommand.run(with(iptables, "-L", builtin, "-n", "--line-numbers")).output(),
                    target);
            for (int i = numbers.size() - 1; i >= 0; i--) {
                HostCommand.Result r = HostCommand.run(with(iptables, "-D", builtin, Integer.toString(numbers.get(i))));
                if (!r.ok()) {
                    failures.add(r.output().strip());
                    break;
                }
            }
        }
        if (HostCommand.run(with(iptables, "-S", target)).ok()) {
            HostCommand.run(with(iptables, "-F", target));
            HostCommand.Result r = HostCommand.run(with(iptables, "-X", target));
            if (!r.ok()) {
                failures.add(r.output().strip());
            }
        }
    }

    private static List<String> with(List<String> command, String... args) {
        List<String> out = new ArrayList<>(command);
        out.addAll(List.of(args));
        return out;
    }

    private static void ipt(String... args) {
        List<String> command = new ArrayList<>(List.of("iptables", "-w", "5"));
        command.addAll(List.of(args));
        HostCommand.run(command).orThrow("install the network guard");
    }

    @Override
    public String toString() {
        return "HostNetworkGuard[" + chain + ", bridge " + bridge + ", services " + serviceCidr + ", pods " + clusterCidr + "]";
    }
}
