package io.polykube.api;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.polykube.api.audit.AuditLog;
import io.polykube.api.error.PolykubeException;
import io.polykube.api.faults.Faults;
import io.polykube.api.images.Images;
import io.polykube.api.internal.node.HostNetworkGuard;
import io.polykube.api.internal.node.NodeImages;
import io.polykube.api.internal.run.AttachedRun;
import io.polykube.api.internal.run.ClusterRun;
import io.polykube.api.internal.run.RunningCluster;
import io.polykube.api.layout.ClusterLayout;
import io.polykube.api.spec.ClusterSpec;
import io.polykube.api.spec.KubernetesVersion;
import io.polykube.api.spec.Mode;
import io.polykube.api.status.ClusterRecord;
import io.polykube.api.status.Component;
import io.polykube.api.status.ComponentStatus;
import io.polykube.api.status.NetworkGuard;
import io.polykube.api.webhook.WebhookCertificate;
import io.polykube.pki.ClientCredentials;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A cluster built from a {@link ClusterSpec}: start it, use it, stop it. Closing it stops every process it started; its
 * directory keeps the logs, certificates and data, so a stopped cluster can be started again with the same PKI and data.
 *
 * <p>States: {@code NEW -> RUNNING -> STOPPED -> RUNNING ... -> CLOSED}, held in one {@link AtomicReference}; a cluster
 * from {@link #builder()} or {@link #of(ClusterSpec)} is {@code NEW} until {@link #start()}. {@link #stop()} twice is
 * harmless; {@link #start()} after {@link #close()} is refused.
 */
public final class Cluster implements AutoCloseable {
    /** Lifecycle states of a {@link Cluster}. */
    public enum State {
        NEW, STARTING, RUNNING, STOPPING, STOPPED, CLOSED
    }

    private final ClusterSpec spec;
    private final ClusterLayout layout;
    private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
    private final boolean attached;
    private volatile RunningCluster run;

    private Cluster(ClusterSpec spec, boolean attached) {
        this.spec = spec;
        this.layout = new ClusterLayout(spec.directory());
        this.attached = attached;
    }

    /**
     * A builder of the cluster's spec whose {@code build()} returns the cluster, not started yet:
     * {@code Cluster.builder()...build().start()} gives a running cluster. {@link ClusterSpec#builder()} gives the spec.
     */
    public static ClusterSpec.Builder<Cluster> builder() {
        return ClusterSpec.builder(Cluster::of);
    }

    /** A cluster for {@code spec}, not started yet. */
    public static Cluster of(ClusterSpec spec) {
        return new Cluster(Objects.requireNonNull(spec, "spec"), false);
    }

    /** Starts a cluster for {@code spec} and returns it once every component is ready; see {@link #start()}. */
    public static Cluster start(ClusterSpec spec) {
        return of(spec).start();
    }

    /**
     * Attaches to the cluster of {@code spec} that another process runs in {@code spec.directory()} and offers for reuse (the
     * JUnit extension's {@code @WithPolykube(reuse = true)} clusters): the owner must run this very spec. Clients,
     * kubeconfigs, the audit log and the fault proxy work as on a cluster this process started; {@link #reset()} asks the
     * owner; {@link #close()} detaches and leaves the cluster running (its owner resets it for the next user). One process
     * at a time holds a reused cluster.
     *
     * @return the attached cluster, {@link State#RUNNING}
     * @throws PolykubeException when no owner runs that spec there, or another live process holds it
     */
    public static Cluster attach(ClusterSpec spec) {
        Cluster cluster = new Cluster(Objects.requireNonNull(spec, "spec"), true);
        cluster.start();
        return cluster;
    }

    /** Whether this cluster is attached to one another process runs ({@link #attach}), not started by this one. */
    public boolean isAttached() {
        return attached;
    }

    /**
     * Starts every component and returns once a client can really work: etcd healthy, the API server ready, the controller
     * manager and scheduler healthy, the default namespaces and service account present.
     *
     * @return this cluster
     * @throws PolykubeException when the cluster is closed, the input is bad (nothing started then), or a component does
     *                           not come up (with its exit code, last log lines, and where the logs are)
     */
    public synchronized Cluster start() {
        State current = state.get();
        switch (current) {
            case RUNNING:
                return this;
            case CLOSED:
                throw new PolykubeException("cluster '" + spec.name() + "' is closed and cannot start again: build a new one with "
                        + "Cluster.builder() (the same directory keeps its PKI and data)");
            default:
                break;
        }
        state.set(State.STARTING);
        try {
            run = attached ? AttachedRun.attach(spec, layout) : ClusterRun.start(spec, layout);
            state.set(State.RUNNING);
            return this;
        } catch (RuntimeException e) {
            state.set(State.STOPPED);
            throw e;
        }
    }

    /**
     * Brings the running cluster back to its state right after {@link #start()}: same PKI, ports and kubeconfigs, no
     * objects created since, and the objects {@code start()} made as they were (etcd's keys are put back in place, through
     * etcd's API, while every process runs). Clients and their watches stay open: informers see the reset as ordinary
     * deletions and changes.
     *
     * @throws PolykubeException when the cluster is not running, or etcd refuses the restore
     */
    public synchronized void reset() {
        running().reset();
    }

    /**
     * One node of the running {@link Mode#FULL} cluster, by name: the first node ({@code spec().node().name()}) or a worker
     * ({@code worker-1}, ...), to stop and start it in failure tests.
     *
     * @throws PolykubeException naming the cluster's nodes when there is no such node
     */
    public ClusterNode node(String name) {
        RunningCluster current = running();
        if (!current.nodeNames().contains(name)) {
            throw new PolykubeException("cluster '" + spec.name() + "' has no node '" + name + "': its nodes are " + current.nodeNames());
        }
        return new ClusterNode(this, name);
    }

    /** The names of the nodes of the running cluster, the first one first (empty in {@link Mode#CONTROL_PLANE}). */
    public List<String> nodes() {
        return running().nodeNames();
    }

    RunningCluster runOf() {
        return running();
    }

    /**
     * Stops every process (reverse start order) and releases the ports; the directory stays. Idempotent. An
     * {@linkplain #attach attached} cluster is detached instead: it keeps running under its owner.
     */
    public synchronized void stop() {
        RunningCluster current = run;
        if (current == null) {
            if (state.get() != State.CLOSED) {
                state.compareAndSet(State.NEW, State.STOPPED);
            }
            return;
        }
        state.set(State.STOPPING);
        try {
            current.stop();
        } finally {
            run = null;
            state.set(State.STOPPED);
        }
    }

    /** Stops the cluster for good: a closed cluster cannot start again. */
    @Override
    public synchronized void close() {
        try {
            stop();
        } finally {
            state.set(State.CLOSED);
        }
    }

    public State state() {
        return state.get();
    }

    public ClusterSpec spec() {
        return spec;
    }

    public String name() {
        return spec.name();
    }

    /** The Kubernetes version the cluster runs, to compare: {@code cluster.kubernetesVersion().isAtLeast("1.35")}. */
    public KubernetesVersion kubernetesVersion() {
        return KubernetesVersion.of(spec.kubernetesVersion());
    }

    /** The directory holding everything the cluster owns: {@code pki/}, {@code kubeconfig/}, {@code logs/}, {@code etcd/}. */
    public Path directory() {
        return layout.root();
    }

    /** The admin kubeconfig (CA and client certificate embedded; user {@code kubernetes-admin} in {@code system:masters}). */
    public Path kubeconfig() {
        return running().adminKubeconfig();
    }

    /**
     * A kubeconfig for a new user with its own client certificate, signed by the cluster CA. The user has no permissions
     * until RBAC grants them (unless a group such as {@code system:masters} does).
     */
    public Path kubeconfig(String user, String... groups) {
        return running().userKubeconfig(user, groups);
    }

    /** The client credentials (certificate and key files) of a user, issued on first use. */
    public ClientCredentials credentials(String user, String... groups) {
        return running().credentials(user, groups);
    }

    /** A fabric8 client with the admin's credentials, verifying the API server against the cluster CA. Closed with the cluster. */
    public KubernetesClient client() {
        return running().client();
    }

    /**
     * A new fabric8 client for {@code user} (its certificate issued on first use, in {@code groups}); the caller closes it.
     * Handy for RBAC tests: the user can do nothing until a binding allows it.
     */
    public KubernetesClient client(String user, String... groups) {
        return running().userClient(user, groups);
    }

    /**
     * The images of the cluster's node: {@code images().load(Path.of("app.tar"))} imports an image tarball (OCI layout or
     * {@code docker save}); {@link Images#fromFiles(String)} builds one from local files. Mode {@code FULL} only.
     */
    public Images images() {
        return running().images();
    }

    /**
     * The images of the {@link Mode#FULL} cluster kept in {@code clusterDirectory}, for a process other than the one running
     * it (for example {@code ./polykube load}).
     *
     * @throws PolykubeException if the directory holds no FULL cluster's node
     */
    public static Images imagesIn(Path clusterDirectory) {
        return NodeImages.ofClusterDirectory(clusterDirectory);
    }

    /**
     * The network guard of this {@link Mode#FULL} cluster: its bridge, chain and networks, whether it is installed, and what
     * it rejected. Derived from the spec, so available in every state; installed only while the cluster runs.
     */
    public NetworkGuard networkGuard() {
        return HostNetworkGuard.of(spec);
    }

    /**
     * Webhooks served from this JVM: {@code webhooks().certificate()} for the server (also before {@link #start()}),
     * {@code webhooks().install(...)} to register the operator's webhook manifests with the running cluster.
     */
    public Webhooks webhooks() {
        return new Webhooks(this);
    }

    /** The webhook serving certificate: for local URLs, or (FULL) for these service host names. */
    synchronized WebhookCertificate webhookCertificate(List<String> serviceHostNames) {
        if (!serviceHostNames.isEmpty() && spec.mode() != Mode.FULL) {
            throw new PolykubeException("cluster '" + spec.name() + "' runs in mode " + spec.mode() + ": webhooks reach the "
                    + "test JVM through their Services in mode FULL only (kube-proxy routes them); in " + spec.mode()
                    + " use cluster.webhooks().certificate() and install without throughServices()");
        }
        RunningCluster current = run;
        if (current != null) {
            return current.webhookCertificate(serviceHostNames);
        }
        if (state.get() == State.CLOSED) {
            throw new PolykubeException("cluster '" + spec.name() + "' is closed: build a new one with Cluster.builder()");
        }
        return ClusterRun.webhookCertificateBeforeStart(spec, layout, serviceHostNames);
    }

    /**
     * The fault proxy in front of the API server, started on first use: {@code faults().inject(Fault.on(...).then(...))}
     * makes the real API server's answers fail on cue for the clients made by {@code faults().client(...)} (or its
     * kubeconfigs), while {@link #client()} stays direct. See {@link Faults}.
     */
    public Faults faults() {
        return running().faults();
    }

    /** The fault proxy if {@link #faults()} started it while the cluster runs (the JUnit extension clears its rules). */
    public Optional<Faults> faultsIfStarted() {
        RunningCluster current = run;
        return current == null ? Optional.empty() : current.startedFaults();
    }

    /** {@code https://127.0.0.1:<port>}. */
    public URI apiServerUrl() {
        return running().apiServerUrl();
    }

    /**
     * The API server's audit log ({@code logs/audit.log}): {@code audit().mark()}, then {@code audit().events(mark, query)}
     * for what each user asked since. Readable while the cluster runs and after it stopped.
     *
     * @throws PolykubeException when auditing is off ({@code apiServer(a -> a.audit(false))})
     */
    public AuditLog audit() {
        if (!spec.apiServer().audit().enabled()) {
            throw new PolykubeException("cluster '" + spec.name() + "' has auditing off: drop apiServer(a -> a.audit(false)) "
                    + "to read its audit log");
        }
        return AuditLog.of(layout.auditLog());
    }

    /** A component's log file (it exists once the component has started). */
    public Path logs(Component component) {
        return layout.log(component);
    }

    /** Each component's process, port, readiness and restarts. */
    public List<ComponentStatus> status() {
        RunningCluster current = run;
        return current == null ? List.of() : current.status();
    }

    /** What {@code cluster.json} records about this cluster. */
    ClusterRecord record() {
        return running().record();
    }

    private RunningCluster running() {
        RunningCluster current = run;
        if (current == null) {
            throw new PolykubeException("cluster '" + spec.name() + "' is " + state.get().name().toLowerCase()
                    + ": call start() first");
        }
        return current;
    }

    @Override
    public String toString() {
        return "Cluster[" + spec.name() + ", " + state.get() + ", " + layout.root() + "]";
    }
}
