package io.polykube.api.internal.node;

import io.polykube.runtime.binaries.KnownVersions;
import io.polykube.runtime.preflight.CgroupLayout;
import io.polykube.runtime.preflight.PreflightCheck;
import java.util.concurrent.atomic.AtomicBoolean;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.polykube.api.error.PolykubeException;
import io.polykube.api.images.Images;
import io.polykube.api.internal.ComponentContext;
import io.polykube.api.layout.NodeDirectories;
import io.polykube.api.spec.ClusterHostNames;
import io.polykube.api.spec.ClusterSpec;
import io.polykube.api.status.Component;
import io.polykube.api.status.PortName;
import io.polykube.net.Cidr;
import io.polykube.net.ClusterNetwork;
import io.polykube.runtime.binaries.ClusterBinary;
import io.polykube.runtime.preflight.Sysctl;
import io.polykube.runtime.process.ProcessSpec;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node of a {@code FULL} cluster, put together in order: the host lock and the cleaning after a crash
 * ({@link NodeLeftovers}), the host record, the network guard, then the processes of the first node ({@link NodeContainerd}
 * with its {@link CniBridge}, {@link KubeletProcess}, {@link KubeProxyProcess}) and of the workers ({@link WorkerNode});
 * {@link NodeReadiness} and the cluster DNS once they run; the cleaning at teardown.
 *
 * <p>Files: everything under {@code <cluster>/node/} ({@code containerd/root}, {@code containerd/state} with the pod
 * network namespaces, {@code kubelet/} (kubelet's root dir), {@code cni/net.d}, {@code cni/ipam}, {@code images/}), the
 * rendered configs under {@code <cluster>/config/}, and {@code node/host.json}, the record of what is put on the host. The
 * containerd socket is {@code node/containerd/containerd.sock}, or {@code /run/polykube/<name>/containerd.sock} when the
 * cluster directory is too deep for a unix socket path.
 *
 * <p>Network: the first node runs in a network namespace of its own ({@link NodeNamespace}), as every worker does, so
 * what its kubelet, kube-proxy and CNI plugins write into iptables stays in there and goes with it: the host keeps only
 * the network guard. The host's address on the cluster's bridge is the API server's; the node's address (the node
 * network's second) is its InternalIP, where kubelet and the health endpoints listen; the kubelet serving certificate
 * carries it as a SAN. The host reaches Services through the first node (the service CIDR is routed to it).
 */
final class FullNode implements NodeRuntime {
    private static final Logger LOG = LoggerFactory.getLogger(FullNode.class);
    private static final AtomicBoolean CGROUP_V1_SAID = new AtomicBoolean();

    private final ComponentContext ctx;
    private final ClusterSpec spec;
    private final ClusterNetwork network;
    private final HostNetworkGuard guard;
    private final Path nodeDir;
    private final NodeDirectories dirs;
    private final Path socket;
    private final NodeNamespace namespace;
    private final String cgroupRoot;
    private final NodeContext node;
    private final NodeImages images;
    private final Optional<ClusterDns> dns;
    private final List<WorkerNode> workers;
    private final NodeJoin join;
    private final NodeReadiness readiness;
    private HostLock lock;
    private NodeRecord record;
    private List<ProcessSpec> processes = List.of();

    FullNode(ComponentContext ctx) {
        this.ctx = ctx;
        this.spec = ctx.spec();
        this.network = ctx.network();
        ClusterHostNames names = spec.hostNames();
        this.guard = HostNetworkGuard.of(spec);
        this.dirs = ctx.layout().node();
        this.nodeDir = dirs.root();
        this.socket = NodeContainerd.socketPath(dirs, names.containerdSocket());
        String nodeName = spec.node().name();
        this.namespace = new NodeNamespace(nodeName, names.netns(nodeName), names.veth(nodeName), network.nodeAddress(0),
                network.podCidr(0), network, guard.bridge());
        this.cgroupRoot = names.cgroupRoot(nodeName);
        this.node = new NodeContext(ctx, nodeName, dirs, socket, network.nodeAddress(0), namespace.file(), false);
        this.workers = new ArrayList<>();
        for (int i = 1; i < spec.node().count(); i++) {
            workers.add(new WorkerNode(ctx, names, guard, i));
        }
        List<Path> sockets = new ArrayList<>(List.of(socket));
        workers.forEach(w -> sockets.add(w.socket()));
        this.images = new NodeImages(spec.name(), sockets);
        this.join = new NodeJoin(spec.name(), ctx.layout().bootstrapToken());
        this.readiness = new NodeReadiness(ctx, workers, join);
        this.dns = spec.node().dns() ? Optional.of(new ClusterDns(spec.name(), ctx.binaries().get(ClusterBinary.COREDNS),
                dirs, network.clusterDomain(), network.dnsAddress())) : Optional.empty();
    }

    @Override
    public void prepare() {
        requireRoot();
        noteCgroupV1Once();
        readiness.preparing();
        Optional<HostLock.Owner> previousOwner = HostLock.Owner.read();
        lock = HostLock.acquire(spec.name(), ctx.layout().root());
        try {
            NodeLeftovers.cleanBeforeStart(spec.name(), ctx.layout(), previousOwner);
            record = new NodeRecord(spec.name(), nodeDir.toString(), socket.toString(), dirs.runcRoot().toString(),
                    guard.bridge(), guard.chain(), network.serviceCidr().toString(), network.clusterCidr().toString(),
                    network.podCidr().toString(), spec.kubernetesVersion(),
                    Sysctl.read("net.ipv4.ip_forward").orElse("unknown"), Files.isDirectory(NodeCleaner.CONTAINER_LOG_LINKS),
                    spec.node().name(), namespace.name(), namespace.veth(),
                    workers.stream().map(WorkerNode::record).toList());
            record.write();
            for (Path dir : List.of(nodeDir, dirs.containerdRoot(), dirs.containerdState(), socket.getParent(), dirs.kubeletRoot(), dirs.cniConfDir(),
                    dirs.ipamDir(), dirs.images(), dirs.podLogs())) {
                Files.createDirectories(dir);
            }
            guard.install(ctx.port(PortName.API_SERVER));
            namespace.plumb();
            guard.installIn(namespace);
            NodeCgroup.create(cgroupRoot, spec.node().name());
            if (!"1".equals(record.ipForwardBefore())) {
                guard.forwardOnlyClusterTraffic(); // before forwarding is on: the host never routes anything else
                Sysctl.enableIpForward();
                LOG.info("Cluster '{}': net.ipv4.ip_forward was {}, set to 1 (pod traffic is routed through the host); restored "
                        + "at stop", spec.name(), record.ipForwardBefore());
            }
            List<ProcessSpec> all = new ArrayList<>(List.of(containerd(), KubeletProcess.firstNode(node, cgroupRoot, clusterDns()),
                    KubeProxyProcess.firstNode(node)));
            for (WorkerNode worker : workers) {
                worker.plumb();
                all.add(worker.containerd(sandboxTarball()));
            }
            processes = List.copyOf(all);
        } catch (IOException e) {
            throw new PolykubeException("cannot prepare the node of cluster '" + spec.name() + "' in " + nodeDir + ": "
                    + e.getMessage(), e);
        }
    }

    /** On a cgroup v1 host, says once per JVM that upstream dropped cgroup v1 support in 1.35 (kubelet still runs on it). */
    private void noteCgroupV1Once() {
        if (KnownVersions.release(spec.kubernetesVersion()).kubeletFailsOnCgroupV1() && CgroupLayout.detect().isV1()
                && CGROUP_V1_SAID.compareAndSet(false, true)) {
            LOG.warn("Cluster '{}': this host runs cgroup v1{}", spec.name(), PreflightCheck.CGROUP_V1_NOTE);
        }
    }

    private static void requireRoot() {
        if (!"root".equals(System.getProperty("user.name"))) {
            throw new PolykubeException("mode FULL needs root (containerd, kubelet, iptables, the bridge): run as root, or use "
                    + "Mode.CONTROL_PLANE");
        }
    }

    private ProcessSpec containerd() {
        Path config = NodeContainerd.writeConfig(node, ctx.layout().configFile("containerd.toml"), ctx.layout().registryHosts());
        CniBridge.write(node, network.podCidr(0));
        Path sandbox = NodeContainerd.writeSandboxImage(ctx.binary(ClusterBinary.PAUSE), sandboxTarball());
        return NodeContainerd.process(node, config, sandbox);
    }

    /** The cluster DNS's Service address for kubelets; none when DNS is left out. */
    private List<InetAddress> clusterDns() {
        return dns.map(d -> List.of(d.serviceIp())).orElse(List.of());
    }

    private Path sandboxTarball() {
        return dirs.image("sandbox.tar");
    }

    @Override
    public List<ProcessSpec> processes() {
        return processes;
    }

    /** The workers' kubelets and kube-proxies, once their bootstrap token, RBAC and Node objects are in the API. */
    @Override
    public List<ProcessSpec> join(KubernetesClient client) {
        if (workers.isEmpty()) {
            return List.of();
        }
        Path bootstrap = join.prepare(client, node.apiServer(), ctx.pki().caCert(),
                ctx.layout().bootstrapKubeconfig());
        Map<String, Cidr> podCidrs = new LinkedHashMap<>();
        workers.forEach(w -> podCidrs.put(w.name(), w.podCidr()));
        join.createNodes(client, podCidrs);
        List<InetAddress> clusterDns = clusterDns();
        List<ProcessSpec> out = new ArrayList<>();
        workers.forEach(w -> out.addAll(w.joining(bootstrap, clusterDns)));
        return out;
    }

    @Override
    public List<String> nodeNames() {
        List<String> out = new ArrayList<>(List.of(spec.node().name()));
        workers.forEach(w -> out.add(w.name()));
        return out;
    }

    /** The processes of one node that {@code stop()} stops: its kubelet and kube-proxy. */
    @Override
    public List<String> nodeProcesses(String node) {
        if (node.equals(spec.node().name())) {
            return List.of(Component.KUBELET.processName(), Component.KUBE_PROXY.processName());
        }
        if (workers.stream().anyMatch(w -> w.name().equals(node))) {
            return List.of(WorkerNode.processName(Component.KUBELET, node), WorkerNode.processName(Component.KUBE_PROXY, node));
        }
        throw new PolykubeException("cluster '" + spec.name() + "' has no node '" + node + "': its nodes are " + nodeNames());
    }

    /** Waits until the node is Ready and, unless left out, the cluster DNS answers (its image and objects go in meanwhile). */
    @Override
    public void awaitReady(KubernetesClient client, long deadlineNanos) {
        long t0 = System.nanoTime();
        readiness.resetStaleApiServerEndpoint(client);
        dns.ifPresent(d -> d.deploy(images, client));
        readiness.awaitFirstNode(client, deadlineNanos);
        readiness.awaitWorkers(client, deadlineNanos);
        if (dns.isPresent()) {
            long t1 = System.nanoTime();
            dns.get().awaitAnswering(guard, client, deadlineNanos);
            LOG.info("Cluster '{}': DNS answers at {} ({} ms after the node was Ready; {} ms in all)", spec.name(),
                    dns.get().serviceIp().getHostAddress(), (System.nanoTime() - t1) / 1_000_000, (System.nanoTime() - t0) / 1_000_000);
        }
    }

    @Override
    public Images images() {
        return images;
    }

    @Override
    public synchronized void teardown() {
        if (lock == null) {
            return; // never prepared, or refused: nothing of ours is on the host
        }
        try {
            if (record != null) {
                List<String> problems = new NodeCleaner(record, Optional.of(ctx.binary(ClusterBinary.KUBE_PROXY))).clean();
                if (problems.isEmpty()) {
                    Files.deleteIfExists(dirs.hostRecord());
                } else {
                    LOG.warn("Cluster '{}': the node left {}; the next start tries again", spec.name(), problems);
                }
            } else {
                guard.remove();
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("Cluster '{}': cleaning the node failed: {}", spec.name(), e.toString());
        } finally {
            lock.close();
            lock = null;
        }
    }

    @Override
    public int runningSandboxes() {
        int n = NodeCleaner.shims(socket.toString()).size();
        for (WorkerNode w : workers) {
            n += NodeCleaner.shims(w.socket().toString()).size();
        }
        return n;
    }
}
