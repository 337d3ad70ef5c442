package io.polykube.api.spec;

import io.polykube.net.Cidr;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The node a {@code FULL} cluster runs (ignored by {@code CONTROL_PLANE} clusters, except its name in certificates).
 *
 * @param dns whether the cluster runs its DNS (CoreDNS behind Service {@code kube-system/kube-dns})
 */
public record NodeOptions(String name, Cidr podCidr, Cidr clusterCidr, int maxPods, Map<String, String> labels, List<String> taints,
        boolean dns) {
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
        labels = Map.copyOf(labels);
        taints = List.copyOf(taints);
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

        public NodeOptions build() {
            return new NodeOptions(name, Cidr.parse("node podCidr", podCidr), Cidr.parse("node clusterCidr", clusterCidr),
                    maxPods, labels, taints, dns);
        }
    }
}
