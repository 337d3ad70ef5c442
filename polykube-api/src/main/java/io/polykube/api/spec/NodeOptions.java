package io.polykube.api.spec;

import io.polykube.net.Cidr;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The nodes a {@code FULL} cluster runs (ignored by {@code CONTROL_PLANE} clusters, except the first node's name in
 * certificates): the first node (on the host, named {@link #name()}) and {@code count - 1} workers named
 * {@code worker-1, worker-2, ...}, each in its own network namespace, joining by TLS bootstrap.
 *
 * <p>Addresses: the first node's pods get {@link #podCidr()}; worker {@code i} gets the {@code i}-th block of the same size
 * after it ({@link #workerPodCidr(int)}); the workers' node IPs come from the last block of {@link #clusterCidr()}
 * ({@link #nodeNetwork()}), on the cluster's bridge. Everything stays inside the cluster CIDR, which the network guard
 * keeps on the host.
 *
 * @param dns   whether the cluster runs its DNS (CoreDNS behind Service {@code kube-system/kube-dns})
 * @param count how many nodes: 1 (the default) or up to {@value #MAX_NODES}
 */
public record NodeOptions(String name, Cidr podCidr, Cidr clusterCidr, int maxPods, Map<String, String> labels, List<String> taints,
        boolean dns, int count) {
    /** The most nodes a cluster may have (one host: each extra node costs about 150 MiB). */
    public static final int MAX_NODES = 16;

    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern TAINT = Pattern.compile("[A-Za-z0-9./_-]+(=[A-Za-z0-9._-]*)?:(NoSchedule|PreferNoSchedule|NoExecute)");

    public NodeOptions {
        if (name.length() > 253 || !DNS_SUBDOMAIN.matcher(name).matches()) {
            throw new IllegalArgumentException("node name '" + name + "' is not a DNS subdomain: use lower case letters, digits, '-' and '.'");
        }
        if (!clusterCidr.contains(podCidr.network()) || podCidr.prefixLength() < clusterCidr.prefixLength()) {
            throw new IllegalArgumentException("node podCidr " + podCidr + " must lie inside clusterCidr " + clusterCidr);
        }
        if (maxPods < 1 || maxPods > 1000) {
            throw new IllegalArgumentException("node maxPods " + maxPods + " is out of range 1..1000");
        }
        if (name.matches("worker-[0-9]+")) {
            throw new IllegalArgumentException("node name '" + name + "' is taken by the workers' names (worker-1, worker-2, ...): "
                    + "name the first node otherwise");
        }
        if (count < 1 || count > MAX_NODES) {
            throw new IllegalArgumentException("node count " + count + " is out of range 1.." + MAX_NODES);
        }
        labels = Map.copyOf(labels);
        taints = List.copyOf(taints);
        if (count > 1) {
            long blocks = 1L << Math.min(62, podCidr.prefixLength() - clusterCidr.prefixLength());
            long first = blockIndex(clusterCidr, podCidr);
            if (first + count > blocks - 1) {
                throw new IllegalArgumentException(count + " nodes need " + (count + 1) + " blocks of /" + podCidr.prefixLength()
                        + " in clusterCidr " + clusterCidr + " (one per node from podCidr " + podCidr + " on, and the last one "
                        + "for the node addresses): use a larger clusterCidr, a smaller podCidr, or fewer nodes");
            }
        }
    }

    /** The workers' names, {@code worker-1} to {@code worker-<count-1>}; empty for a single node. */
    public List<String> workerNames() {
        List<String> out = new ArrayList<>();
        for (int i = 1; i < count; i++) {
            out.add("worker-" + i);
        }
        return List.copyOf(out);
    }

    /** Worker {@code i}'s pod CIDR (1-based): the {@code i}-th block of the podCidr's size after {@link #podCidr()}. */
    public Cidr workerPodCidr(int i) {
        if (i < 1 || i >= count) {
            throw new IllegalArgumentException("no worker " + i + " among " + (count - 1));
        }
        long size = 1L << (bits() - podCidr.prefixLength());
        return Cidr.parse("worker pod CIDR", clusterCidr.addressAt(blockIndex(clusterCidr, podCidr) * size + i * size).getHostAddress()
                + "/" + podCidr.prefixLength());
    }

    /** The block the workers' node IPs come from: the last podCidr-sized block of the cluster CIDR. */
    public Cidr nodeNetwork() {
        long size = 1L << (bits() - podCidr.prefixLength());
        long blocks = 1L << Math.min(62, podCidr.prefixLength() - clusterCidr.prefixLength());
        return Cidr.parse("node network", clusterCidr.addressAt((blocks - 1) * size).getHostAddress() + "/" + podCidr.prefixLength());
    }

    private int bits() {
        return podCidr.network().getAddress().length * 8;
    }

    private static long blockIndex(Cidr cluster, Cidr pod) {
        long size = 1L << (pod.network().getAddress().length * 8 - pod.prefixLength());
        long offset = new java.math.BigInteger(1, pod.network().getAddress())
                .subtract(new java.math.BigInteger(1, cluster.network().getAddress())).longValueExact();
        return offset / size;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Collects {@link NodeOptions}; defaults: node {@code polykube-node}, pods in 10.244.0.0/24, 110 pods, cluster DNS on. */
    public static final class Builder {
        private String name = "polykube-node";
        private String podCidr = "10.244.0.0/24";
        private String clusterCidr = "10.244.0.0/16";
        private int maxPods = 110;
        private final Map<String, String> labels = new LinkedHashMap<>();
        private final List<String> taints = new ArrayList<>();
        private boolean dns = true;
        private int count = 1;

        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /** The node's pod network; the CNI bridge hands out addresses from it. */
        public Builder podCidr(String cidr) {
            this.podCidr = Objects.requireNonNull(cidr, "podCidr");
            return this;
        }

        /** The cluster's whole pod network (kube-proxy and the network guard use it). */
        public Builder clusterCidr(String cidr) {
            this.clusterCidr = Objects.requireNonNull(cidr, "clusterCidr");
            return this;
        }

        public Builder maxPods(int maxPods) {
            this.maxPods = maxPods;
            return this;
        }

        public Builder label(String key, String value) {
            labels.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** A taint such as {@code dedicated=test:NoSchedule}. */
        public Builder taint(String taint) {
            if (!TAINT.matcher(taint).matches()) {
                throw new IllegalArgumentException("taint '" + taint + "' is not key[=value]:Effect with Effect one of "
                        + "NoSchedule, PreferNoSchedule, NoExecute");
            }
            taints.add(taint);
            return this;
        }

        /**
         * Whether to run the cluster's DNS (default true): CoreDNS answers for the cluster domain at the tenth address of
         * the service CIDR and {@code start()} waits until it does. {@code false} starts faster, for tests that need no DNS.
         */
        public Builder dns(boolean dns) {
            this.dns = dns;
            return this;
        }

        /**
         * How many nodes (default 1, at most {@value NodeOptions#MAX_NODES}): the first runs on the host as a single node
         * does, the others ({@code worker-1}, ...) each in a network namespace of their own, with their own containerd,
         * kubelet (joining by TLS bootstrap) and kube-proxy. Labels and taints apply to the first node only.
         */
        public Builder count(int count) {
            this.count = count;
            return this;
        }

        public NodeOptions build() {
            return new NodeOptions(name, Cidr.parse("node podCidr", podCidr), Cidr.parse("node clusterCidr", clusterCidr),
                    maxPods, labels, taints, dns, count);
        }
    }
}
