package io.polykube.api.spec;

import io.polykube.api.error.PolykubeException;
import io.polykube.config.ConfigException;
import io.polykube.net.ClusterNetwork;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What to build: an immutable, validated description of a cluster. {@code Cluster.start(spec)} brings it up;
 * {@code Cluster.builder()} fills the same builder and gives the cluster itself:
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
        Duration startTimeout,
        List<Manifest> manifests,
        List<WebhookManifests> webhooks) {

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
        manifests = List.copyOf(manifests);
        webhooks = List.copyOf(webhooks);
    }

    /** A builder with the defaults of {@link Builder}; {@code build()} returns the spec. */
    public static Builder<ClusterSpec> builder() {
        return new Builder<>(Function.identity());
    }

    /**
     * A builder with the defaults of {@link Builder} whose {@code build()} returns what {@code finisher} makes of the
     * validated spec ({@code Cluster.builder()} makes a cluster of it).
     */
    public static <R> Builder<R> builder(Function<? super ClusterSpec, ? extends R> finisher) {
        return new Builder<>(Objects.requireNonNull(finisher, "finisher"));
    }

    /** Where a cluster named {@code name} lives unless told otherwise: {@code $XDG_STATE_HOME/polykube/<name>} or {@code ~/.local/state/polykube/<name>}. */
    public static Path defaultDirectory(String name) {
        String state = System.getenv("XDG_STATE_HOME");
        Path base = state != null && !state.isBlank() ? Path.of(state) : Path.of(System.getProperty("user.home"), ".local", "state");
        return base.resolve("polykube").resolve(name).toAbsolutePath();
    }

    /**
     * The cluster's network: {@link ApiServerOptions#serviceCidr()}, {@link NodeOptions#clusterCidr()} and
     * {@link NodeOptions#podCidr()} with the cluster domain, and every address derived from them (the bridge's, the DNS
     * Service's, the workers' pod networks and IPs). The one place the network is made from the spec.
     */
    public ClusterNetwork network() {
        return network(apiServer, node);
    }

    /** The names the cluster gives to what it puts on the host (bridge, iptables chain, network namespaces, ...). */
    public ClusterHostNames hostNames() {
        return ClusterHostNames.of(name);
    }

    private static ClusterNetwork network(ApiServerOptions apiServer, NodeOptions node) {
        return new ClusterNetwork(apiServer.serviceCidr(), node.clusterCidr(), node.podCidr(), ClusterNetwork.DEFAULT_CLUSTER_DOMAIN);
    }

    /**
     * Collects a {@link ClusterSpec}. Defaults: name {@code polykube}, directory
     * {@code ~/.local/state/polykube/<name>}, Kubernetes from {@code ./polykube setup}, mode {@link Mode#FULL} as root and
     * {@link Mode#CONTROL_PLANE} otherwise, 3 minutes to start.
     *
     * @param <R> what {@link #build()} returns: the spec, or what the builder's creator makes of it
     */
    public static final class Builder<R> {
        private final Function<? super ClusterSpec, ? extends R> finisher;
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
        private final List<Supplier<Manifest>> crds = new ArrayList<>();
        private final List<Supplier<Manifest>> manifests = new ArrayList<>();
        private final List<WebhookManifests> webhooks = new ArrayList<>();

        private Builder(Function<? super ClusterSpec, ? extends R> finisher) {
            this.finisher = finisher;
        }

        /**
         * The cluster's name: 1 to 16 lower case letters, digits or dashes. It names what the cluster puts on the host
         * ({@link ClusterHostNames}: the bridge, iptables chains, network namespaces).
         */
        public Builder<R> name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /** Where the cluster keeps everything it owns (PKI, configs, etcd data, logs, run files). */
        public Builder<R> directory(Path directory) {
            this.directory = Objects.requireNonNull(directory, "directory");
            return this;
        }

        /**
         * The Kubernetes version: a known minor ({@code "1.36"}, which runs its pinned patch), an exact patch of a known
         * minor ({@code "1.36.3"}) or {@code "default"}; by default the newest pinned patch, the one {@code ./polykube
         * setup} builds. Other versions are built on first use. An unknown minor is refused at {@code build()}, naming the
         * known ones ({@code ./polykube --version} lists them).
         */
        public Builder<R> kubernetesVersion(String version) {
            this.version = Objects.requireNonNull(version, "kubernetesVersion");
            return this;
        }

        public Builder<R> mode(Mode mode) {
            this.mode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /** A directory holding all binaries, instead of {@code POLYKUBE_BIN_DIR}, the cache or {@code PATH}. */
        public Builder<R> binaryDirectory(Path directory) {
            this.binaryDirectory = Objects.requireNonNull(directory, "directory");
            return this;
        }

        public Builder<R> pki(Consumer<PkiOptions.Builder> configure) {
            return configure(pki, configure);
        }

        public Builder<R> etcd(Consumer<EtcdOptions.Builder> configure) {
            return configure(etcd, configure);
        }

        public Builder<R> apiServer(Consumer<ApiServerOptions.Builder> configure) {
            return configure(apiServer, configure);
        }

        public Builder<R> controllerManager(Consumer<ComponentOptions.Builder> configure) {
            return configure(controllerManager, configure);
        }

        public Builder<R> scheduler(Consumer<ComponentOptions.Builder> configure) {
            return configure(scheduler, configure);
        }

        public Builder<R> node(Consumer<NodeOptions.Builder> configure) {
            return configure(node, configure);
        }

        /** The same options as {@link #node}, read better with several: {@code nodes(n -> n.count(3))}. */
        public Builder<R> nodes(Consumer<NodeOptions.Builder> configure) {
            return node(configure);
        }

        private <T> Builder<R> configure(T section, Consumer<T> configure) {
            try {
                configure.accept(section);
            } catch (IllegalArgumentException | ConfigException e) {
                throw new PolykubeException("invalid cluster spec: " + e.getMessage(), e);
            }
            return this;
        }

        /**
         * Manifest files applied at the end of {@code start()} with server-side apply, in order (CustomResourceDefinitions
         * first), and waited for (CRDs Established; Deployments available in mode FULL). They are part of the state
         * {@code Cluster.reset()} returns to. A manifest the API server refuses fails {@code start()}, naming the file,
         * the document and the server's message. Files are read when the spec is built.
         */
        public Builder<R> manifests(Path... files) {
            for (Path file : files) {
                Objects.requireNonNull(file, "file");
                manifests.add(() -> Manifest.read(file));
            }
            return this;
        }

        /** Manifest files with CustomResourceDefinitions, applied (and Established) before the {@link #manifests}. */
        public Builder<R> crds(Path... files) {
            for (Path file : files) {
                Objects.requireNonNull(file, "file");
                crds.add(() -> Manifest.read(file));
            }
            return this;
        }

        /** A manifest given as YAML text; {@code origin} names it in messages (e.g. {@code classpath:app.yaml}). */
        public Builder<R> manifest(String origin, String yaml) {
            Manifest manifest = new Manifest(origin, yaml);
            manifests.add(() -> manifest);
            return this;
        }

        /**
         * Webhooks registered at the end of {@code start()}, after the {@link #manifests}: each one's server must listen
         * (with {@code cluster.webhooks().certificate()}, which a cluster not started yet issues too) before
         * {@code start()}, which fails naming the webhook and URL otherwise. They are part of the state
         * {@code Cluster.reset()} returns to.
         */
        public Builder<R> webhooks(WebhookManifests... webhooks) {
            for (WebhookManifests w : webhooks) {
                if (Objects.requireNonNull(w, "webhooks").route() == WebhookManifests.Route.SERVICE) {
                    throw new IllegalArgumentException("webhooks(...): " + w + " goes through the webhooks' Services, "
                            + "whose server listens on the node's address, which exists once the cluster runs: install them "
                            + "after start() with cluster.webhooks().install(...), or leave out throughServices() here");
                }
                this.webhooks.add(w);
            }
            return this;
        }

        /** How long {@code start()} waits for every component to be ready. */
        public Builder<R> startTimeout(Duration timeout) {
            this.startTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * Validates everything and returns the spec, or what the builder's creator makes of it.
         *
         * @throws PolykubeException naming the option that is wrong and how to fix it
         */
        public R build() {
            ClusterSpec spec;
            try {
                spec = doBuild();
            } catch (IllegalArgumentException | ConfigException e) {
                throw new PolykubeException("invalid cluster spec: " + e.getMessage(), e);
            }
            return finisher.apply(spec);
        }

        private ClusterSpec doBuild() {
            ClusterHostNames.of(name); // refuses a name that does not fit the host's limits once derived
            if (startTimeout.isZero() || startTimeout.isNegative()) {
                throw new IllegalArgumentException("startTimeout must be positive, got " + startTimeout);
            }
            String kubernetesVersion = version == null ? Versions.kubernetes() : Versions.resolve(version);
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
            ClusterNetwork network = network(api, nodeOptions); // refuses networks that overlap or do not nest
            if (effectiveMode == Mode.FULL || nodeOptions.count() > 1) {
                network.requireRoomFor(nodeOptions.count()); // CONTROL_PLANE runs no node: it needs no node network
            }
            if (effectiveMode == Mode.FULL && nodeOptions.dns()) {
                network.dnsAddress(); // refuses a service network too small for the DNS Service
            }
            if (nodeOptions.count() > 1 && effectiveMode != Mode.FULL) {
                throw new IllegalArgumentException(nodeOptions.count() + " nodes need mode FULL (a CONTROL_PLANE cluster runs no "
                        + "node): use mode(Mode.FULL) as root, or leave the node count at 1");
            }
            if (effectiveMode == Mode.FULL) {
                requireRoomForSockets(dir, nodeOptions);
            }
            List<Manifest> allManifests = new ArrayList<>();
            crds.forEach(m -> allManifests.add(m.get()));
            manifests.forEach(m -> allManifests.add(m.get()));
            allManifests.forEach(Manifest::documents); // fails on a manifest that is not YAML or has no kind
            return new ClusterSpec(name, dir, kubernetesVersion, effectiveMode, Optional.ofNullable(binaryDirectory), pki.build(),
                    etcd.build(), api, controllerManager.build(), scheduler.build(), nodeOptions, startTimeout, allManifests,
                    webhooks);
        }

        /**
         * kubelet makes Unix sockets under its root dir (the longest, {@code pod-resources/<8 digits>} and
         * {@code pods-api/pods-api.sock}), whose paths may have at most 107 bytes: in a deeper directory kubelet fails to
         * start ("bind: invalid argument").
         */
        private static final int MAX_SOCKET_PATH = 107;

        private static void requireRoomForSockets(Path dir, NodeOptions nodes) {
            List<String> workers = nodes.workerNames();
            Path node = workers.isEmpty() ? dir.resolve("node")
                    : dir.resolve("node").resolve("workers").resolve(workers.get(workers.size() - 1));
            Path socket = node.resolve("kubelet").resolve("pod-resources").resolve("00000000");
            int bytes = socket.toString().getBytes(StandardCharsets.UTF_8).length;
            if (bytes > MAX_SOCKET_PATH) {
                int room = MAX_SOCKET_PATH - (bytes - dir.toString().getBytes(StandardCharsets.UTF_8).length);
                throw new IllegalArgumentException("directory " + dir + " is too deep for mode FULL" + (workers.isEmpty() ? ""
                        : " with " + nodes.count() + " nodes") + ": kubelet's sockets under it (" + socket + ", " + bytes
                        + " bytes) would exceed the " + MAX_SOCKET_PATH + " bytes a Unix socket path may have; give a "
                        + "directory of at most " + room + " characters (e.g. under /tmp)");
            }
        }
    }
}
