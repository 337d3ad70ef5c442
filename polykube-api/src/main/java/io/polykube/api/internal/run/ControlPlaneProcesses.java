package io.polykube.api.internal.run;

import io.polykube.api.error.PolykubeException;
import io.polykube.api.internal.ComponentContext;
import io.polykube.api.spec.AuditOptions;
import io.polykube.api.spec.EncryptionOptions;
import io.polykube.api.spec.FlagOptions;
import io.polykube.api.status.Component;
import io.polykube.api.status.PortName;
import io.polykube.config.encryption.EncryptionConfig;
import io.polykube.config.flags.ComponentFlags;
import io.polykube.config.flags.EtcdFlags;
import io.polykube.config.flags.FlagSet;
import io.polykube.config.flags.KubeApiServerFlags;
import io.polykube.config.flags.KubeControllerManagerFlags;
import io.polykube.config.flags.StrongTls;
import io.polykube.config.scheduler.SchedulerConfig;
import io.polykube.pki.ClientCredentials;
import io.polykube.pki.ClusterPki;
import io.polykube.pki.EncryptionKey;
import io.polykube.runtime.binaries.ClusterBinary;
import io.polykube.runtime.probe.Probe;
import io.polykube.runtime.probe.TlsTrust;
import io.polykube.runtime.process.ProcessSpec;
import io.polykube.runtime.process.RestartPolicy;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** Describes the control plane's processes: etcd, kube-apiserver, kube-controller-manager and kube-scheduler. */
final class ControlPlaneProcesses {
    /** A component that dies after it was ready is restarted up to this many times. */
    static final RestartPolicy RESTART = RestartPolicy.onFailure(10, Duration.ofMillis(200), Duration.ofSeconds(5));
    static final Duration STOP_GRACE = Duration.ofSeconds(10);
    /** Local, cheap probes (a kept-alive HTTPS connection): every 50 ms, so a ready component waits 25 ms on average. */
    static final Duration PROBE_INTERVAL = Duration.ofMillis(50);

    /** CIS 1.2.17: audit logs are kept 30 days. */
    static final int AUDIT_MAX_AGE_DAYS = 30;

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    /** The API server's post-start hooks that sleep a second before their first try (both reconcile bootstrap objects). */
    static final List<String> SLOW_HOOKS = List.of("poststarthook/rbac/bootstrap-roles",
            "poststarthook/scheduling/bootstrap-system-priority-classes");

    /** With several nodes: how long a node may be silent before it is NotReady, and how long its pods stay after that. */
    static final Duration NODE_MONITOR_GRACE = Duration.ofSeconds(16);
    static final Duration EVICTION_TOLERATION = Duration.ofSeconds(10);

    private final ComponentContext ctx;

    ControlPlaneProcesses(ComponentContext ctx) {
        this.ctx = ctx;
    }

    private boolean multiNode() {
        return ctx.spec().mode() == io.polykube.api.spec.Mode.FULL && ctx.spec().node().count() > 1;
    }

    public List<ProcessSpec> all() {
        return List.of(etcd(), apiServer(), controllerManager(), scheduler());
    }

    ProcessSpec etcd() {
        ClusterPki pki = ctx.pki();
        String member = ctx.spec().node().name();
        URI peerUrl = URI.create("https://127.0.0.1:" + ctx.port(PortName.ETCD_PEER));
        Path data = ctx.spec().etcd().dataDirectory().orElse(ctx.layout().etcdData());
        EtcdFlags flags = EtcdFlags.builder()
                .name(member)
                .dataDir(data)
                .listenClientUrls(List.of(ctx.etcdUrl()))
                .advertiseClientUrls(List.of(ctx.etcdUrl()))
                .listenPeerUrls(List.of(peerUrl))
                .initialAdvertisePeerUrls(List.of(peerUrl))
                .initialCluster(member + "=" + peerUrl)
                .extra("initial-cluster-state", "new")
                .clientTls(pki.etcdServerCert(), pki.etcdServerKey(), pki.etcdCaCert())
                .peerTls(pki.etcdPeerCert(), pki.etcdPeerKey(), pki.etcdCaCert())
                .extra("snapshot-count", "10000")
                // One member, no peers: restarted on existing data (a reset, a second start) it elects itself after one
                // election timeout, 1 s by default.
                .extra("heartbeat-interval", "10")
                .extra("election-timeout", "100")
                .logLevel("warn");
        if (ctx.spec().etcd().unsafeNoFsync()) {
            flags.unsafeNoFsync(true);
        }
        addUserFlags(flags, ctx.spec().etcd().flags());
        TlsTrust trust = TlsTrust.ca(pki.etcdCaCert())
                .withClientCertificate(pki.etcdHealthcheckClientCert(), pki.etcdHealthcheckClientKey());
        return process(Component.ETCD, ClusterBinary.ETCD, flags.build())
                .readiness(Probe.https(URI.create(ctx.etcdUrl() + "/health"), trust, body -> body.contains("\"health\":\"true\""),
                        "{\"health\":\"true\"}"))
                .build();
    }

    ProcessSpec apiServer() {
        ClusterPki pki = ctx.pki();
        var options = ctx.spec().apiServer();
        URI issuer = URI.create("https://kubernetes.default.svc." + ctx.network().clusterDomain());
        KubeApiServerFlags flags = KubeApiServerFlags.builder()
                .bindAddress(ctx.apiServerBindAddress())
                .advertiseAddress(ctx.apiServerBindAddress())
                .securePort(ctx.port(PortName.API_SERVER))
                .extra("cert-dir", ctx.layout().apiServerCertDir().toString())
                .etcdServers(List.of(ctx.etcdUrl()))
                .etcdTls(pki.etcdCaCert(), pki.apiServerEtcdClientCert(), pki.apiServerEtcdClientKey())
                .clientCaFile(pki.caCert())
                .tls(pki.apiServerCert(), pki.apiServerKey())
                .kubeletClient(pki.apiServerKubeletClientCert(), pki.apiServerKubeletClientKey(), pki.caCert())
                .extra("kubelet-preferred-address-types", "InternalIP,Hostname")
                .serviceAccountIssuer(issuer)
                .serviceAccountKeyFile(pki.serviceAccountPublicKey())
                .serviceAccountSigningKeyFile(pki.serviceAccountKey())
                .serviceClusterIpRange(ctx.network().serviceCidr())
                .authorizationModes(List.of("Node", "RBAC"))
                .anonymousAuth(false)
                .enableAdmissionPlugins(admissionPlugins(options.extraAdmissionPlugins()))
                .allowPrivileged(true)
                .frontProxy(pki.frontProxyCaCert(), pki.frontProxyClientCert(), pki.frontProxyClientKey(), List.of("front-proxy-client"))
                .profiling(false)
                .tlsCiphers(StrongTls.MIN_VERSION, StrongTls.CIPHER_SUITES)
                // Ends open watches at stop (pods' clients, such as CoreDNS, outlive the apiserver): without it, its HTTP/2
                // shutdown waits for them until it is killed.
                .extra("shutdown-watch-termination-grace-period", "2s");
        if (ctx.apiServerBindAddress().isLoopbackAddress()) {
            // Loopback may not be an Endpoints address, and without a node no pod could use it: nothing to reconcile.
            flags.extra("endpoint-reconciler-type", "none");
        }
        if (!options.flags().extraFlags().containsKey("watch-cache")) {
            // A test cluster holds few objects: lists and watches straight from etcd, no cache to fill at start.
            flags.extra("watch-cache", "false");
        }
        if (multiNode()) {
            // workers join with a bootstrap token; their pods move off a failed worker 10 s after it is seen NotReady
            flags.extra("enable-bootstrap-token-auth", "true");
            flags.extra("default-not-ready-toleration-seconds", Long.toString(EVICTION_TOLERATION.toSeconds()));
            flags.extra("default-unreachable-toleration-seconds", Long.toString(EVICTION_TOLERATION.toSeconds()));
        }
        encryption(options.encryption()).ifPresent(flags::encryptionProviderConfig);
        AuditOptions audit = options.audit();
        if (audit.enabled()) {
            Path policy = audit.policyFile().orElseGet(() -> audit.policy().writeTo(ctx.layout().configFile("audit-policy.yaml")));
            flags.auditPolicyFile(policy).auditLog(ctx.layout().auditLog(), audit.maxSizeMb(), audit.maxBackups(), AUDIT_MAX_AGE_DAYS);
        }
        addUserFlags(flags, options.flags());
        ClientCredentials admin = pki.admin();
        TlsTrust trust = TlsTrust.ca(pki.caCert()).withClientCertificate(admin.cert(), admin.key());
        return process(Component.KUBE_APISERVER, ClusterBinary.KUBE_APISERVER, flags.build())
                .dependsOn(Component.ETCD.processName())
                .readiness(apiServerReady(trust))
                .build();
    }

    /**
     * {@code /readyz}; on etcd data of an earlier start, without the two post-start hooks that wait a full second before
     * their first try and then confirm what that data already holds (RBAC's default roles and bindings, the system
     * priority classes). The controller manager and the scheduler start meanwhile; {@code start()} still waits for the
     * whole {@code /readyz} before it returns.
     */
    private Probe apiServerReady(TlsTrust trust) {
        String query = etcdHoldsData() ? SLOW_HOOKS.stream().map(h -> "exclude=" + h).collect(Collectors.joining("&", "?", "")) : "";
        return Probe.https(URI.create(ctx.apiServerUrl() + "/readyz" + query), trust, "ok"::equals, "ok");
    }

    /** etcd starts on the data of an earlier start. */
    boolean etcdHoldsData() {
        Path data = ctx.spec().etcd().dataDirectory().orElse(ctx.layout().etcdData());
        return Files.isDirectory(data.resolve("member"));
    }

    /**
     * Loads or makes the encryption key and writes the {@code EncryptionConfiguration}; a missing or changed key while etcd
     * holds data encrypted with the old one fails here, before any process starts.
     */
    private Optional<Path> encryption(EncryptionOptions options) {
        Path data = ctx.spec().etcd().dataDirectory().orElse(ctx.layout().etcdData());
        boolean dataExists = Files.isDirectory(data.resolve("member"));
        Path fingerprint = ctx.layout().encryptionKeyFingerprint();
        if (!options.enabled()) {
            if (dataExists && Files.exists(fingerprint)) {
                throw new PolykubeException("cluster '" + ctx.spec().name() + "': etcd in " + data + " holds data encrypted with "
                        + "the key " + ctx.layout().encryptionKey() + ", but encryption at rest is turned off: keep "
                        + "apiServer(a -> a.encryptionAtRest(true)) for this directory, or delete it to start afresh");
            }
            return Optional.empty();
        }
        EncryptionKey key = EncryptionKey.loadOrCreate(ctx.layout().encryptionKey(), fingerprint, dataExists);
        EncryptionConfig.Builder config = EncryptionConfig.builder().key("polykube-1", key.base64());
        options.resources().forEach(config::resource);
        return Optional.of(config.build().writeTo(ctx.layout().configFile("encryption-config.yaml")));
    }

    ProcessSpec controllerManager() {
        ClusterPki pki = ctx.pki();
        Path kubeconfig = ctx.layout().kubeconfig(Component.KUBE_CONTROLLER_MANAGER);
        var network = ctx.network();
        KubeControllerManagerFlags flags = KubeControllerManagerFlags.builder()
                .kubeconfig(kubeconfig)
                .bindAddress(LOOPBACK)
                .securePort(ctx.port(PortName.CONTROLLER_MANAGER))
                .tls(ctx.serving().controllerManagerCert(), ctx.serving().controllerManagerKey())
                .extra("client-ca-file", pki.caCert().toString())
                .extra("requestheader-client-ca-file", pki.frontProxyCaCert().toString())
                .rootCaFile(pki.caCert())
                .clusterSigning(pki.caCert(), pki.caKey())
                .serviceAccountPrivateKeyFile(pki.serviceAccountKey())
                .useServiceAccountCredentials(true)
                .serviceClusterIpRange(network.serviceCidr())
                .allocateNodeCidrs(network.clusterCidr())
                .extra("node-cidr-mask-size", Integer.toString(network.podCidr().prefixLength()))
                .controllers(List.of("*", "bootstrapsigner", "tokencleaner"))
                .leaderElect(false)
                // It starts its controllers one by one, each asking the API for its service account and token: at the default
                // 20 requests/s (burst 30) that took 2.6 s after launch, at 200 1.4 s (median of 4 starts each, 2 loaded cores).
                .extra("kube-api-qps", "200")
                .extra("kube-api-burst", "400")
                .profiling(false)
                .tlsCiphers(StrongTls.MIN_VERSION, StrongTls.CIPHER_SUITES);
        if (multiNode()) {
            // kubelets renew their lease every 2.5 s (FullNode): a node silent for 16 s is NotReady
            flags.extra("node-monitor-grace-period", NODE_MONITOR_GRACE.toSeconds() + "s");
            flags.extra("node-monitor-period", "2s");
        }
        addUserFlags(flags, ctx.spec().controllerManager().flags());
        return process(Component.KUBE_CONTROLLER_MANAGER, ClusterBinary.KUBE_CONTROLLER_MANAGER, flags.build())
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
                .set("requestheader-client-ca-file", ctx.pki().frontProxyCaCert())
                .set("tls-min-version", StrongTls.MIN_VERSION)
                .set("tls-cipher-suites", StrongTls.CIPHER_SUITES);
        addUserFlags(flags, ctx.spec().scheduler().flags());
        return process(Component.KUBE_SCHEDULER, ClusterBinary.KUBE_SCHEDULER, flags.build())
                .dependsOn(Component.KUBE_APISERVER.processName())
                .readiness(healthz(PortName.SCHEDULER))
                .build();
    }

    private Probe healthz(PortName port) {
        ClientCredentials admin = ctx.pki().admin();
        TlsTrust trust = TlsTrust.ca(ctx.pki().caCert()).withClientCertificate(admin.cert(), admin.key());
        return Probe.https(URI.create("https://127.0.0.1:" + ctx.port(port) + "/healthz"), trust, "ok"::equals, "ok");
    }

    private ProcessSpec.Builder process(Component component, ClusterBinary binary, FlagSet flags) {
        return ProcessSpec.builder(component.processName())
                .executable(ctx.binary(binary))
                .arguments(flags.toArgs())
                .logFile(ctx.layout().log(component))
                .readinessTimeout(ctx.spec().startTimeout())
                .probeInterval(PROBE_INTERVAL)
                .restartPolicy(RESTART)
                .stopGracePeriod(STOP_GRACE);
    }

    private static List<String> admissionPlugins(List<String> extra) {
        List<String> out = new ArrayList<>(List.of("NodeRestriction"));
        extra.stream().filter(p -> !out.contains(p)).forEach(out::add);
        return out;
    }

    static void addUserFlags(ComponentFlags<?> flags, FlagOptions options) {
        options.extraFlags().forEach(flags::extra);
        if (!options.featureGates().isEmpty()) {
            flags.featureGates(options.featureGates());
        }
    }

    static void addUserFlags(FlagSet.Builder flags, FlagOptions options) {
        options.extraFlags().forEach(flags::extra);
        if (!options.featureGates().isEmpty()) {
            flags.set("feature-gates", options.featureGates());
        }
    }
}
