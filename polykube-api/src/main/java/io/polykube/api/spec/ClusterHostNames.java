package io.polykube.api.spec;

import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Every name a cluster gives to what it puts on the host, derived from the cluster's name here and nowhere else: the
 * bridge, the iptables chain, the CNI network, the containerd socket under {@code /run/polykube}, and each worker's
 * network namespace, veth and cgroup root.
 *
 * <p>The length rule: a cluster name has 1 to {@value #MAX_CLUSTER_NAME} characters, so that every derived name fits the
 * host's limits: interface names (the bridge, a veth) at most {@value #MAX_INTERFACE_NAME} characters (the kernel's
 * {@code IFNAMSIZ} less its NUL), iptables chain names at most {@value #MAX_CHAIN_NAME}. The constructor refuses any
 * other name.
 */
public record ClusterHostNames(String clusterName) {
    /**
     * Where polykube keeps what is host-wide rather than a cluster directory's: the lock of the one {@code FULL} cluster a
     * host runs, and a containerd socket whose path in the cluster directory would be too long.
     */
    public static final Path HOST_DIRECTORY = Path.of("/run/polykube");
    /** The longest cluster name: {@code POLYKUBE-} and 16 characters make a chain name of 25 (27 with {@code -F}). */
    public static final int MAX_CLUSTER_NAME = 16;
    /** The longest Linux interface name ({@code IFNAMSIZ} is 16 with the NUL). */
    public static final int MAX_INTERFACE_NAME = 15;
    /** The longest iptables chain name. */
    public static final int MAX_CHAIN_NAME = 28;

    private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9]{0," + (MAX_CLUSTER_NAME - 2) + "}[a-z0-9])?");
    private static final String BRIDGE_PREFIX = "pk-";

    /**
     * @throws IllegalArgumentException when {@code clusterName} is not 1 to 16 lower case letters, digits or '-'
     */
    public ClusterHostNames {
        if (clusterName == null || !NAME.matcher(clusterName).matches()) {
            throw new IllegalArgumentException("name '" + clusterName + "' must be 1 to " + MAX_CLUSTER_NAME
                    + " lower case letters, digits or '-', starting and ending with a letter or digit");
        }
    }

    /** The names of the cluster {@code clusterName}. */
    public static ClusterHostNames of(String clusterName) {
        return new ClusterHostNames(clusterName);
    }

    /** The cluster's bridge: {@code pk-<name>}; a name over 12 characters is cut to 7 and a hash of 4 hex digits. */
    public String bridge() {
        return bridgeOf(clusterName);
    }

    /** The iptables chain of the network guard, in the filter and nat tables: {@code POLYKUBE-<NAME>}. */
    public String chain() {
        return chainOf(clusterName);
    }

    /**
     * The chain that keeps the host from forwarding anything but the cluster's traffic while the cluster has turned
     * {@code ip_forward} on: {@code POLYKUBE-<NAME>-F}, in the filter table, jumped to from {@code FORWARD}.
     */
    public String forwardChain() {
        return chainOf(clusterName) + "-F";
    }

    /** The CNI network's name in the nodes' conflists: {@code polykube-<name>}. */
    public String cniNetwork() {
        return "polykube-" + clusterName;
    }

    /**
     * The first node's containerd socket when the cluster directory is too deep for one:
     * {@code /run/polykube/<name>/containerd.sock} (its directory is removed at stop).
     */
    public Path containerdSocket() {
        return HOST_DIRECTORY.resolve(clusterName).resolve("containerd.sock");
    }

    /** The same for a worker: {@code /run/polykube/<name>/<worker>/containerd.sock}. */
    public Path containerdSocket(String worker) {
        return HOST_DIRECTORY.resolve(clusterName).resolve(worker).resolve("containerd.sock");
    }

    /** A node's network namespace: {@code polykube-<name>-<node>} (under {@code /run/netns}). */
    public String netns(String worker) {
        return "polykube-" + clusterName + "-" + worker;
    }

    /** The host end of a node's veth pair: {@code pkv} and 8 hex digits, 11 characters. */
    public String veth(String worker) {
        return String.format("pkv%08x", (clusterName + "/" + worker).hashCode());
    }

    /** A worker's kubelet cgroup root: {@code /polykube.<name>.<worker>}. */
    public String cgroupRoot(String worker) {
        return "/polykube." + clusterName + "." + worker;
    }

    private static String bridgeOf(String clusterName) {
        int room = MAX_INTERFACE_NAME - BRIDGE_PREFIX.length();
        if (clusterName.length() <= room) {
            return BRIDGE_PREFIX + clusterName;
        }
        return BRIDGE_PREFIX + clusterName.substring(0, room - 5) + "-" + String.format("%04x", clusterName.hashCode() & 0xffff);
    }

    private static String chainOf(String clusterName) {
        return "POLYKUBE-" + clusterName.toUpperCase(Locale.ROOT);
    }
}
