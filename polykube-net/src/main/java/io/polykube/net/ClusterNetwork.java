package io.polykube.net;

import java.math.BigInteger;
import java.net.InetAddress;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The network of one cluster, and every address derived from it. Immutable; the constructor validates.
 *
 * <ul>
 *   <li>{@link #serviceCidr()}, the Services' virtual addresses: its first address is the {@code kubernetes} Service
 *       ({@link #kubernetesServiceAddress()}), its tenth the cluster DNS ({@link #dnsAddress()}), as kubeadm places them.</li>
 *   <li>{@link #clusterCidr()}, every pod address of the cluster, cut in blocks of the {@link #podCidr()}'s size: node 0
 *       (the first node) gets {@link #podCidr()}, node {@code i} the {@code i}-th block after it ({@link #podCidr(int)});
 *       the last block is the node network ({@link #nodeNetwork()}): the host's address on the cluster bridge
 *       ({@link #nodeNetworkGateway()}, also the API server's) and every node's IP ({@link #nodeAddress(int)}).</li>
 *   <li>{@link #gateway()}, the first address of {@link #podCidr()}: node 0's pods' gateway.</li>
 *   <li>{@link #clusterDomain()}, the DNS domain of Services and pods.</li>
 * </ul>
 *
 * <p>The defaults ({@link #defaults()}) are the one place where polykube's network defaults are written.
 */
public record ClusterNetwork(Cidr serviceCidr, Cidr clusterCidr, Cidr podCidr, String clusterDomain) {
    /** The default service network, {@code 10.96.0.0/16}: the {@code kubernetes} Service at 10.96.0.1, the DNS at 10.96.0.10. */
    public static final Cidr DEFAULT_SERVICE_CIDR = Cidr.parse("serviceCidr", "10.96.0.0/16");
    /** The default pod network of the whole cluster, {@code 10.244.0.0/16}. */
    public static final Cidr DEFAULT_CLUSTER_CIDR = Cidr.parse("clusterCidr", "10.244.0.0/16");
    /** The default pod network of the first node, {@code 10.244.0.0/24}: its pods' gateway at 10.244.0.1. */
    public static final Cidr DEFAULT_POD_CIDR = Cidr.parse("podCidr", "10.244.0.0/24");
    public static final String DEFAULT_CLUSTER_DOMAIN = "cluster.local";
    /** Which address of the service network the cluster DNS gets (the tenth, as kubeadm does). */
    public static final int DNS_OFFSET = 10;

    private static final Pattern DNS_NAME = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    /**
     * @throws CidrException naming the field that is wrong: a pod CIDR outside the cluster CIDR, a service network that
     *     overlaps the pods' or holds no service address, a cluster domain that is not a DNS name
     */
    public ClusterNetwork {
        Objects.requireNonNull(serviceCidr, "serviceCidr");
        Objects.requireNonNull(clusterCidr, "clusterCidr");
        Objects.requireNonNull(podCidr, "podCidr");
        Objects.requireNonNull(clusterDomain, "clusterDomain");
        if (!clusterCidr.contains(podCidr.network()) || podCidr.prefixLength() < clusterCidr.prefixLength()) {
            throw new CidrException("podCidr", podCidr + " must lie inside clusterCidr " + clusterCidr
                    + ": choose a podCidr inside it, or a clusterCidr around it");
        }
        if (serviceCidr.contains(clusterCidr.network()) || clusterCidr.contains(serviceCidr.network())) {
            throw new CidrException("serviceCidr", serviceCidr + " overlaps clusterCidr " + clusterCidr
                    + ": choose networks that do not overlap");
        }
        serviceCidr.firstAddress(); // the kubernetes Service's address: refuses a /31 or /32, saying which prefix fits
        if (clusterDomain.length() > 253 || !DNS_NAME.matcher(clusterDomain).matches()) {
            throw new CidrException("clusterDomain", "'" + clusterDomain + "' is not a lower case DNS name such as "
                    + DEFAULT_CLUSTER_DOMAIN);
        }
    }

    /** The defaults: services in 10.96.0.0/16, pods in 10.244.0.0/16 (the first node's in 10.244.0.0/24), cluster.local. */
    public static ClusterNetwork defaults() {
        return new ClusterNetwork(DEFAULT_SERVICE_CIDR, DEFAULT_CLUSTER_CIDR, DEFAULT_POD_CIDR, DEFAULT_CLUSTER_DOMAIN);
    }

    /** The {@code kubernetes} Service's address: the first of the service network (10.96.0.1 by default). */
    public InetAddress kubernetesServiceAddress() {
        return serviceCidr.firstAddress();
    }

    /**
     * The cluster DNS Service's address: the tenth of the service network (10.96.0.10 by default).
     *
     * @throws CidrException when the service network is too small to hold it
     */
    public InetAddress dnsAddress() {
        int bits = serviceCidr.network().getAddress().length * 8;
        if (bits - serviceCidr.prefixLength() < 4) {
            throw new CidrException("serviceCidr", serviceCidr + " is too small for the cluster DNS at its tenth address: use "
                    + "a prefix of at most /" + (bits - 4) + ", or no cluster DNS");
        }
        return serviceCidr.addressAt(DNS_OFFSET);
    }

    /** The first address of {@link #podCidr()} (10.244.0.1 by default): node 0's pod bridge, its pods' gateway. */
    public InetAddress gateway() {
        return podCidr.addressAt(1);
    }

    /**
     * Node {@code node}'s pod network: {@link #podCidr()} for node 0, the {@code node}-th block of its size after it for
     * the others (10.244.1.0/24 for node 1 by default).
     *
     * @throws IllegalArgumentException when the cluster CIDR holds no such node ({@link #maxNodes()})
     */
    public Cidr podCidr(int node) {
        requireNode(node);
        if (node == 0) {
            return podCidr;
        }
        return block("podCidr(" + node + ")", firstBlock() + node);
    }

    /** The network of the nodes' IPs, on the cluster bridge: the last podCidr-sized block of the cluster CIDR. */
    public Cidr nodeNetwork() {
        return block("nodeNetwork", blocks() - 1);
    }

    /**
     * The host's address in {@link #nodeNetwork()} (its first, 10.244.255.1 by default): where the nodes send what leaves
     * them, and the API server's address in a cluster with nodes.
     */
    public InetAddress nodeNetworkGateway() {
        return nodeNetwork().addressAt(1);
    }

    /**
     * Node {@code node}'s IP: address {@code node + 2} of {@link #nodeNetwork()} (10.244.255.2 for node 0, 10.244.255.3
     * for node 1 by default); every node runs in a network namespace of its own.
     *
     * @throws IllegalArgumentException when the cluster CIDR holds no such node ({@link #maxNodes()})
     */
    public InetAddress nodeAddress(int node) {
        requireNode(node);
        return nodeNetwork().addressAt(2L + node);
    }

    /**
     * How many nodes the cluster CIDR holds: one pod block each from {@link #podCidr()} on, and the last for the node
     * network, which holds the host's address and one per node.
     */
    public int maxNodes() {
        long blocksRoom = blocks() - 1 - firstBlock();
        long addressRoom = (1L << Math.min(62, hostBits())) - 3; // network, host and broadcast addresses
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, Math.min(blocksRoom, addressRoom)));
    }

    /**
     * Checks that the cluster CIDR holds {@code nodes} nodes.
     *
     * @throws CidrException saying how many blocks they need and what to change
     */
    public void requireRoomFor(int nodes) {
        if (nodes > maxNodes()) {
            throw new CidrException("clusterCidr", nodes + " nodes need " + (nodes + 1) + " blocks of /" + podCidr.prefixLength()
                    + " in clusterCidr " + clusterCidr + " (one per node from podCidr " + podCidr + " on, and the last one for "
                    + "the node addresses, " + (nodes + 3) + " addresses each): use a larger clusterCidr, a smaller podCidr, or fewer "
                    + "nodes");
        }
    }

    private void requireNode(int node) {
        if (node < 0 || node >= maxNodes()) {
            throw new IllegalArgumentException("no node " + node + " in clusterCidr " + clusterCidr + ": it holds "
                    + (maxNodes() == 0 ? "no node" : "nodes 0.." + (maxNodes() - 1)) + " with podCidr " + podCidr);
        }
    }

    private int hostBits() {
        return podCidr.network().getAddress().length * 8 - podCidr.prefixLength();
    }

    /** How many podCidr-sized blocks the cluster CIDR holds. */
    private long blocks() {
        return 1L << Math.min(62, podCidr.prefixLength() - clusterCidr.prefixLength());
    }

    /** The index of {@link #podCidr()} among the blocks. */
    private long firstBlock() {
        BigInteger offset = new BigInteger(1, podCidr.network().getAddress()).subtract(new BigInteger(1, clusterCidr.network().getAddress()));
        return offset.shiftRight(hostBits()).longValueExact();
    }

    private Cidr block(String field, long index) {
        return Cidr.of(field, clusterCidr.addressAt(index << hostBits()), podCidr.prefixLength());
    }
}
