package io.polykube.api.internal;

import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.polykube.api.ClusterSpec;
import io.polykube.api.Component;
import io.polykube.api.ComponentStatus;
import io.polykube.api.Mode;
import io.polykube.api.PolykubeException;
import io.polykube.api.node.Images;
import io.polykube.api.node.NodeRuntime;
import io.polykube.config.ConfigException;
import io.polykube.net.ClusterNetwork;
import io.polykube.pki.ClientCredentials;
import io.polykube.pki.ClusterPki;
import io.polykube.pki.ClusterPkiSpec;
import io.polykube.pki.Pem;
import io.polykube.pki.PkiException;
import io.polykube.runtime.binaries.Binaries;
import io.polykube.runtime.binaries.Binary;
import io.polykube.runtime.binaries.BinaryException;
import io.polykube.runtime.binaries.BinaryVersions;
import io.polykube.runtime.binaries.ResolvedBinary;
import io.polykube.runtime.port.PortAllocator;
import io.polykube.runtime.probe.Probe;
import io.polykube.runtime.probe.ProbeContext;
import io.polykube.runtime.probe.TlsTrust;
import io.polykube.runtime.process.ProcessEvent;
import io.polykube.runtime.process.ProcessException;
import io.polykube.runtime.process.ProcessInfo;
import io.polykube.runtime.process.ListeningSockets;
import io.polykube.runtime.process.ProcessSpec;
import io.polykube.runtime.process.Supervisor;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One run of a cluster: from a successful start to its stop. Owns the supervisor, the reserved ports and the client. */
public final class ClusterRun {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterRun.class);
    private static final Duration POLL = Duration.ofMillis(50);
    private static final Set<Binary> CONTROL_PLANE_BINARIES =
            EnumSet.of(Binary.ETCD, Binary.ETCDCTL, Binary.ETCDUTL, Binary.KUBE_APISERVER, Binary.KUBE_CONTROLLER_MANAGER,
                    Binary.KUBE_SCHEDULER);
    /** A reset raises etcd's revision past the one clients saw by at least this much. */
    private static final long RESET_REVISION_MARGIN = 100_000;

    private final ClusterSpec spec;
    private final ClusterLayout layout;
    private final DirectoryLock lock;
    private final PortPlan ports;
    private final ClusterPki pki;
    private final Kubeconfigs kubeconfigs;
    private final Supervisor supervisor;
    private final NodeRuntime node;
    private final URI apiServerUrl;
    private final Path adminKubeconfig;
    private final EtcdSnapshot snapshot;
    /** The controller manager has started its controllers; a reset waits for it before it swaps etcd's data. */
    private final Probe controllersStarted;
    private volatile KubernetesClient client;
    /** The pods that existed when the snapshot was taken (FULL mode): a reset keeps them, and removes every other. */
    private volatile PodSweep startPods = PodSweep.none();
    private volatile String state = "STARTING";
    private final Object recordLock = new Object();

    private ClusterRun(ClusterSpec spec, ClusterLayout layout, DirectoryLock lock, PortPlan ports, ClusterPki pki, Kubeconfigs kubeconfigs,
            Supervisor supervisor, NodeRuntime node, URI apiServerUrl, Path adminKubeconfig, EtcdSnapshot snapshot,
            Probe controllersStarted) {
        this.spec = spec;
        this.layout = layout;
        this.lock = lock;
        this.ports = ports;
        this.pki = pki;
        this.kubeconfigs = kubeconfigs;
        this.supervisor = supervisor;
        this.node = node;
        this.apiServerUrl = apiServerUrl;
        this.adminKubeconfig = adminKubeconfig;
        this.snapshot = snapshot;
        this.controllersStarted = controllersStarted;
    }

    /**
     * Prepares everything (binaries, ports, PKI, kubeconfigs: bad input fails here, before any process), then starts the
     * processes and waits until the API is usable. On failure, whatever was started is stopped again.
     */
    public static ClusterRun start(ClusterSpec spec, ClusterLayout layout) {
        long t0 = System.nanoTime();
        Map<Binary, ResolvedBinary> binaries = resolveBinaries(spec);
        FlagCheck.check(spec, binaries);
        long binariesAt = System.nanoTime();
        DirectoryLock lock = DirectoryLock.acquire(layout);
        PortPlan ports;
        try {
            layout.create();
            // Processes a crashed earlier run left go first, so their ports are free to be reused.
            var reaped = Supervisor.reapOrphans(layout.run());
            if (!reaped.stopped().isEmpty()) {
                LOG.warn("Cluster '{}': stopped {} process(es) a crashed earlier run left behind", spec.name(), reaped.stopped().size());
            }
            ClusterRecord previous = ClusterRecord.read(layout.clusterJson()).orElse(null);
            ports = PortPlan.reserve(spec.mode(), explicitPorts(spec), previous == null ? Map.of() : previous.ports(),
                    PortAllocator.create());
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
        long portsAt = System.nanoTime();
        Supervisor supervisor = null;
        ClusterRun run = null;
        NodeRuntime node = null;
        try {
            ClusterNetwork network = spec.network();
            ClusterPki pki = issuePki(spec, network, layout);
            ServingCertificates serving = ServingCertificates.ensure(layout, pki, spec.pki().validity(), spec.pki().renewBefore());
            long pkiAt = System.nanoTime();
            ComponentContext ctx = new ComponentContext(spec, layout, network, pki, serving, ports, binaries);
            Kubeconfigs kubeconfigs = new Kubeconfigs(layout, spec.name(), ctx.apiServerUrl(), pki.caCert());
            Path admin = kubeconfigs.writeAdmin(pki.admin());
            kubeconfigs.writeComponent(Component.KUBE_CONTROLLER_MANAGER, pki.controllerManager());
            kubeconfigs.writeComponent(Component.KUBE_SCHEDULER, pki.scheduler());
            node = spec.mode() == Mode.FULL ? NodeRuntime.full(ctx) : NodeRuntime.none();
            ControlPlaneProcesses controlPlane = new ControlPlaneProcesses(ctx);
            List<ProcessSpec> processes = new ArrayList<>(controlPlane.all());
            node.prepare();
            processes.addAll(node.processes());
            LOG.info("Cluster '{}': prepared in {} ms ({} PKI), starting {}", spec.name(), millisSince(t0),
                    pki.reused() ? "reused" : "new", processes.stream().map(p -> p.name()).toList());
            LOG.debug("Cluster '{}': binaries {} ms, lock and ports {} ms, PKI {} ms, configs {} ms", spec.name(),
                    (binariesAt - t0) / 1_000_000, (portsAt - binariesAt) / 1_000_000, (pkiAt - portsAt) / 1_000_000, millisSince(pkiAt));

            ClusterRun[] self = new ClusterRun[1];
            supervisor = Supervisor.builder().runDirectory(layout.run()).shutdownHook(false).listener(e -> {
                if (self[0] != null) {
                    self[0].onEvent(e);
                }
            }).build();
            // on SIGTERM or Ctrl-C the whole cluster stops, the node's host objects included, not only its processes
            Supervisor started = supervisor;
            NodeRuntime startedNode = node;
            Thread hook = new Thread(() -> {
                if (self[0] != null) {
                    self[0].stop();
                } else {
                    started.stop();
                    startedNode.teardown();
                }
            }, "polykube-stop-" + spec.name());
            Runtime.getRuntime().addShutdownHook(hook);
            shutdownHooks.put(layout.root(), hook);
            run = new ClusterRun(spec, layout, lock, ports, pki, kubeconfigs, supervisor, node, ctx.apiServerUrl(), admin,
                    EtcdSnapshot.of(ctx), controlPlane.controllersStarted());
            self[0] = run;
            run.writeRecord();
            long deadline = t0 + spec.startTimeout().toNanos();
            run.startProcesses(processes, deadline);
            List<ProcessSpec> joining = node.join(run.client());
            if (!joining.isEmpty()) {
                supervisor.start(joining);
            }
            long readyAt = System.nanoTime();
            node.awaitReady(run.client(), deadline);
            new ManifestApplier(run.client(), spec.name(), spec.mode()).apply(spec.manifests(), deadline);
            long usableAt = System.nanoTime();
            run.snapshot.save();
            LOG.debug("Cluster '{}': API usable {} ms after every process was ready, etcd snapshot {} ms", spec.name(),
                    (usableAt - readyAt) / 1_000_000, millisSince(usableAt));
            run.startPods = spec.mode() == Mode.FULL ? PodSweep.of(run.client()) : PodSweep.none();
            run.state = "RUNNING";
            run.writeRecord();
            LOG.info("Cluster '{}' ready in {} ms: {} (kubeconfig {})", spec.name(), millisSince(t0), run.apiServerUrl, admin);
            return run;
        } catch (ProcessException e) {
            cleanUp(run, supervisor, node, ports, lock, layout.root());
            throw new PolykubeException("cluster '" + spec.name() + "' did not start: " + e.getMessage() + "\nAll logs: "
                    + layout.logs() + ", certificates: " + layout.pki() + ", configs: " + layout.config(), e);
        } catch (PkiException | ConfigException e) {
            cleanUp(run, supervisor, node, ports, lock, layout.root());
            throw new PolykubeException("cluster '" + spec.name() + "' cannot be prepared: " + e.getMessage(), e);
        } catch (RuntimeException | Error e) {
            cleanUp(run, supervisor, node, ports, lock, layout.root());
            throw e;
        }
    }

    /** The JVM shutdown hook of each running cluster, by directory: removed when the cluster stops. */
    private static final java.util.concurrent.ConcurrentMap<Path, Thread> shutdownHooks = new java.util.concurrent.ConcurrentHashMap<>();

    private static void removeShutdownHook(Path root) {
        Thread hook = shutdownHooks.remove(root);
        if (hook != null && hook != Thread.currentThread()) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is shutting down: the hook runs (or ran) anyway
            }
        }
    }

    private static void cleanUp(ClusterRun run, Supervisor supervisor, NodeRuntime node, PortPlan ports, DirectoryLock lock,
            Path root) {
        if (run != null) {
            run.stop();
            return;
        }
        try {
            removeShutdownHook(root);
            if (supervisor != null) {
                supervisor.stop();
            }
            if (node != null) {
                node.teardown();
            }
        } finally {
            ports.close();
            lock.close();
        }
    }

    private static Map<Binary, ResolvedBinary> resolveBinaries(ClusterSpec spec) {
        Set<Binary> needed = EnumSet.copyOf(CONTROL_PLANE_BINARIES);
        if (spec.mode() == Mode.FULL) {
            needed.addAll(EnumSet.of(Binary.KUBELET, Binary.KUBE_PROXY, Binary.PAUSE));
            if (spec.node().dns()) {
                needed.add(Binary.COREDNS);
            }
        }
        Binaries.Builder builder = Binaries.builder().versions(BinaryVersions.defaults().withKubernetes(spec.kubernetesVersion()));
        spec.binaryDirectory().ifPresent(dir -> needed.forEach(b -> builder.path(b, dir.resolve(b.fileName()))));
        try {
            return builder.build().resolveAll(needed);
        } catch (BinaryException e) {
            String hint = spec.binaryDirectory().map(d -> "\nThe spec's binaryDirectory is " + d + ": put the v" + spec.kubernetesVersion()
                    + " binaries there, or leave it unset to use the cache that ./polykube setup fills.").orElse("");
            throw new PolykubeException("cluster '" + spec.name() + "' cannot find its binaries: " + e.getMessage() + hint, e);
        }
    }

    private static Map<PortName, OptionalInt> explicitPorts(ClusterSpec spec) {
        Map<PortName, OptionalInt> out = new EnumMap<>(PortName.class);
        out.put(PortName.ETCD_CLIENT, spec.etcd().clientPort());
        out.put(PortName.ETCD_PEER, spec.etcd().peerPort());
        out.put(PortName.API_SERVER, spec.apiServer().securePort());
        out.put(PortName.CONTROLLER_MANAGER, spec.controllerManager().securePort());
        out.put(PortName.SCHEDULER, spec.scheduler().securePort());
        return out;
    }

    private static ClusterPki issuePki(ClusterSpec spec, ClusterNetwork network, ClusterLayout layout) {
        ClusterPkiSpec.Builder pkiBuilder = ClusterPkiSpec.builder();
        if (spec.mode() == Mode.FULL) {
            // the node's InternalIP (the bridge's address; kubelet refuses a loopback node IP): a SAN of kubelet's certificate
            pkiBuilder.advertiseAddresses(network.gateway());
        }
        ClusterPkiSpec pkiSpec = pkiBuilder
                .clusterName(spec.name())
                .nodeName(spec.node().name())
                .serviceCidr(network.serviceCidr())
                .clusterDomain(network.clusterDomain())
                .extraSans(spec.pki().extraSans())
                .validity(spec.pki().validity())
                .renewBefore(spec.pki().renewBefore())
                .keyAlgorithm(spec.pki().keyAlgorithm())
                .build();
        return ClusterPki.loadOrCreate(layout.pki(), pkiSpec);
    }

    /**
     * Starts etcd, the API server and what needs nothing, then the rest (controller manager, scheduler, node) while the
     * API is checked for use: those checks overlap the others' start. Returns when every process is ready and the API usable.
     */
    private void startProcesses(List<ProcessSpec> processes, long deadline) {
        List<ProcessSpec> first = processes.stream()
                .filter(p -> p.dependsOn().isEmpty() || p.name().equals(Component.KUBE_APISERVER.processName())).toList();
        List<ProcessSpec> rest = processes.stream().filter(p -> !first.contains(p)).toList();
        supervisor.start(first);
        CompletableFuture<Void> others = new CompletableFuture<>();
        Thread starter = new Thread(() -> {
            try {
                supervisor.start(rest);
                others.complete(null);
            } catch (Throwable t) {
                others.completeExceptionally(t);
            }
        }, "polykube-start-" + spec.name());
        starter.setDaemon(true);
        starter.start();
        try {
            awaitApiUsable(deadline);
        } catch (RuntimeException e) {
            supervisor.stop(); // aborts the others' start
            others.handle((v, t) -> null).join();
            throw e;
        }
        try {
            others.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    private void awaitApiUsable(long deadline) {
        // The API server's own readiness may leave out two slow post-start hooks (see ControlPlaneProcesses): all of them here.
        Probe readyz = Probe.https(URI.create(apiServerUrl + "/readyz"), TlsTrust.ca(pki.caCert())
                .withClientCertificate(pki.admin().cert(), pki.admin().key()), "ok"::equals, "ok");
        ProbeContext probeContext = ProbeContext.standalone(Component.KUBE_APISERVER.processName(), Duration.ofSeconds(5));
        awaitCondition("the API server's /readyz (every post-start hook) to pass", deadline, () -> readyz.check(probeContext).ready());
        KubernetesClient c = client();
        List<String> namespaces = List.of("default", "kube-system", "kube-public");
        awaitCondition("the namespaces " + namespaces + " to exist", deadline,
                () -> namespaces.stream().allMatch(n -> c.namespaces().withName(n).get() != null));
        // The controller manager makes it too, but only after its informers sync (seconds): pods need it now.
        awaitCondition("the service account default/default to exist", deadline, () -> {
            if (c.serviceAccounts().inNamespace("default").withName("default").get() == null) {
                try {
                    c.serviceAccounts().inNamespace("default").resource(new ServiceAccountBuilder().withNewMetadata()
                            .withName("default").endMetadata().build()).create();
                } catch (KubernetesClientException e) {
                    if (e.getCode() != 409) { // 409: the controller manager was first
                        throw e;
                    }
                }
            }
            return true;
        });
    }

    /**
     * Brings the cluster back to its state right after start: etcd is stopped, its data replaced by the snapshot taken at
     * the end of start (revision raised past every revision clients saw, and marked compacted, so every surviving watch
     * ends with 410 Gone and its informer relists), and started again. The other components keep running.
     */
    public synchronized void reset() {
        if (!"RUNNING".equals(state)) {
            throw new PolykubeException("cluster '" + spec.name() + "' cannot reset while " + state.toLowerCase()
                    + ": reset a running cluster");
        }
        long t0 = System.nanoTime();
        long deadline = t0 + spec.startTimeout().toNanos();
        if (spec.mode() == Mode.FULL) {
            removePodsMadeSinceStart(deadline);
        }
        // The controller manager exits on an API error while it starts its controllers (the swap causes one): not meanwhile.
        ProbeContext probeContext = ProbeContext.standalone(Component.KUBE_CONTROLLER_MANAGER.processName(), Duration.ofSeconds(5));
        awaitCondition("the controller manager to have started its controllers", deadline,
                () -> controllersStarted.check(probeContext).ready());
        long seen = currentRevision();
        // restored beside the live data while etcd runs; swapped in while the old etcd is frozen
        Path data = snapshot.restore(seen, RESET_REVISION_MARGIN);
        long restoredAt = System.nanoTime();
        int etcdPort = ports.port(PortName.ETCD_CLIENT);
        try {
            supervisor.replace(Component.ETCD.processName(), () -> snapshot.swap(data),
                    pid -> ListeningSockets.listensOn(pid, etcdPort), Duration.ofSeconds(10));
        } catch (ProcessException e) {
            throw new PolykubeException("cluster '" + spec.name() + "' did not come back after a reset: " + e.getMessage()
                    + "\nAll logs: " + layout.logs(), e);
        }
        long etcdReadyAt = System.nanoTime();
        awaitCondition("the API server to serve the restored etcd data", deadline, () -> currentRevision() > seen);
        long apiAt = System.nanoTime();
        awaitApiUsable(deadline);
        // A component may exit on the swap (the controller manager now and then does) and is restarted: wait for it too.
        awaitCondition("every component to be ready again after the reset", deadline,
                () -> supervisor.processes().stream().allMatch(p -> p.state().name().equals("READY")));
        LOG.info("Cluster '{}' reset in {} ms (etcd data restored {} ms, etcd ready {} ms, API server back {} ms, "
                + "usable {} ms)", spec.name(), millisSince(t0), (restoredAt - t0) / 1_000_000, (etcdReadyAt - restoredAt) / 1_000_000,
                (apiAt - etcdReadyAt) / 1_000_000, millisSince(apiAt));
    }

    /**
     * Deletes (grace 0) the pods made since start and waits until kubelet has stopped their sandboxes, so a reset leaves
     * no containers behind: after the etcd restore the API would no longer name them.
     */
    private void removePodsMadeSinceStart(long deadline) {
        KubernetesClient c = client();
        PodSweep.Result first = startPods.sweep(c);
        // a controller may still make a pod before its own deletion reaches it: those are swept on the next round
        awaitCondition("kubelet to stop the pods made since start (" + first.deleted() + ")", deadline, () -> {
            PodSweep.Result again = startPods.sweep(c);
            return again.deleted() == 0 && node.runningSandboxes() <= startPods.startPodCount() + again.leftToStartWorkloads();
        });
    }


    /** etcd's current revision, as a list through the API server (served by etcd, not a cache) reports it. */
    private long currentRevision() {
        String rv = client().namespaces().list(new ListOptionsBuilder().withLimit(1L).build()).getMetadata().getResourceVersion();
        return Long.parseLong(rv);
    }

    private void awaitCondition(String what, long deadline, BooleanSupplier condition) {
        Await.until(what, deadline, POLL, Await.when(condition),
                () -> supervisor.processes().stream().filter(p -> p.state().name().equals("FAILED")).findFirst().ifPresent(p -> {
                    throw new PolykubeException("cluster '" + spec.name() + "': " + p.name() + " failed while waiting for " + what
                            + "; last log lines:\n  " + String.join("\n  ", supervisor.logTail(p.name(), 40)) + "\nLog: "
                            + p.logFile());
                }),
                last -> new PolykubeException("cluster '" + spec.name() + "' did not become usable: timed out waiting for " + what
                        + " (last result: " + last + "). Logs: " + layout.logs()));
    }

    public synchronized KubernetesClient client() {
        if (client == null) {
            client = clientFor(adminKubeconfig, pki.admin());
        }
        return client;
    }

    /** A new client for {@code user} (issued on first use); the caller closes it. */
    public KubernetesClient userClient(String user, String... groups) {
        ClientCredentials credentials = credentials(user, groups);
        return clientFor(kubeconfigs.writeUser(credentials), credentials);
    }

    private static KubernetesClient clientFor(Path kubeconfig, ClientCredentials credentials) {
        try {
            Config config = Config.fromKubeconfig(null, Files.readString(kubeconfig), kubeconfig.toString());
            // fabric8 reads a PKCS#8 key as RSA unless told the algorithm.
            config.setClientKeyAlgo(Pem.readPrivateKey(credentials.key()).getAlgorithm());
            return new KubernetesClientBuilder().withConfig(config).build();
        } catch (IOException e) {
            throw new PolykubeException("cannot read the kubeconfig " + kubeconfig + ": " + e.getMessage(), e);
        }
    }

    /** The node's images ({@code FULL} mode only). */
    public Images images() {
        return node.images();
    }

    public Path adminKubeconfig() {
        return adminKubeconfig;
    }

    public URI apiServerUrl() {
        return apiServerUrl;
    }

    public ClientCredentials credentials(String user, String... groups) {
        try {
            return pki.issueUser(user, groups);
        } catch (PkiException e) {
            throw new PolykubeException("cannot issue a certificate for user '" + user + "': " + e.getMessage(), e);
        }
    }

    public Path userKubeconfig(String user, String... groups) {
        return kubeconfigs.writeUser(credentials(user, groups));
    }

    public List<ComponentStatus> status() {
        List<ComponentStatus> out = new ArrayList<>();
        for (ProcessInfo p : supervisor.processes()) {
            Component component = componentOf(p.name());
            Optional<String> worker = workerOf(p.name());
            out.add(new ComponentStatus(component, p.state().name(), p.pid(), portOf(component), p.restartCount(), p.startedAt(), p.readyAt(),
                    worker));
        }
        return out;
    }

    private OptionalInt portOf(Component component) {
        PortName name = switch (component) {
            case ETCD -> PortName.ETCD_CLIENT;
            case KUBE_APISERVER -> PortName.API_SERVER;
            case KUBE_CONTROLLER_MANAGER -> PortName.CONTROLLER_MANAGER;
            case KUBE_SCHEDULER -> PortName.SCHEDULER;
            case KUBELET -> PortName.KUBELET;
            case KUBE_PROXY -> PortName.KUBE_PROXY_HEALTHZ;
            case CONTAINERD -> null;
        };
        Integer port = name == null ? null : ports.asMap().get(name);
        return port == null ? OptionalInt.empty() : OptionalInt.of(port);
    }

    /** A worker's processes are named {@code <component>.<worker>}. */
    private static Component componentOf(String processName) {
        String name = processName.contains(".") ? processName.substring(0, processName.indexOf('.')) : processName;
        for (Component c : Component.values()) {
            if (c.processName().equals(name)) {
                return c;
            }
        }
        throw new IllegalStateException("unknown process " + processName);
    }

    private static Optional<String> workerOf(String processName) {
        int dot = processName.indexOf('.');
        return dot < 0 ? Optional.empty() : Optional.of(processName.substring(dot + 1));
    }

    /** The names of the cluster's nodes (mode FULL), the first one first. */
    public List<String> nodeNames() {
        return node.nodeNames();
    }

    /**
     * Stops a node's kubelet and kube-proxy (its containers keep running, as on a node whose kubelet died): the node goes
     * NotReady once its lease expires, and its pods are evicted after their toleration.
     */
    public synchronized void stopNode(String name) {
        requireRunning("stop node " + name);
        List<String> names = node.nodeProcesses(name);
        for (int i = names.size() - 1; i >= 0; i--) {
            supervisor.stop(names.get(i));
        }
        LOG.info("Cluster '{}': node {} stopped (kubelet and kube-proxy)", spec.name(), name);
    }

    /** Starts a stopped node's kubelet and kube-proxy again and waits until the node is Ready. */
    public synchronized void startNode(String name) {
        requireRunning("start node " + name);
        long deadline = System.nanoTime() + spec.startTimeout().toNanos();
        for (String process : node.nodeProcesses(name)) {
            supervisor.restart(process);
        }
        KubernetesClient c = client();
        awaitCondition("node " + name + " to be Ready again", deadline, () -> {
            var n = c.nodes().withName(name).get();
            return n != null && n.getStatus() != null && n.getStatus().getConditions().stream()
                    .anyMatch(cond -> "Ready".equals(cond.getType()) && "True".equals(cond.getStatus()));
        });
        LOG.info("Cluster '{}': node {} is Ready again", spec.name(), name);
    }

    /** Whether the node's kubelet runs (it may not be Ready yet). */
    public boolean nodeRunning(String name) {
        return supervisor.process(node.nodeProcesses(name).get(0)).map(p -> !List.of("STOPPED", "STOPPING", "FAILED")
                .contains(p.state().name())).orElse(false);
    }

    private void requireRunning(String what) {
        if (!"RUNNING".equals(state)) {
            throw new PolykubeException("cluster '" + spec.name() + "' cannot " + what + " while " + state.toLowerCase());
        }
    }

    private void onEvent(ProcessEvent event) {
        if (event.type() == ProcessEvent.Type.RESTARTED || event.type() == ProcessEvent.Type.EXITED) {
            LOG.warn("Cluster '{}': {} {}: {}", spec.name(), event.name(), event.type().name().toLowerCase(), event.message());
        }
        writeRecord();
    }

    public ClusterRecord record() {
        List<ClusterRecord.ComponentRecord> components = supervisor.processes().stream()
                .map(p -> new ClusterRecord.ComponentRecord(p.name(), p.state().name(), pidOrNull(p.pid()),
                        portOf(componentOf(p.name())).stream().boxed().findFirst().orElse(null), p.restartCount(),
                        p.startedAt().orElse(null), p.readyAt().orElse(null)))
                .toList();
        return new ClusterRecord(spec.name(), spec.mode().name(), spec.kubernetesVersion(), layout.root().toString(), state,
                apiServerUrl.toString(), ports.asMap(), components, ProcessHandle.current().pid(), ClusterRecord.currentProcessStart(),
                Instant.now());
    }

    private void writeRecord() {
        try {
            synchronized (recordLock) { // never the run's monitor: supervisor threads call this while stop() holds it
                record().write(layout.clusterJson());
            }
        } catch (RuntimeException e) {
            LOG.warn("Cluster '{}': could not update {}: {}", spec.name(), layout.clusterJson(), e.getMessage());
        }
    }

    private static Long pidOrNull(OptionalLong pid) {
        return pid.isPresent() ? pid.getAsLong() : null;
    }

    /** Stops the processes in reverse order, closes the client, releases the ports, records the state. Idempotent. */
    public synchronized void stop() {
        if ("STOPPED".equals(state)) {
            return;
        }
        removeShutdownHook(layout.root());
        long t0 = System.nanoTime();
        state = "STOPPING";
        KubernetesClient c = client;
        client = null;
        try {
            if (c != null) {
                c.close();
            }
            supervisor.stop();
            node.teardown();
        } finally {
            state = "STOPPED";
            writeRecord();
            ports.close();
            lock.close();
            LOG.info("Cluster '{}' stopped in {} ms", spec.name(), millisSince(t0));
        }
    }

    private static long millisSince(long t0) {
        return Duration.ofNanos(System.nanoTime() - t0).toMillis();
    }
}
