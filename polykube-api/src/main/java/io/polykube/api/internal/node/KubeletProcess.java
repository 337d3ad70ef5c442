package io.polykube.api.internal.node;

import io.polykube.api.internal.ComponentContext;
import io.polykube.api.internal.Kubeconfigs;
import io.polykube.api.status.Component;
import io.polykube.api.status.PortName;
import io.polykube.config.flags.FlagSet;
import io.polykube.config.kubelet.KubeletConfig;
import io.polykube.runtime.binaries.ClusterBinary;
import io.polykube.runtime.probe.Probe;
import io.polykube.runtime.process.ProcessSpec;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * kubelet of one node: its configuration file, kubeconfig and flags, and its process, started after the node's containerd
 * and the API server and ready when its healthz answers. The first node's kubelet has its client and serving
 * certificates from polykube's PKI; a worker's joins by TLS bootstrap and asks for its serving certificate.
 */
final class KubeletProcess {
    /** With several nodes, kubelets renew their lease every 2.5 s, so a stopped node is seen NotReady within seconds. */
    static final int NODE_LEASE_SECONDS = 10;

    private KubeletProcess() {
    }

    /** The first node's kubelet: on the node IP with its healthz, under {@code cgroupRoot}, the node's labels and taints. */
    static ProcessSpec firstNode(NodeContext node, String cgroupRoot, List<InetAddress> clusterDns) {
        ComponentContext ctx = node.cluster();
        var options = ctx.spec().node();
        var pki = ctx.pki();
        Path kubeconfig = new Kubeconfigs(ctx.layout(), ctx.spec().name(), node.apiServer(), pki.caCert())
                .writeComponent(Component.KUBELET, pki.kubelet());
        KubeletConfig.Builder config = KubeletConfig.builder()
                .clientCaFile(pki.caCert())
                .containerRuntimeEndpoint(node.socket())
                .tls(pki.kubeletServingCert(), pki.kubeletServingKey())
                .address(node.ip())
                .port(ctx.port(PortName.KUBELET))
                .healthz(node.ip(), ctx.port(PortName.KUBELET_HEALTHZ))
                .clusterDomain(ctx.network().clusterDomain())
                .clusterDns(clusterDns)
                .maxPods(options.maxPods())
                .cgroupRoot(cgroupRoot)
                .podCidr(ctx.network().podCidr(0))
                .volumePluginDir(node.dirs().volumePluginDir())
                .podLogsDir(node.dirs().podLogs());
        if (options.count() > 1) {
            config.nodeLeaseDurationSeconds(NODE_LEASE_SECONDS);
        }
        Path configFile = config.build().writeTo(ctx.layout().configFile("kubelet.yaml"));
        FlagSet.Builder flags = FlagSet.builder("kubelet")
                .set("config", configFile)
                .set("kubeconfig", kubeconfig)
                .set("root-dir", node.dirs().kubeletRoot())
                .set("cert-dir", node.dirs().kubeletCertDir())
                .set("hostname-override", options.name())
                .set("node-ip", node.ip().getHostAddress());
        if (!options.labels().isEmpty()) {
            flags.set("node-labels", options.labels().entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(",")));
        }
        if (!options.taints().isEmpty()) {
            flags.set("register-with-taints", String.join(",", options.taints()));
        }
        return node.process(Component.KUBELET, ctx.binary(ClusterBinary.KUBELET), flags.build().toArgs())
                .dependsOn(node.processName(Component.CONTAINERD), Component.KUBE_APISERVER.processName())
                .readiness(Probe.http(URI.create("http://" + node.ip().getHostAddress() + ":" + ctx.port(PortName.KUBELET_HEALTHZ)
                        + "/healthz")))
                .build();
    }

    /** A worker's kubelet: TLS bootstrap with {@code bootstrapKubeconfig}, under {@code cgroupRoot}, healthz on its node IP. */
    static ProcessSpec worker(NodeContext node, String cgroupRoot, Path bootstrapKubeconfig, List<InetAddress> clusterDns) {
        ComponentContext ctx = node.cluster();
        var pki = ctx.pki();
        int kubeletPort = ctx.port(PortName.KUBELET);
        int healthzPort = ctx.port(PortName.KUBELET_HEALTHZ);
        Path kubeletConfig = KubeletConfig.builder()
                .clientCaFile(pki.caCert())
                .containerRuntimeEndpoint(node.socket())
                .serverTlsBootstrap(true)
                // without client rotation kubelet bootstraps its client certificate before anything else; with it, it starts
                // at once with no credentials, and its informers back off (up to 30 s) on the 401s until the certificate
                // comes. The certificate is valid for a year (the controller manager's signing duration).
                .rotateCertificates(false)
                .address(node.ip())
                .port(kubeletPort)
                .healthz(node.ip(), healthzPort)
                .clusterDomain(ctx.network().clusterDomain())
                .clusterDns(clusterDns)
                .maxPods(ctx.spec().node().maxPods())
                .cgroupRoot(cgroupRoot)
                .nodeLeaseDurationSeconds(NODE_LEASE_SECONDS)
                .volumePluginDir(node.dirs().volumePluginDir())
                .podLogsDir(node.dirs().podLogs())
                .build()
                .writeTo(node.dirs().configFile("kubelet.yaml"));
        FlagSet kubeletFlags = FlagSet.builder("kubelet")
                .set("config", kubeletConfig)
                .set("bootstrap-kubeconfig", bootstrapKubeconfig)
                .set("kubeconfig", node.dirs().kubeletKubeconfig())
                .set("root-dir", node.dirs().kubeletRoot())
                .set("cert-dir", node.dirs().kubeletCertDir())
                .set("hostname-override", node.name())
                .set("node-ip", node.ip().getHostAddress())
                .build();
        return node.process(Component.KUBELET, ctx.binary(ClusterBinary.KUBELET), kubeletFlags.toArgs())
                .dependsOn(node.processName(Component.CONTAINERD), Component.KUBE_APISERVER.processName())
                .readiness(Probe.http(URI.create("http://" + node.ip().getHostAddress() + ":" + healthzPort + "/healthz")))
                .build();
    }
}
