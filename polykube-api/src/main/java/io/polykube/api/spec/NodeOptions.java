package io.polykube.api.spec;

import io.polykube.net.Cidr;
import io.polykube.net.ClusterNetwork;
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
 * after it; the workers' node IPs come from the last block of {@link #clusterCidr()}, on the cluster's bridge. Everything
 * stays inside the cluster CIDR, which the network guard keeps on the host. {@link ClusterNetwork} derives these
 * addresses ({@code ClusterSpec.network()}) and checks that the cluster CIDR holds {@link #count()} nodes.
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
        Objects.requireNonNull(podCidr, "podCidr");
        Objects.requireNonNull(clusterCidr, "clusterCidr");
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
    }

    /** The workers' names, {@code worker-1} to {@code worker-<count-1>}; empty for a single node. */
    public List<String> workerNames() {
        List<String> out = new ArrayList<>();
        for (int i = 1; i < count; i++) {
            out.add("worker-" + i);
        }
        return List.copyOf(out);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Collects {@link NodeOptions}; defaults: node {@code polykube-node}, pods in {@link ClusterNetwork#DEFAULT_POD_CIDR}
     * (10.244.0.0/24) of {@link ClusterNetwork#DEFAULT_CLUSTER_CIDR} (10.244.0.0/16), 110 pods, cluster DNS on.
     */
    public static final class Builder {
        private String name = "polykube-node";
        /** As given; parsed at {@link #build()}, unset: {@link ClusterNetwork#DEFAULT_POD_CIDR}. */
        private String podCidr;
        /** As given; parsed at {@link #build()}, unset: {@link ClusterNetwork#DEFAULT_CLUSTER_CIDR}. */
        private String clusterCidr;
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
            Cidr pods = podCidr == null ? ClusterNetwork.DEFAULT_POD_CIDR : Cidr.parse("node podCidr", podCidr);
            Cidr cluster = clusterCidr == null ? ClusterNetwork.DEFAULT_CLUSTER_CIDR : Cidr.parse("node clusterCidr", clusterCidr);
            return new NodeOptions(name, pods, cluster, maxPods, labels, taints, dns, count);
        }
    }
}
