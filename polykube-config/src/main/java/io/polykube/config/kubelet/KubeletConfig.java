package io.polykube.config.kubelet;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.polykube.net.Cidr;
import io.polykube.config.ConfigException;
import io.polykube.config.flags.StrongTls;
import io.polykube.config.internal.Check;
import io.polykube.config.internal.CidrInput;
import io.polykube.config.internal.ConfigFiles;
import io.polykube.config.internal.Mappers;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A {@code KubeletConfiguration} ({@code kubelet.config.k8s.io/v1beta1}) for a test node: webhook
 * authentication and authorization with anonymous access off, x509 client CA, no read-only port,
 * {@code cgroupfs} driver with cgroup v1 allowed, swap tolerated, image garbage collection off
 * (images cannot be pulled again: there is no registry) and small absolute eviction thresholds, so
 * a nearly full disk does not evict pods.
 *
 * <p>Values that are command-line flags only ({@code --root-dir}, {@code --kubeconfig},
 * {@code --hostname-override}, {@code --node-ip}) are not part of this file.
 */
public final class KubeletConfig {
    /** The default hard eviction thresholds: small absolute values, not percentages of the disk. */
    public static final Map<String, String> TEST_EVICTION_HARD = Map.of(
            "memory.available", "100Mi",
            "nodefs.available", "256Mi",
            "nodefs.inodesFree", "1%",
            "imagefs.available", "256Mi",
            "imagefs.inodesFree", "1%");

    /** Kubelet's cgroup driver; it must match containerd's {@code SystemdCgroup} setting. */
    public enum CgroupDriver {
        CGROUPFS("cgroupfs"), SYSTEMD("systemd");

        private final String value;

        CgroupDriver(String value) {
            this.value = value;
        }

        public String value() {
            return value;
        }
    }

    private final Builder b;
    private final Optional<Cidr> podCidr;

    private KubeletConfig(Builder b, Optional<Cidr> podCidr) {
        this.b = b;
        this.podCidr = podCidr;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Path clientCaFile() {
        return b.clientCaFile;
    }

    public Path containerRuntimeEndpoint() {
        return b.containerRuntimeEndpoint;
    }

    public Optional<Path> tlsCertFile() {
        return Optional.ofNullable(b.tlsCertFile);
    }

    public Optional<Path> tlsPrivateKeyFile() {
        return Optional.ofNullable(b.tlsPrivateKeyFile);
    }

    public InetAddress address() {
        return b.address;
    }

    public int port() {
        return b.port;
    }

    public InetAddress healthzBindAddress() {
        return b.healthzBindAddress;
    }

    public int healthzPort() {
        return b.healthzPort;
    }

    public List<InetAddress> clusterDns() {
        return b.clusterDns;
    }

    public Optional<String> clusterDomain() {
        return Optional.ofNullable(b.clusterDomain);
    }

    public int maxPods() {
        return b.maxPods;
    }

    public Optional<Path> staticPodPath() {
        return Optional.ofNullable(b.staticPodPath);
    }

    /** Empty means no host resolver is passed to pods (rendered as {@code resolvConf: ""}). */
    public Optional<Path> resolvConf() {
        return Optional.ofNullable(b.resolvConf);
    }

    public Optional<Cidr> podCidr() {
        return podCidr;
    }

    public Map<String, String> evictionHard() {
        return b.evictionHard;
    }

    public CgroupDriver cgroupDriver() {
        return b.cgroupDriver;
    }

    public String tlsMinVersion() {
        return b.tlsMinVersion;
    }

    public List<String> tlsCipherSuites() {
        return b.tlsCipherSuites;
    }

    public boolean serializeImagePulls() {
        return b.serializeImagePulls;
    }

    /** The configuration as YAML. */
    public String render() {
        ObjectNode root = Mappers.object();
        root.put("apiVersion", "kubelet.config.k8s.io/v1beta1");
        root.put("kind", "KubeletConfiguration");
        ObjectNode authn = root.putObject("authentication");
        authn.putObject("anonymous").put("enabled", false);
        authn.putObject("webhook").put("enabled", true);
        authn.putObject("x509").put("clientCAFile", b.clientCaFile.toString());
        root.putObject("authorization").put("mode", "Webhook");
        root.put("address", b.address.getHostAddress());
        root.put("port", b.port);
        root.put("readOnlyPort", 0);
        root.put("healthzBindAddress", b.healthzBindAddress.getHostAddress());
        root.put("healthzPort", b.healthzPort);
        if (b.tlsCertFile != null) {
            root.put("tlsCertFile", b.tlsCertFile.toString());
            root.put("tlsPrivateKeyFile", b.tlsPrivateKeyFile.toString());
        }
        root.put("tlsMinVersion", b.tlsMinVersion);
        if (!b.tlsCipherSuites.isEmpty()) {
            ArrayNode suites = root.putArray("tlsCipherSuites");
            b.tlsCipherSuites.forEach(suites::add);
        }
        if (b.serverTlsBootstrap) {
            root.put("serverTLSBootstrap", true);
        }
        if (b.rotateCertificates) {
            root.put("rotateCertificates", true);
        }
        if (b.cgroupRoot != null) {
            root.put("cgroupRoot", b.cgroupRoot);
        }
        if (b.nodeLeaseDurationSeconds != null) {
            root.put("nodeLeaseDurationSeconds", b.nodeLeaseDurationSeconds);
        }
        root.put("containerRuntimeEndpoint", "unix://" + b.containerRuntimeEndpoint);
        root.put("cgroupDriver", b.cgroupDriver.value());
        root.put("failCgroupV1", false);
        root.put("failSwapOn", false);
        if (!b.clusterDns.isEmpty()) {
            ArrayNode dns = root.putArray("clusterDNS");
            b.clusterDns.forEach(a -> dns.add(a.getHostAddress()));
        }
        if (b.clusterDomain != null) {
            root.put("clusterDomain", b.clusterDomain);
        }
        root.put("resolvConf", b.resolvConf == null ? "" : b.resolvConf.toString());
        podCidr.ifPresent(c -> root.put("podCIDR", c.toString()));
        root.put("maxPods", b.maxPods);
        if (b.staticPodPath != null) {
            root.put("staticPodPath", b.staticPodPath.toString());
        }
        if (b.volumePluginDir != null) {
            root.put("volumePluginDir", b.volumePluginDir.toString());
        }
        if (b.podLogsDir != null) {
            root.put("podLogsDir", b.podLogsDir.toString());
        }
        root.put("serializeImagePulls", b.serializeImagePulls);
        root.put("imageGCHighThresholdPercent", 100);
        root.put("imageGCLowThresholdPercent", 99);
        ObjectNode eviction = root.putObject("evictionHard");
        new TreeMap<>(b.evictionHard).forEach(eviction::put);
        root.put("mergeDefaultEvictionSettings", false);
        if (!b.featureGates.isEmpty()) {
            ObjectNode gates = root.putObject("featureGates");
            new TreeMap<>(b.featureGates).forEach(gates::put);
        }
        return Mappers.yaml(root);
    }

    /** Writes {@link #render()} to {@code file} (0600, atomic: configuration files are private, CIS 1.1 and 4.1). */
    public Path writeTo(Path file) {
        return ConfigFiles.writeAtomically(file, render(), ConfigFiles.PRIVATE);
    }

    /** Defaults: 127.0.0.1:10250, healthz 127.0.0.1:10248, 110 pods, cgroupfs, test eviction thresholds. */
    public static final class Builder {
        private Path clientCaFile;
        private Path containerRuntimeEndpoint;
        private Path tlsCertFile;
        private Path tlsPrivateKeyFile;
        private InetAddress address = InetAddress.getLoopbackAddress();
        private int port = 10250;
        private InetAddress healthzBindAddress = InetAddress.getLoopbackAddress();
        private int healthzPort = 10248;
        private List<InetAddress> clusterDns = List.of();
        private String clusterDomain;
        private int maxPods = 110;
        private Path staticPodPath;
        private Path resolvConf;
        private CidrInput podCidr;
        private Map<String, String> evictionHard = TEST_EVICTION_HARD;
        private CgroupDriver cgroupDriver = CgroupDriver.CGROUPFS;
        private boolean serializeImagePulls = true;
        private Path volumePluginDir;
        private Path podLogsDir;
        private Map<String, Boolean> featureGates = Map.of();
        private String tlsMinVersion = StrongTls.MIN_VERSION;
        private List<String> tlsCipherSuites = StrongTls.CIPHER_SUITES;
        private boolean serverTlsBootstrap;
        private boolean rotateCertificates;
        private String cgroupRoot;
        private Integer nodeLeaseDurationSeconds;

        private Builder() {
        }

        /**
         * Kubelet asks the API server for its serving certificate (a CSR for signer {@code kubernetes.io/kubelet-serving},
         * which someone must approve) instead of reading {@link #tls} files or making a self-signed one.
         */
        public Builder serverTlsBootstrap(boolean value) {
            this.serverTlsBootstrap = value;
            return this;
        }

        /** Kubelet renews its client certificate through CSRs before it expires (after a TLS bootstrap). */
        public Builder rotateCertificates(boolean value) {
            this.rotateCertificates = value;
            return this;
        }

        /** The cgroup under which kubelet makes {@code kubepods} (default {@code /}); it must exist in every hierarchy. */
        public Builder cgroupRoot(String cgroup) {
            this.cgroupRoot = cgroup;
            return this;
        }

        /** The node lease's duration; kubelet renews it every quarter of it (default 40 s). */
        public Builder nodeLeaseDurationSeconds(int seconds) {
            this.nodeLeaseDurationSeconds = seconds;
            return this;
        }

        /** CA that signs the client certificates kubelet accepts (the apiserver's kubelet client). */
        public Builder clientCaFile(Path file) {
            this.clientCaFile = file;
            return this;
        }

        /** containerd's CRI socket, e.g. {@code /run/polykube/containerd.sock}; rendered as a unix:// URL. */
        public Builder containerRuntimeEndpoint(Path socket) {
            this.containerRuntimeEndpoint = socket;
            return this;
        }

        /** The serving certificate and key; without them kubelet makes a self-signed one. */
        public Builder tls(Path certFile, Path keyFile) {
            this.tlsCertFile = certFile;
            this.tlsPrivateKeyFile = keyFile;
            return this;
        }

        /** The lowest TLS version and the TLS 1.2 cipher suites kubelet serves with; default {@link StrongTls}. */
        public Builder tlsCiphers(String minVersion, List<String> cipherSuites) {
            this.tlsMinVersion = minVersion;
            this.tlsCipherSuites = cipherSuites;
            return this;
        }

        public Builder address(InetAddress address) {
            this.address = address;
            return this;
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder healthz(InetAddress bindAddress, int port) {
            this.healthzBindAddress = bindAddress;
            this.healthzPort = port;
            return this;
        }

        public Builder clusterDns(List<InetAddress> servers) {
            this.clusterDns = servers;
            return this;
        }

        public Builder clusterDomain(String domain) {
            this.clusterDomain = domain;
            return this;
        }

        public Builder maxPods(int maxPods) {
            this.maxPods = maxPods;
            return this;
        }

        public Builder staticPodPath(Path dir) {
            this.staticPodPath = dir;
            return this;
        }

        /** The resolver file pods with {@code dnsPolicy: Default} get; unset: none (nothing leaves the host). */
        public Builder resolvConf(Path file) {
            this.resolvConf = file;
            return this;
        }

        public Builder podCidr(String cidr) {
            this.podCidr = cidr == null ? null : CidrInput.of(cidr);
            return this;
        }

        public Builder podCidr(Cidr cidr) {
            this.podCidr = cidr == null ? null : CidrInput.of(cidr);
            return this;
        }

        /** Replaces {@link #TEST_EVICTION_HARD}; signals not given get no threshold. */
        public Builder evictionHard(Map<String, String> thresholds) {
            this.evictionHard = thresholds;
            return this;
        }

        public Builder cgroupDriver(CgroupDriver driver) {
            this.cgroupDriver = driver;
            return this;
        }

        public Builder serializeImagePulls(boolean value) {
            this.serializeImagePulls = value;
            return this;
        }

        /** Where kubelet looks for flexvolume plugins (it creates the dir); keep it in the cluster dir. */
        public Builder volumePluginDir(Path dir) {
            this.volumePluginDir = dir;
            return this;
        }

        /**
         * Where kubelet keeps container logs (default {@code /var/log/pods}); keep it in the cluster dir. Kubelet still
         * links each log from the fixed {@code /var/log/containers}.
         */
        public Builder podLogsDir(Path dir) {
            this.podLogsDir = dir;
            return this;
        }

        public Builder featureGates(Map<String, Boolean> gates) {
            this.featureGates = gates;
            return this;
        }

        public KubeletConfig build() {
            clientCaFile = Check.absolute("kubelet.authentication.x509.clientCAFile", clientCaFile);
            containerRuntimeEndpoint = Check.absolute("kubelet.containerRuntimeEndpoint", containerRuntimeEndpoint);
            if ((tlsCertFile == null) != (tlsPrivateKeyFile == null)) {
                throw new ConfigException(tlsCertFile == null ? "kubelet.tlsCertFile" : "kubelet.tlsPrivateKeyFile",
                        "give both the serving certificate and its key, or neither");
            }
            tlsCertFile = Check.absoluteOrNull("kubelet.tlsCertFile", tlsCertFile);
            tlsPrivateKeyFile = Check.absoluteOrNull("kubelet.tlsPrivateKeyFile", tlsPrivateKeyFile);
            Check.required("kubelet.address", address);
            Check.port("kubelet.port", port);
            Check.required("kubelet.healthzBindAddress", healthzBindAddress);
            Check.port("kubelet.healthzPort", healthzPort);
            if (port == healthzPort) {
                throw new ConfigException("kubelet.healthzPort", "must differ from kubelet.port " + port);
            }
            clusterDns = List.copyOf(Check.required("kubelet.clusterDNS", clusterDns));
            if (clusterDomain != null) {
                Check.dnsSubdomain("kubelet.clusterDomain", clusterDomain);
            }
            Check.positive("kubelet.maxPods", maxPods);
            staticPodPath = Check.absoluteOrNull("kubelet.staticPodPath", staticPodPath);
            resolvConf = Check.absoluteOrNull("kubelet.resolvConf", resolvConf);
            volumePluginDir = Check.absoluteOrNull("kubelet.volumePluginDir", volumePluginDir);
            podLogsDir = Check.absoluteOrNull("kubelet.podLogsDir", podLogsDir);
            Optional<Cidr> cidr = podCidr == null ? Optional.empty() : Optional.of(podCidr.resolve("kubelet.podCIDR"));
            Map<String, String> eviction = new LinkedHashMap<>(Check.required("kubelet.evictionHard", evictionHard));
            for (Map.Entry<String, String> e : eviction.entrySet()) {
                Check.notBlank("kubelet.evictionHard[" + e.getKey() + "]", e.getValue());
            }
            evictionHard = Map.copyOf(eviction);
            featureGates = Map.copyOf(Check.required("kubelet.featureGates", featureGates));
            Check.required("kubelet.cgroupDriver", cgroupDriver);
            Check.notBlank("kubelet.tlsMinVersion", tlsMinVersion);
            tlsCipherSuites = List.copyOf(Check.required("kubelet.tlsCipherSuites", tlsCipherSuites));
            if (serverTlsBootstrap && tlsCertFile != null) {
                throw new ConfigException("kubelet.serverTLSBootstrap", "give either a serving certificate (tls) or the TLS "
                        + "bootstrap of one, not both");
            }
            if (cgroupRoot != null && !cgroupRoot.startsWith("/")) {
                throw new ConfigException("kubelet.cgroupRoot", "'" + cgroupRoot + "' must be an absolute cgroup path like /polykube");
            }
            if (nodeLeaseDurationSeconds != null) {
                Check.positive("kubelet.nodeLeaseDurationSeconds", nodeLeaseDurationSeconds);
            }
            Builder copy = copy();
            return new KubeletConfig(copy, cidr);
        }

        private Builder copy() {
            Builder c = new Builder();
            c.clientCaFile = clientCaFile;
            c.containerRuntimeEndpoint = containerRuntimeEndpoint;
            c.tlsCertFile = tlsCertFile;
            c.tlsPrivateKeyFile = tlsPrivateKeyFile;
            c.address = address;
            c.port = port;
            c.healthzBindAddress = healthzBindAddress;
            c.healthzPort = healthzPort;
            c.clusterDns = clusterDns;
            c.clusterDomain = clusterDomain;
            c.maxPods = maxPods;
            c.staticPodPath = staticPodPath;
            c.resolvConf = resolvConf;
            c.podCidr = podCidr;
            c.evictionHard = evictionHard;
            c.cgroupDriver = cgroupDriver;
            c.serializeImagePulls = serializeImagePulls;
            c.volumePluginDir = volumePluginDir;
            c.podLogsDir = podLogsDir;
            c.featureGates = featureGates;
            c.tlsMinVersion = tlsMinVersion;
            c.tlsCipherSuites = tlsCipherSuites;
            c.serverTlsBootstrap = serverTlsBootstrap;
            c.rotateCertificates = rotateCertificates;
            c.cgroupRoot = cgroupRoot;
            c.nodeLeaseDurationSeconds = nodeLeaseDurationSeconds;
            return c;
        }
    }
}
