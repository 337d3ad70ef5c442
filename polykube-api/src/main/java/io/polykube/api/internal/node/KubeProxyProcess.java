package io.polykube.api.internal.node;

import io.polykube.api.internal.ComponentContext;
import io.polykube.api.internal.Kubeconfigs;
import io.polykube.api.status.Component;
import io.polykube.api.status.PortName;
import io.polykube.config.flags.FlagSet;
import io.polykube.config.kubeconfig.Kubeconfig;
import io.polykube.config.kubeproxy.KubeProxyConfig;
import io.polykube.runtime.binaries.ClusterBinary;
import io.polykube.runtime.probe.Probe;
import io.polykube.runtime.process.ProcessSpec;
import io.polykube.net.Cidr;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;

/**
 * kube-proxy of one node (iptables mode): its kubeconfig, configuration file and process, started after the node's
 * kubelet and ready when its healthz answers.
 */
final class KubeProxyProcess {
    private KubeProxyProcess() {
    }

    /** The first node's kube-proxy: the API server on 127.0.0.1, healthz and metrics on 127.0.0.1. */
    static ProcessSpec firstNode(NodeContext node) {
        ComponentContext ctx = node.cluster();
        var pki = ctx.pki();
        Path kubeconfig = new Kubeconfigs(ctx.layout(), ctx.spec().name(), ctx.apiServerUrl(), pki.caCert())
                .writeComponent(Component.KUBE_PROXY, pki.kubeProxy());
        Path config = KubeProxyConfig.builder()
                .kubeconfig(kubeconfig)
                .mode(KubeProxyConfig.Mode.IPTABLES)
                .clusterCidr(ctx.network().clusterCidr())
                .bindAddress(node.ip())
                .healthz(InetAddress.getLoopbackAddress(), ctx.port(PortName.KUBE_PROXY_HEALTHZ))
                .metrics(InetAddress.getLoopbackAddress(), ctx.port(PortName.KUBE_PROXY_METRICS))
                .hostnameOverride(ctx.spec().node().name())
                .nodePortAddress(Cidr.of("node IP", node.ip(), 32)) // node ports on the node's address only
                .build()
                .writeTo(ctx.layout().configFile("kube-proxy.yaml"));
        FlagSet flags = FlagSet.builder("kube-proxy").set("config", config).build();
        return node.process(Component.KUBE_PROXY, ctx.binary(ClusterBinary.KUBE_PROXY), flags.toArgs())
                .dependsOn(node.processName(Component.KUBELET))
                .readiness(Probe.http(URI.create("http://127.0.0.1:" + ctx.port(PortName.KUBE_PROXY_HEALTHZ) + "/healthz")))
                .build();
    }

    /** A worker's kube-proxy: the API server at {@code apiServer} (its bridge address), healthz on the worker's node IP. */
    static ProcessSpec worker(NodeContext node, URI apiServer) {
        ComponentContext ctx = node.cluster();
        var pki = ctx.pki();
        int proxyHealthz = ctx.port(PortName.KUBE_PROXY_HEALTHZ);
        Path proxyKubeconfig = Kubeconfig.forClientCertificate(ctx.spec().name(), apiServer, pki.caCert(),
                pki.kubeProxy().user(), pki.kubeProxy().cert(), pki.kubeProxy().key())
                .writeTo(node.dirs().configFile("kube-proxy.kubeconfig"));
        Path proxyConfig = KubeProxyConfig.builder()
                .kubeconfig(proxyKubeconfig)
                .mode(KubeProxyConfig.Mode.IPTABLES)
                .clusterCidr(ctx.network().clusterCidr())
                .bindAddress(node.ip())
                .healthz(node.ip(), proxyHealthz)
                .metrics(InetAddress.getLoopbackAddress(), ctx.port(PortName.KUBE_PROXY_METRICS))
                .hostnameOverride(node.name())
                .nodePortAddress(Cidr.of("node IP", node.ip(), 32))
                .build()
                .writeTo(node.dirs().configFile("kube-proxy.yaml"));
        return node.process(Component.KUBE_PROXY, ctx.binary(ClusterBinary.KUBE_PROXY),
                FlagSet.builder("kube-proxy").set("config", proxyConfig).build().toArgs())
                .dependsOn(node.processName(Component.KUBELET))
                .readiness(Probe.http(URI.create("http://" + node.ip().getHostAddress() + ":" + proxyHealthz + "/healthz")))
                .build();
    }
}
