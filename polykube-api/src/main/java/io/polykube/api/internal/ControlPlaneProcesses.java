package io.polykube.api.internal;

import io.polykube.api.Component;
import io.polykube.api.spec.FlagOptions;
import io.polykube.config.flags.FlagSet;
import io.polykube.config.scheduler.SchedulerConfig;
import io.polykube.pki.ClientCredentials;
import io.polykube.pki.ClusterPki;
import io.polykube.runtime.binaries.Binary;
import io.polykube.runtime.probe.Probe;
import io.polykube.runtime.probe.TlsTrust;
import io.polykube.runtime.process.ProcessSpec;
import io.polykube.runtime.process.RestartPolicy;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Describes the control plane's processes: etcd, kube-apiserver, kube-controller-manager and kube-scheduler. */
public final class ControlPlaneProcesses {
    /** A component that dies after it was ready is restarted up to this many times. */
    static final RestartPolicy RESTART = RestartPolicy.onFailure(10, Duration.ofMillis(200), Duration.ofSeconds(5));
    static final Duration STOP_GRACE = Duration.ofSeconds(10);

    private final ComponentContext ctx;

    public ControlPlaneProcesses(ComponentContext ctx) {
        this.ctx = ctx;
    }

    public List<ProcessSpec> all() {
        return List.of(etcd(), apiServer(), controllerManager(), scheduler());
    }

    ProcessSpec etcd() {
        ClusterPki pki = ctx.pki();
        String member = ctx.spec().node().name();
        String peerUrl = "https://127.0.0.1:" + ctx.port(PortName.ETCD_PEER);
        Path data = ctx.spec().etcd().dataDirectory().orElse(ctx.layout().etcdData());
        FlagSet.Builder flags = FlagSet.builder("etcd")
                .set("name", member)
                .set("data-dir", data)
                .set("listen-client-urls", ctx.etcdUrl())
                .set("advertise-client-urls", ctx.etcdUrl())
                .set("listen-peer-urls", peerUrl)
                .set("initial-advertise-peer-urls", peerUrl)
                .set("initial-cluster", member + "=" + peerUrl)
                .set("initial-cluster-state", "new")
                .set("client-cert-auth", true)
                .set("trusted-ca-file", pki.etcdCaCert())
                .set("cert-file", pki.etcdServerCert())
                .set("key-file", pki.etcdServerKey())
                .set("peer-client-cert-auth", true)
                .set("peer-trusted-ca-file", pki.etcdCaCert())
                .set("peer-cert-file", pki.etcdPeerCert())
                .set("peer-key-file", pki.etcdPeerKey())
                .set("snapshot-count", 10000)
                .set("log-level", "warn");
        if (ctx.spec().etcd().unsafeNoFsync()) {
            flags.set("unsafe-no-fsync", true);
        }
        addUserFlags(flags, ctx.spec().etcd().flags());
        TlsTrust trust = TlsTrust.ca(pki.etcdCaCert())
                .withClientCertificate(pki.etcdHealthcheckClientCert(), pki.etcdHealthcheckClientKey());
        return process(Component.ETCD, Binary.ETCD, flags.build())
                .readiness(Probe.https(URI.create(ctx.etcdUrl() + "/health"), trust, body -> body.contains("\"health\":\"true\""),
                        "{\"health\":\"true\"}"))
                .build();
    }

    ProcessSpec apiServer() {
        ClusterPki pki = ctx.pki();
        var options = ctx.spec().apiServer();
        String issuer = "https://kubernetes.default.svc." + pki.spec().clusterDomain();
        FlagSet.Builder flags = FlagSet.builder("kube-apiserver")
                .set("bind-address", "127.0.0.1")
                .set("advertise-address", "127.0.0.1")
                .port("secure-port", ctx.port(PortName.API_SERVER))
                .set("cert-dir", ctx.layout().run().resolve("kube-apiserver"))
                .set("etcd-servers", ctx.etcdUrl())
                .set("etcd-cafile", pki.etcdCaCert())
                .set("etcd-certfile", pki.apiServerEtcdClientCert())
                .set("etcd-keyfile", pki.apiServerEtcdClientKey())
                .set("client-ca-file", pki.caCert())
                .set("tls-cert-file", pki.apiServerCert())
                .set("tls-private-key-file", pki.apiServerKey())
                .set("kubelet-client-certificate", pki.apiServerKubeletClientCert())
                .set("kubelet-client-key", pki.apiServerKubeletClientKey())
                .set("kubelet-certificate-authority", pki.caCert())
                .set("kubelet-preferred-address-types", "InternalIP,Hostname")
                .set("service-account-issuer", issuer)
                .set("service-account-key-file", pki.serviceAccountPublicKey())
                .set("service-account-signing-key-file", pki.serviceAccountKey())
                .set("service-cluster-ip-range", options.serviceCidr().toString())
                .set("authorization-mode", "Node,RBAC")
                .set("anonymous-auth", false)
                .set("enable-admission-plugins", admissionPlugins(options.extraAdmissionPlugins()))
                .set("allow-privileged", true)
                .set("requestheader-client-ca-file", pki.frontProxyCaCert())
                .set("requestheader-allowed-names", "front-proxy-client")
                .set("requestheader-extra-headers-prefix", "X-Remote-Extra-")
                .set("requestheader-group-headers", "X-Remote-Group")
                .set("requestheader-username-headers", "X-Remote-User")
                .set("proxy-client-cert-file", pki.frontProxyClientCert())
                .set("proxy-client-key-file", pki.frontProxyClientKey())
                // Loopback may not be an Endpoints address: without a node there is nothing to reconcile.
                .set("endpoint-reconciler-type", "none");
        addUserFlags(flags, options.flags());
        ClientCredentials admin = pki.admin();
        TlsTrust trust = TlsTrust.ca(pki.caCert()).withClientCertificate(admin.cert(), admin.key());
        return process(Component.KUBE_APISERVER, Binary.KUBE_APISERVER, flags.build())
                .dependsOn(Component.ETCD.processName())
                .readiness(Probe.https(URI.create(ctx.apiServerUrl() + "/readyz"), trust, "ok"::equals, "ok"))
                .build();
    }

    ProcessSpec controllerManager() {
        ClusterPki pki = ctx.pki();
        Path kubeconfig = ctx.layout().kubeconfig(Component.KUBE_CONTROLLER_MANAGER);
        var node = ctx.spec().node();
        FlagSet.Builder flags = FlagSet.builder("kube-controller-manager")
                .set("kubeconfig", kubeconfig)
                .set("authentication-kubeconfig", kubeconfig)
                .set("authorization-kubeconfig", kubeconfig)
                .set("bind-address", "127.0.0.1")
                .port("secure-port", ctx.port(PortName.CONTROLLER_MANAGER))
                .set("tls-cert-file", ctx.serving().controllerManagerCert())
                .set("tls-private-key-file", ctx.serving().controllerManagerKey())
                .set("client-ca-file", pki.caCert())
                .set("requestheader-client-ca-file", pki.frontProxyCaCert())
                .set("root-ca-file", pki.caCert())
                .set("cluster-signing-cert-file", pki.caCert())
                .set("cluster-signing-key-file", pki.caKey())
                .set("service-account-private-key-file", pki.serviceAccountKey())
                .set("use-service-account-credentials", true)
                .set("service-cluster-ip-range", ctx.spec().apiServer().serviceCidr().toString())
                .set("cluster-cidr", node.clusterCidr().toString())
                .set("allocate-node-cidrs", true)
                .set("node-cidr-mask-size", node.podCidr().prefixLength())
                .set("controllers", "*,bootstrapsigner,tokencleaner")
                .set("leader-elect", false);
        addUserFlags(flags, ctx.spec().controllerManager().flags());
        return process(Component.KUBE_CONTROLLER_MANAGER, Binary.KUBE_CONTROLLER_MANAGER, flags.build())
                .dependsOn(Component.KUBE_APISERVER.processName())
                .readiness(healthz(PortName.CONTROLLER_MANAGER))
                .build();
    }

    ProcessSpec scheduler() {
        Path kubeconfig = ctx.layout().kubeconfig(Component.KUBE_SCHEDULER);
        Path config = SchedulerConfig.builder().kubeconfig(kubeconfig).leaderElect(false).build()
                .writeTo(ctx.layout().configFile("kube-scheduler.yaml"));
        FlagSet.Builder flags = FlagSet.builder("kube-scheduler")
                .set("config", config)
                .set("authentication-kubeconfig", kubeconfig)
                .set("authorization-kubeconfig", kubeconfig)
                .set("bind-address", "127.0.0.1")
                .port("secure-port", ctx.port(PortName.SCHEDULER))
                .set("tls-cert-file", ctx.serving().schedulerCert())
                .set("tls-private-key-file", ctx.serving().schedulerKey())
                .set("client-ca-file", ctx.pki().caCert())
                .set("requestheader-client-ca-file", ctx.pki().frontProxyCaCert());
        addUserFlags(flags, ctx.spec().scheduler().flags());
        return process(Component.KUBE_SCHEDULER, Binary.KUBE_SCHEDULER, flags.build())
                .dependsOn(Component.KUBE_APISERVER.processName())
                .readiness(healthz(PortName.SCHEDULER))
                .build();
    }

    private Probe healthz(PortName port) {
        ClientCredentials admin = ctx.pki().admin();
        TlsTrust trust = TlsTrust.ca(ctx.pki().caCert()).withClientCertificate(admin.cert(), admin.key());
        return Probe.https(URI.create("https://127.0.0.1:" + ctx.port(port) + "/healthz"), trust, "ok"::equals, "ok");
    }

    private ProcessSpec.Builder process(Component component, Binary binary, FlagSet flags) {
        return ProcessSpec.builder(component.processName())
                .executable(ctx.binary(binary))
                .arguments(flags.toArgs())
                .logFile(ctx.layout().log(component))
                .readinessTimeout(ctx.spec().startTimeout())
                .restartPolicy(RESTART)
                .stopGracePeriod(STOP_GRACE);
    }

    private static String admissionPlugins(List<String> extra) {
        StringBuilder out = new StringBuilder("NodeRestriction");
        extra.stream().filter(p -> !"NodeRestriction".equals(p)).forEach(p -> out.append(',').append(p));
        return out.toString();
    }

    static void addUserFlags(FlagSet.Builder flags, FlagOptions options) {
        options.extraFlags().forEach(flags::extra);
        if (!options.featureGates().isEmpty()) {
            flags.set("feature-gates", options.featureGatesFlagValue());
        }
    }
}
