package io.polykube.api.internal.node;

import io.polykube.api.internal.ComponentContext;
import io.polykube.api.internal.Kubeconfigs;
import io.polykube.api.status.Component;
import io.polykube.api.status.PortName;
import io.polykube.config.flags.FlagSet;
import io.polykube.config.kubeconfig.Kubeconfig;
import io.polykube.config.kubeproxy.KubeProxyConfig;
import io.polykube.net.Cidr;
import io.polykube.runtime.binaries.ClusterBinary;
import io.polykube.runtime.probe.Probe;
import io.polykube.runtime.process.ProcessSpec;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;

/**
 * kube-proxy of one node (iptables mode, in the node's network namespace): its kubeconfig, configuration file and
 * process, started after the node's kubelet and ready when its healthz (on the node IP) answers. Node ports answer on
 * the node IP only; what comes in from outside the node's pod bridge ({@link CniBridge#BRIDGE}) to a Service is
 * masqueraded, so a reply from a pod on another node comes back through this node.
 */
final class KubeProxyProcess {
    private KubeProxyProcess() {
    }

    /** The first node's kube-proxy: its kubeconfig and configuration with the cluster's. */
    static ProcessSpec firstNode(NodeContext node) {
        ComponentContext ctx = node.cluster();
        var pki = ctx.pki();
        Path kubeconfig = new Kubeconfigs(ctx.layout(), ctx.spec().name(), node.apiServer(), pki.caCert())
                .writeComponent(Component.KUBE_PROXY, pki.kubeProxy());
        return process(node, kubeconfig, ctx.layout().configFile("kube-proxy.yaml"));
    }

    /** A worker's kube-proxy: its kubeconfig and configuration in the worker's directory. */
    static ProcessSpec worker(NodeContext node) {
        ComponentContext ctx = node.cluster();
        var pki = ctx.pki();
        Path kubeconfig = Kubeconfig.forClientCertificate(ctx.spec().name(), node.apiServer(), pki.caCert(),
                pki.kubeProxy().user(), pki.kubeProxy().cert(), pki.kubeProxy().key())
                .writeTo(node.dirs().configFile("kube-proxy.kubeconfig"));
        return process(node, kubeconfig, node.dirs().configFile("kube-proxy.yaml"));
    }

    private static ProcessSpec process(NodeContext node, Path kubeconfig, Path configFile) {
        ComponentContext ctx = node.cluster();
        int healthz = ctx.port(PortName.KUBE_PROXY_HEALTHZ);
        Path config = KubeProxyConfig.builder()
                .kubeconfig(kubeconfig)
                .mode(KubeProxyConfig.Mode.IPTABLES)
                .clusterCidr(ctx.network().clusterCidr())
                .localTrafficFromBridge(CniBridge.BRIDGE)
                .bindAddress(node.ip())
                .healthz(node.ip(), healthz)
                .metrics(InetAddress.getLoopbackAddress(), ctx.port(PortName.KUBE_PROXY_METRICS))
                .hostnameOverride(node.name())
                .nodePortAddress(Cidr.of("node IP", node.ip(), 32)) // node ports on the node's address only
                .build()
                .writeTo(configFile);
        return node.process(Component.KUBE_PROXY, ctx.binary(ClusterBinary.KUBE_PROXY),
                FlagSet.builder("kube-proxy").set("config", config).build().toArgs())
                .dependsOn(node.processName(Component.KUBELET))
                .readiness(Probe.http(URI.create("http://" + node.ip().getHostAddress() + ":" + healthz + "/healthz")))
                .build();
    }
}
