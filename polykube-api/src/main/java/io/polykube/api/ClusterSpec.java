package io.polykube.api;

import io.polykube.api.spec.ApiServerOptions;
import io.polykube.api.spec.ComponentOptions;
import io.polykube.api.spec.EtcdOptions;
import io.polykube.api.spec.NodeOptions;
import io.polykube.api.spec.PkiOptions;
import io.polykube.net.Cidr;
import io.polykube.config.ConfigException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * What to build: an immutable, validated description of a cluster. {@link #start()} brings it up.
 *
 * <pre>{@code
 * try (Cluster cluster = Cluster.builder().name("it").etcd(e -> e.unsafeNoFsync(true)).build().start()) {
 *     cluster.client().namespaces().list();
 * }
 * }</pre>
 */
public record ClusterSpec(
        String name,
        Path directory,
        String kubernetesVersion,
        Mode mode,
        Optional<Path> binaryDirectory,
        PkiOptions pki,
        EtcdOptions etcd,
        ApiServerOptions apiServer,
        ComponentOptions controllerManager,
        ComponentOptions scheduler,
        NodeOptions node,
        Duration startTimeout) {

    /** The Kubernetes minor version polykube supports. */
    public static final String SUPPORTED_MINOR = "1.34";

    private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9]{0,14}[a-z0-9])?");
    private static final Pattern VERSION = Pattern.compile("v?(\\d+)\\.(\\d+)\\.(\\d+)");

    public ClusterSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(kubernetesVersion, "kubernetesVersion");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(binaryDirectory, "binaryDirectory");
        Objects.requireNonNull(pki, "pki");
        Objects.requireNonNull(etcd, "etcd");
        Objects.requireNonNull(apiServer, "apiServer");
        Objects.requireNonNull(controllerManager, "controllerManager");
        Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(startTimeout, "startTimeout");
    }

    /** A builder with the defaults of {@link Builder}. */
    public static Builder builder() {
        return new Builder();
    }

    /** Where a cluster named {@code name} lives unless told otherwise: {@code $XDG_STATE_HOME/polykube/<name>} or {@code ~/.local/state/polykube/<name>}. */
    public static Path defaultDirectory(String name) {
        String state = System.getenv("XDG_STATE_HOME");
        Path base = state != null && !state.isBlank() ? Path.of(state) : Path.of(System.getProperty("user.home"), ".local", "state");
        return base.resolve("polykube").resolve(name).toAbsolutePath();
    }

    /** Starts the cluster and returns once every component is ready; see {@link Cluster#start()}. */
    public Cluster start() {
        Cluster cluster = Cluster.of(this);
        cluster.start();
        return cluster;
    }

    /**
     * Collects a {@link ClusterSpec}. Defaults: name {@code polykube}, directory
     * {@code ~/.local/state/polykube/<name>}, Kubernetes from {@code ./polykube setup}, mode {@link Mode#FULL} as root and
     * {@link Mode#CONTROL_PLANE} otherwise, 3 minutes to start.
     */
    public static final class Builder {
        private String name = "polykube";
        private Path directory;
        private String version;
        private Mode mode;
        private Path binaryDirectory;
        private final PkiOptions.Builder pki = PkiOptions.builder();
        private final EtcdOptions.Builder etcd = EtcdOptions.builder();
        private final ApiServerOptions.Builder apiServer = ApiServerOptions.builder();
        private final ComponentOptions.Builder controllerManager = ComponentOptions.builder("kube-controller-manager");
        private final ComponentOptions.Builder scheduler = ComponentOptions.builder("kube-scheduler");
        private final NodeOptions.Builder node = NodeOptions.builder();
        private Duration startTimeout = Duration.ofMinutes(3);

        Builder() {
        }

        /** The cluster's name: 1 to 16 lower case letters, digits or dashes. It names iptables chains and the bridge. */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /** Where the cluster keeps everything it owns (PKI, configs, etcd data, logs, run files). */
        public Builder directory(Path directory) {
            this.directory = Objects.requireNonNull(directory, "directory");
            return this;
        }

        /** The Kubernetes version, e.g. {@code 1.34.4}; by default the one {@code ./polykube setup} builds. */
        public Builder version(String version) {
            this.version = Objects.requireNonNull(version, "version");
            return this;
        }

        public Builder mode(Mode mode) {
            this.mode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /** A directory holding all binaries, instead of {@code POLYKUBE_BIN_DIR}, the cache or {@code PATH}. */
        public Builder binaryDirectory(Path directory) {
            this.binaryDirectory = Objects.requireNonNull(directory, "directory");
            return this;
        }

        public Builder pki(Consumer<PkiOptions.Builder> configure) {
            return configure(pki, configure);
        }

        public Builder etcd(Consumer<EtcdOptions.Builder> configure) {
            return configure(etcd, configure);
        }

        public Builder apiServer(Consumer<ApiServerOptions.Builder> configure) {
            return configure(apiServer, configure);
        }

        public Builder controllerManager(Consumer<ComponentOptions.Builder> configure) {
            return configure(controllerManager, configure);
        }

        public Builder scheduler(Consumer<ComponentOptions.Builder> configure) {
            return configure(scheduler, configure);
        }

        public Builder node(Consumer<NodeOptions.Builder> configure) {
            return configure(node, configure);
        }

        private <T> Builder configure(T section, Consumer<T> configure) {
            try {
                configure.accept(section);
            } catch (IllegalArgumentException | ConfigException e) {
                throw new PolykubeException("invalid cluster spec: " + e.getMessage(), e);
            }
            return this;
        }

        /** How long {@code start()} waits for every component to be ready. */
        public Builder startTimeout(Duration timeout) {
            this.startTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * Validates everything and returns the spec.
         *
         * @throws PolykubeException naming the option that is wrong and how to fix it
         */
        public ClusterSpec build() {
            try {
                return doBuild();
            } catch (IllegalArgumentException | ConfigException e) {
                throw new PolykubeException("invalid cluster spec: " + e.getMessage(), e);
            }
        }

        private ClusterSpec doBuild() {
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("name '" + name
                        + "' must be 1 to 16 lower case letters, digits or '-', starting and ending with a letter or digit");
            }
            if (startTimeout.isZero() || startTimeout.isNegative()) {
                throw new IllegalArgumentException("startTimeout must be positive, got " + startTimeout);
            }
            String kubernetesVersion = normalizeVersion(version == null ? Versions.kubernetes() : version);
            Mode effectiveMode = mode == null ? Mode.defaultForCurrentUser() : mode;
            if (effectiveMode == Mode.FULL && !Versions.runningAsRoot()) {
                throw new IllegalArgumentException("mode FULL runs kubelet, containerd and iptables and needs root: "
                        + "run as root, or use mode(Mode.CONTROL_PLANE)");
            }
            Path dir = directory == null ? defaultDirectory(name) : directory.toAbsolutePath().normalize();
            if (binaryDirectory != null && !binaryDirectory.isAbsolute()) {
                throw new IllegalArgumentException("binaryDirectory must be absolute, got '" + binaryDirectory + "'");
            }
            ApiServerOptions api = apiServer.build();
            NodeOptions nodeOptions = node.build();
            if (overlap(api.serviceCidr(), nodeOptions.clusterCidr())) {
                throw new IllegalArgumentException("apiServer serviceCidr " + api.serviceCidr() + " overlaps node clusterCidr "
                        + nodeOptions.clusterCidr() + ": choose networks that do not overlap");
            }
            return new ClusterSpec(name, dir, kubernetesVersion, effectiveMode, Optional.ofNullable(binaryDirectory), pki.build(),
                    etcd.build(), api, controllerManager.build(), scheduler.build(), nodeOptions, startTimeout);
        }

        private static boolean overlap(Cidr a, Cidr b) {
            return a.contains(b.network()) || b.contains(a.network());
        }

        private static String normalizeVersion(String requested) {
            var m = VERSION.matcher(requested.trim());
            if (!m.matches()) {
                throw new IllegalArgumentException("version '" + requested + "' is not a Kubernetes version like 1.34.4");
            }
            String minor = m.group(1) + "." + m.group(2);
            if (!SUPPORTED_MINOR.equals(minor)) {
                throw new IllegalArgumentException("Kubernetes " + requested + " is not supported: polykube runs " + SUPPORTED_MINOR
                        + ".x (the last minor whose kubelet runs on cgroup v1 hosts); use version(\"" + Versions.kubernetes() + "\")");
            }
            return m.group(1) + "." + m.group(2) + "." + m.group(3);
        }

    }
}
