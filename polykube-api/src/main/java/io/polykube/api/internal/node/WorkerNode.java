package io.polykube.api.internal.node;

import io.polykube.api.error.PolykubeException;
import io.polykube.api.internal.ComponentContext;
import io.polykube.api.layout.NodeDirectories;
import io.polykube.api.spec.ClusterHostNames;
import io.polykube.api.status.Component;
import io.polykube.net.Cidr;
import io.polykube.net.ClusterNetwork;
import io.polykube.runtime.process.ProcessSpec;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One worker of a multi-node {@code FULL} cluster, on this host: a network namespace of its own ({@code polykube-<cluster>-<worker>})
 * joined to the cluster's bridge by a veth pair, with its node IP from the node network, a default route to the host, and
 * a host route of its pod CIDR to it; its own containerd, kubelet and kube-proxy ({@link NodeContainerd},
 * {@link KubeletProcess}, {@link KubeProxyProcess}), run inside the namespace with {@code nsenter --net} (the mount
 * namespace stays the host's, so containerd sees kubelet's volume mounts); its own directories under
 * {@code <cluster>/node/workers/<name>/} and cgroup root. Its kubelet joins by TLS bootstrap.
 */
final class WorkerNode {
    /** Names of a process of this worker: {@code <component>.<worker>}. */
    static final String SEPARATOR = ".";

    private final ComponentContext ctx;
    private final String name;
    private final ClusterNetwork network;
    private final Cidr podCidr;
    private final InetAddress nodeIp;
    private final Path dir;
    private final NodeDirectories dirs;
    private final Path socket;
    private final NodeNamespace namespace;
    private final NodeContext node;
    private final String cgroupRoot;

    WorkerNode(ComponentContext ctx, ClusterHostNames names, HostNetworkGuard guard, int index) {
        this.ctx = ctx;
        this.network = ctx.network();
        this.name = ctx.spec().node().workerNames().get(index - 1);
        this.podCidr = network.podCidr(index);
        this.nodeIp = network.nodeAddress(index);
        this.dirs = ctx.layout().worker(name);
        this.dir = dirs.root();
        this.socket = NodeContainerd.socketPath(dirs, names.containerdSocket(name));
        this.namespace = new NodeNamespace(name, names.netns(name), names.veth(name), nodeIp, podCidr, network, guard.bridge());
        this.cgroupRoot = names.cgroupRoot(name);
        this.node = new NodeContext(ctx, name, dirs, socket, nodeIp, namespace.file(), true);
    }

    String name() {
        return name;
    }

    InetAddress nodeIp() {
        return nodeIp;
    }

    Cidr podCidr() {
        return podCidr;
    }

    Path socket() {
        return socket;
    }

    /** Whether kubelet holds its serving certificate (after polykube approved its request). */
    boolean hasServingCertificate() {
        return Files.exists(dirs.kubeletServingCert());
    }

    static String processName(Component component, String worker) {
        return component.processName() + SEPARATOR + worker;
    }

    NodeRecord.Worker record() {
        return new NodeRecord.Worker(name, namespace.name(), namespace.veth(), dir.toString(), socket.toString(), dirs.runcRoot().toString(),
                cgroupRoot, podCidr.toString(), nodeIp.getHostAddress());
    }

    /**
     * Creates the directories, the network namespace ({@link NodeNamespace#plumb()}) and the cgroup root. The bridge (the
     * network guard) must be installed.
     */
    void plumb() {
        try {
            for (Path d : List.of(dirs.containerdRoot(), dirs.containerdState(), socket.getParent(), dirs.kubeletRoot(), dirs.cniConfDir(), dirs.ipamDir(),
                    dirs.podLogs(), dirs.config())) {
                Files.createDirectories(d);
            }
        } catch (IOException e) {
            throw new PolykubeException("cannot create the directories of node " + name + " in " + dir + ": " + e.getMessage(), e);
        }
        namespace.plumb();
        NodeCgroup.create(cgroupRoot, name);
    }

    /** containerd, in the namespace; ready once it holds the sandbox image. */
    ProcessSpec containerd(Path sandboxTarball) {
        Path config = NodeContainerd.writeConfig(node, dirs.configFile("containerd.toml"), dirs.configFile("registry-hosts"));
        CniBridge.write(node, podCidr);
        return NodeContainerd.process(node, config, sandboxTarball);
    }

    /** kubelet (TLS bootstrap with {@code bootstrapKubeconfig}) and kube-proxy, in the namespace. */
    List<ProcessSpec> joining(Path bootstrapKubeconfig, List<InetAddress> clusterDns) {
        ProcessSpec kubelet = KubeletProcess.worker(node, cgroupRoot, bootstrapKubeconfig, clusterDns);
        ProcessSpec proxy = KubeProxyProcess.worker(node);
        return List.of(kubelet, proxy);
    }

    @Override
    public String toString() {
        return "WorkerNode[" + name + " " + nodeIp.getHostAddress() + ", pods " + podCidr + ", " + namespace + "]";
    }
}
