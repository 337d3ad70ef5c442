package io.polykube.api.internal.run;

import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.polykube.api.error.PolykubeException;
import io.polykube.api.images.Images;
import io.polykube.api.internal.Await;
import io.polykube.api.internal.PortPlan;
import io.polykube.api.faults.Faults;
import io.polykube.api.internal.node.NodeRuntime;
import io.polykube.api.layout.ClusterLayout;
import io.polykube.api.spec.ClusterSpec;
import io.polykube.api.spec.Mode;
import io.polykube.api.status.ClusterRecord;
import io.polykube.api.status.Component;
import io.polykube.api.status.ComponentStatus;
import io.polykube.api.webhook.WebhookCertificate;
import io.polykube.runtime.probe.Probe;
import io.polykube.runtime.probe.ProbeContext;
import io.polykube.runtime.probe.TlsTrust;
import io.polykube.runtime.process.ProcessEvent;
import io.polykube.runtime.process.Supervisor;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One run of a cluster: from a successful start to its stop. Owns the supervisor, the reserved ports and the client. */
public final class ClusterRun implements RunningCluster {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterRun.class);
    private static final Duration POLL = Duration.ofMillis(50);

    private final ClusterSpec spec;
    private final ClusterLayout layout;
    private final DirectoryLock lock;
    private final PortPlan ports;
    private final ClusterAccess access;
    private final Supervisor supervisor;
    private final NodeRuntime node;
    private final EtcdRestorePoint restorePoint;
    /** The pods that existed when the snapshot was taken (FULL mode): a reset keeps them, and removes every other. */
    private volatile PodSweep startPods = PodSweep.none();
    private volatile String state = "STARTING";
    private final Object recordLock = new Object();
    /** The Kubernetes version the cluster directory was made with (this run's, for a new directory). */
    private final String madeWithVersion;

    /** The run a start makes once its supervisor runs; it takes over what the start holds. */
    ClusterRun(Start start) {
        this.spec = start.spec;
        this.layout = start.layout;
        this.lock = start.lock;
        this.ports = start.ports;
        this.access = new ClusterAccess(start.spec, start.layout, start.pki, start.kubeconfigs, start.context.apiServerUrl(),
                start.adminKubeconfig);
        this.supervisor = start.supervisor;
        this.node = start.node;
        this.restorePoint = EtcdRestorePoint.of(start.context);
        this.madeWithVersion = start.madeWithVersion;
    }

    /**
     * Prepares everything (binaries, ports, PKI, kubeconfigs: bad input fails here, before any process), then starts the
     * processes and waits until the API is usable. On failure, whatever was started is stopped again. The steps are
     * those of {@link StartSequence}.
     */
    public static ClusterRun start(ClusterSpec spec, ClusterLayout layout) {
        return StartSequence.run(spec, layout);
    }

    /** Running: the state a reset and node operations need, written to {@code cluster.json}. */
    void markRunning(long startedAt) {
        state = "RUNNING";
        writeRecord();
        LOG.info("Cluster '{}' ready in {} ms: {} (kubeconfig {})", spec.name(), Start.millisSince(startedAt), access.apiServerUrl(),
                access.adminKubeconfig());
    }

    /** The pods a reset keeps: those that ran when the snapshot was taken. */
    void keepPods(PodSweep pods) {
        this.startPods = pods;
    }

    String name() {
        return spec.name();
    }

    Supervisor supervisor() {
        return supervisor;
    }

    EtcdRestorePoint restorePoint() {
        return restorePoint;
    }

    /**
     * Waits until the API server passes its post-start hooks and the default namespaces and service account exist. With
     * {@code bootstrapObjectsCurrent} (etcd holds the bootstrap roles and priority classes of this very version), the two
     * hooks that sleep a second before confirming them are not waited for.
     */
    void awaitApiUsable(long deadline, boolean bootstrapObjectsCurrent) {
        String query = bootstrapObjectsCurrent
                ? ControlPlaneProcesses.SLOW_HOOKS.stream().map(h -> "exclude=" + h).collect(Collectors.joining("&", "?", "")) : "";
        Probe readyz = Probe.https(URI.create(access.apiServerUrl() + "/readyz" + query), TlsTrust.ca(access.pki().caCert())
                .withClientCertificate(access.pki().admin().cert(), access.pki().admin().key()), "ok"::equals, "ok");
        ProbeContext probeContext = ProbeContext.standalone(Component.KUBE_APISERVER.processName(), Duration.ofSeconds(5));
        awaitCondition("the API server's /readyz to pass", deadline, () -> readyz.check(probeContext).ready());
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
     * Brings the cluster back to its state right after start: the API server's keys in etcd made since start are deleted
     * and the ones changed since are written back, in place ({@link EtcdRestorePoint}). Every process keeps running and
     * every watch stays open: informers see the deletions and changes as events.
     */
    @Override
    public ClusterAccess access() {
        return access;
    }

    @Override
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
        long podsGoneAt = System.nanoTime();
        EtcdRestorePoint.Restored restored = restorePoint.restore();
        LOG.info("Cluster '{}' reset in {} ms ({}deleted {} keys, wrote back {}, in {} etcd transaction(s))", spec.name(),
                Start.millisSince(t0), spec.mode() == Mode.FULL ? "pods swept " + (podsGoneAt - t0) / 1_000_000 + " ms, " : "",
                restored.deleted(), restored.written(), restored.transactions());
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

    /** The fault proxy and its rules, started on first use; stopped with the cluster. */
    @Override
    public Faults faults() {
        requireRunning("inject faults");
        return access.faults();
    }

    /** The serving certificate for webhook servers of a cluster not started yet (its PKI is issued now if need be). */
    public static WebhookCertificate webhookCertificateBeforeStart(ClusterSpec spec, ClusterLayout layout,
            List<String> serviceHostNames) {
        return IssuePki.webhookCertificateBeforeStart(spec, layout, serviceHostNames);
    }

    /** A deadline for a wait started now: the spec's start timeout. */
    @Override
    public long deadlineFromNow() {
        return System.nanoTime() + spec.startTimeout().toNanos();
    }

    /** The node's images ({@code FULL} mode only). */
    @Override
    public Images images() {
        return node.images();
    }

    @Override
    public List<ComponentStatus> status() {
        return RunStatus.statuses(supervisor.processes(), ports);
    }

    /** The names of the cluster's nodes (mode FULL), the first one first. */
    @Override
    public List<String> nodeNames() {
        return node.nodeNames();
    }

    /**
     * Stops a node's kubelet and kube-proxy (its containers keep running, as on a node whose kubelet died): the node goes
     * NotReady once its lease expires, and its pods are evicted after their toleration.
     */
    @Override
    public synchronized void stopNode(String name) {
        requireRunning("stop node " + name);
        List<String> names = node.nodeProcesses(name);
        for (int i = names.size() - 1; i >= 0; i--) {
            supervisor.stop(names.get(i));
        }
        LOG.info("Cluster '{}': node {} stopped (kubelet and kube-proxy)", spec.name(), name);
    }

    /** Starts a stopped node's kubelet and kube-proxy again and waits until the node is Ready. */
    @Override
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
    @Override
    public boolean nodeRunning(String name) {
        return supervisor.process(node.nodeProcesses(name).get(0)).map(p -> !List.of("STOPPED", "STOPPING", "FAILED")
                .contains(p.state().name())).orElse(false);
    }

    private void requireRunning(String what) {
        if (!"RUNNING".equals(state)) {
            throw new PolykubeException("cluster '" + spec.name() + "' cannot " + what + " while " + state.toLowerCase());
        }
    }

    void onEvent(ProcessEvent event) {
        if (event.type() == ProcessEvent.Type.RESTARTED || event.type() == ProcessEvent.Type.EXITED) {
            LOG.warn("Cluster '{}': {} {}: {}", spec.name(), event.name(), event.type().name().toLowerCase(), event.message());
        }
        writeRecord();
    }

    @Override
    public ClusterRecord record() {
        List<ClusterRecord.ComponentRecord> components = RunStatus.records(supervisor.processes(), ports);
        return new ClusterRecord(spec.name(), spec.mode().name(), spec.kubernetesVersion(), layout.root().toString(), state,
                access.apiServerUrl().toString(), ports.asMap(), components, ProcessHandle.current().pid(), ClusterRecord.currentProcessStart(),
                Instant.now(), madeWithVersion);
    }

    void writeRecord() {
        try {
            synchronized (recordLock) { // never the run's monitor: supervisor threads call this while stop() holds it
                record().write(layout.clusterJson());
            }
        } catch (RuntimeException e) {
            LOG.warn("Cluster '{}': could not update {}: {}", spec.name(), layout.clusterJson(), e.getMessage());
        }
    }

    /** Stops the processes in reverse order, closes the client, releases the ports, records the state. Idempotent. */
    @Override
    public synchronized void stop() {
        if ("STOPPED".equals(state)) {
            return;
        }
        ShutdownHooks.remove(layout.root());
        long t0 = System.nanoTime();
        state = "STOPPING";
        try {
            access.close();
            supervisor.stop();
            node.teardown();
        } finally {
            state = "STOPPED";
            writeRecord();
            ports.close();
            lock.close();
            LOG.info("Cluster '{}' stopped in {} ms", spec.name(), Start.millisSince(t0));
        }
    }
}
