package io.polykube.config.kubeproxy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.polykube.net.Cidr;
import io.polykube.config.ConfigException;
import io.polykube.config.internal.Check;
import io.polykube.config.internal.CidrInput;
import io.polykube.config.internal.ConfigFiles;
import io.polykube.config.internal.Mappers;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A {@code KubeProxyConfiguration} ({@code kubeproxy.config.k8s.io/v1alpha1}): iptables mode (or
 * nftables), the pod network's cluster CIDR, the kubeconfig, and health and metrics servers on
 * loopback. It asks kube-proxy to leave host sysctls alone: {@code conntrack.maxPerCore: 0} and zero
 * conntrack timeouts keep the host's values, and {@code iptables.localhostNodePorts: false} avoids
 * setting {@code route_localnet}. With {@link Builder#nodePortAddress} node ports answer only on those addresses (the
 * node's own), not on every address of the host.
 */
public final class KubeProxyConfig {

    /** The proxy backend. */
    public enum Mode {
        IPTABLES("iptables"), NFTABLES("nftables");

        private final String value;

        Mode(String value) {
            this.value = value;
        }

        public String value() {
            return value;
        }
    }

    private final Path kubeconfig;
    private final Mode mode;
    private final List<Cidr> clusterCidrs;
    private final InetAddress bindAddress;
    private final InetAddress healthzAddress;
    private final int healthzPort;
    private final InetAddress metricsAddress;
    private final int metricsPort;
    private final Optional<String> hostnameOverride;
    private final Map<String, Boolean> featureGates;
    private final List<Cidr> nodePortAddresses;
    private final Optional<String> localBridge;

    private KubeProxyConfig(Builder b, List<Cidr> clusterCidrs, List<Cidr> nodePortAddresses) {
        this.kubeconfig = b.kubeconfig;
        this.mode = b.mode;
        this.clusterCidrs = List.copyOf(clusterCidrs);
        this.bindAddress = b.bindAddress;
        this.healthzAddress = b.healthzAddress;
        this.healthzPort = b.healthzPort;
        this.metricsAddress = b.metricsAddress;
        this.metricsPort = b.metricsPort;
        this.hostnameOverride = Optional.ofNullable(b.hostnameOverride);
        this.featureGates = Map.copyOf(b.featureGates);
        this.nodePortAddresses = List.copyOf(nodePortAddresses);
        this.localBridge = Optional.ofNullable(b.localBridge);
    }

    public static Builder builder() {
        return new Builder();
    }

    public Path kubeconfig() {
        return kubeconfig;
    }

    public Mode mode() {
        return mode;
    }

    public List<Cidr> clusterCidrs() {
        return clusterCidrs;
    }

    /** {@code address:port} of the health server. */
    public String healthzBindAddress() {
        return Check.hostPort(healthzAddress, healthzPort);
    }

    /** {@code address:port} of the metrics server. */
    public String metricsBindAddress() {
        return Check.hostPort(metricsAddress, metricsPort);
    }

    public Optional<String> hostnameOverride() {
        return hostnameOverride;
    }

    /** Where node ports answer; empty means every address of the host (kube-proxy's default). */
    public List<Cidr> nodePortAddresses() {
        return nodePortAddresses;
    }

    /**
     * The bridge whose traffic is the node's own pods' ({@code detectLocalMode: BridgeInterface}); empty means traffic
     * from the cluster CIDR is ({@code ClusterCIDR}, kube-proxy's default when a cluster CIDR is set).
     */
    public Optional<String> localBridge() {
        return localBridge;
    }

    /** The configuration as YAML. */
    public String render() {
        ObjectNode root = Mappers.object();
        root.put("apiVersion", "kubeproxy.config.k8s.io/v1alpha1");
        root.put("kind", "KubeProxyConfiguration");
        root.putObject("clientConnection").put("kubeconfig", kubeconfig.toString());
        root.put("mode", mode.value());
        if (!clusterCidrs.isEmpty()) {
            root.put("clusterCIDR", String.join(",", clusterCidrs.stream().map(Cidr::toString).toList()));
        }
        localBridge.ifPresent(bridge -> {
            root.put("detectLocalMode", "BridgeInterface");
            root.putObject("detectLocal").put("bridgeInterface", bridge);
        });
        root.put("bindAddress", bindAddress.getHostAddress());
        root.put("healthzBindAddress", healthzBindAddress());
        root.put("metricsBindAddress", metricsBindAddress());
        hostnameOverride.ifPresent(h -> root.put("hostnameOverride", h));
        if (!nodePortAddresses.isEmpty()) {
            ArrayNode nodePorts = root.putArray("nodePortAddresses");
            nodePortAddresses.forEach(c -> nodePorts.add(c.toString()));
        }
        ObjectNode conntrack = root.putObject("conntrack");
        conntrack.put("maxPerCore", 0);
        conntrack.put("min", 0);
        conntrack.put("tcpEstablishedTimeout", "0s");
        conntrack.put("tcpCloseWaitTimeout", "0s");
        conntrack.put("udpTimeout", "0s");
        conntrack.put("udpStreamTimeout", "0s");
        root.putObject("iptables").put("localhostNodePorts", false);
        if (!featureGates.isEmpty()) {
            ObjectNode gates = root.putObject("featureGates");
            new TreeMap<>(featureGates).forEach(gates::put);
        }
        return Mappers.yaml(root);
    }

    /** Writes {@link #render()} to {@code file} (0600, atomic: configuration files are private, CIS 1.1 and 4.1). */
    public Path writeTo(Path file) {
        return ConfigFiles.writeAtomically(file, render(), ConfigFiles.PRIVATE);
    }

    /** Defaults: iptables, everything on 127.0.0.1, healthz port 10256, metrics port 10249. */
    public static final class Builder {
        private Path kubeconfig;
        private Mode mode = Mode.IPTABLES;
        private final List<CidrInput> clusterCidrs = new ArrayList<>();
        private InetAddress bindAddress = InetAddress.getLoopbackAddress();
        private InetAddress healthzAddress = InetAddress.getLoopbackAddress();
        private int healthzPort = 10256;
        private InetAddress metricsAddress = InetAddress.getLoopbackAddress();
        private int metricsPort = 10249;
        private String hostnameOverride;
        private Map<String, Boolean> featureGates = Map.of();
        private final List<CidrInput> nodePortAddresses = new ArrayList<>();
        private String localBridge;

        private Builder() {
        }

        /**
         * Counts only what comes from {@code bridge} (the node's pod bridge) as the node's own pods' traffic: anything else
         * sent to a Service (from the host, from another node) is masqueraded, so its reply comes back through this node.
         */
        public Builder localTrafficFromBridge(String bridge) {
            this.localBridge = bridge;
            return this;
        }

        public Builder kubeconfig(Path file) {
            this.kubeconfig = file;
            return this;
        }

        public Builder mode(Mode mode) {
            this.mode = mode;
            return this;
        }

        /** The pod network (one per address family); traffic from it is treated as local. */
        public Builder clusterCidr(String cidr) {
            clusterCidrs.add(CidrInput.of(cidr));
            return this;
        }

        /** The pod network (one per address family), typed. */
        public Builder clusterCidr(Cidr cidr) {
            clusterCidrs.add(CidrInput.of(cidr));
            return this;
        }

        /** kube-proxy's idea of the node's primary IP (it binds nothing to it). */
        public Builder bindAddress(InetAddress address) {
            this.bindAddress = address;
            return this;
        }

        public Builder healthz(InetAddress address, int port) {
            this.healthzAddress = address;
            this.healthzPort = port;
            return this;
        }

        public Builder metrics(InetAddress address, int port) {
            this.metricsAddress = address;
            this.metricsPort = port;
            return this;
        }

        /** The node name, when it is not the host name (it must match kubelet's). */
        public Builder hostnameOverride(String nodeName) {
            this.hostnameOverride = nodeName;
            return this;
        }

        /** An address range node ports answer on (repeatable); by default they answer on every address of the host. */
        public Builder nodePortAddress(Cidr cidr) {
            nodePortAddresses.add(CidrInput.of(cidr));
            return this;
        }

        /** The same, as text ({@code 10.244.0.1/32}). */
        public Builder nodePortAddress(String cidr) {
            nodePortAddresses.add(CidrInput.of(cidr));
            return this;
        }

        public Builder featureGates(Map<String, Boolean> gates) {
            this.featureGates = gates;
            return this;
        }

        public KubeProxyConfig build() {
            kubeconfig = Check.absolute("kubeProxy.clientConnection.kubeconfig", kubeconfig);
            Check.required("kubeProxy.mode", mode);
            List<Cidr> cidrs = new ArrayList<>();
            for (int i = 0; i < clusterCidrs.size(); i++) {
                Cidr c = clusterCidrs.get(i).resolve("kubeProxy.clusterCIDR[" + i + "]");
                if (cidrs.stream().anyMatch(x -> x.isIpv4() == c.isIpv4())) {
                    throw new ConfigException("kubeProxy.clusterCIDR[" + i + "]",
                            "at most one CIDR per address family (dual-stack pair)");
                }
                cidrs.add(c);
            }
            Check.required("kubeProxy.bindAddress", bindAddress);
            Check.required("kubeProxy.healthzBindAddress", healthzAddress);
            Check.port("kubeProxy.healthzBindAddress.port", healthzPort);
            Check.required("kubeProxy.metricsBindAddress", metricsAddress);
            Check.port("kubeProxy.metricsBindAddress.port", metricsPort);
            if (healthzPort == metricsPort && healthzAddress.equals(metricsAddress)) {
                throw new ConfigException("kubeProxy.metricsBindAddress.port", "must differ from the healthz port "
                        + healthzPort);
            }
            if (hostnameOverride != null) {
                Check.dnsSubdomain("kubeProxy.hostnameOverride", hostnameOverride);
            }
            featureGates = Map.copyOf(Check.required("kubeProxy.featureGates", featureGates));
            if (localBridge != null && !localBridge.matches("[A-Za-z0-9][-A-Za-z0-9_.]{0,14}")) {
                throw new ConfigException("kubeProxy.detectLocal.bridgeInterface", "'" + localBridge
                        + "' is not an interface name (1 to 15 letters, digits, '-', '_' or '.')");
            }
            List<Cidr> nodePorts = new ArrayList<>();
            for (int i = 0; i < nodePortAddresses.size(); i++) {
                nodePorts.add(nodePortAddresses.get(i).resolve("kubeProxy.nodePortAddresses[" + i + "]"));
            }
            return new KubeProxyConfig(this, cidrs, nodePorts);
        }
    }

}
