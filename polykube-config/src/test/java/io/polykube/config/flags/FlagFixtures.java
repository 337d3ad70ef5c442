package io.polykube.config.flags;

import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Flag sets that use every typed setter, shared by the golden test and the IT. */
final class FlagFixtures {
    static final Path PKI = Path.of("/srv/polykube/pki");
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private FlagFixtures() {
    }

    static FlagSet etcd() {
        return EtcdFlags.builder()
                .name("polykube")
                .dataDir(Path.of("/srv/polykube/etcd"))
                .listenClientUrls(List.of(URI.create("https://127.0.0.1:2379")))
                .advertiseClientUrls(List.of(URI.create("https://127.0.0.1:2379")))
                .listenPeerUrls(List.of(URI.create("https://127.0.0.1:2380")))
                .initialAdvertisePeerUrls(List.of(URI.create("https://127.0.0.1:2380")))
                .initialCluster("polykube=https://127.0.0.1:2380")
                .clientTls(PKI.resolve("etcd/server.crt"), PKI.resolve("etcd/server.key"), PKI.resolve("etcd/ca.crt"))
                .peerTls(PKI.resolve("etcd/peer.crt"), PKI.resolve("etcd/peer.key"), PKI.resolve("etcd/ca.crt"))
                .unsafeNoFsync(true)
                .logLevel("warn")
                .build();
    }

    static FlagSet kubeApiServer() {
        return KubeApiServerFlags.builder()
                .advertiseAddress(LOOPBACK).bindAddress(LOOPBACK).securePort(6443)
                .etcdServers(List.of(URI.create("https://127.0.0.1:2379")))
                .etcdTls(PKI.resolve("etcd/ca.crt"), PKI.resolve("apiserver-etcd-client.crt"), PKI.resolve("apiserver-etcd-client.key"))
                .clientCaFile(PKI.resolve("ca.crt"))
                .tls(PKI.resolve("apiserver.crt"), PKI.resolve("apiserver.key"))
                .serviceClusterIpRange("10.96.0.0/16")
                .serviceAccountIssuer(URI.create("https://kubernetes.default.svc.cluster.local"))
                .serviceAccountKeyFile(PKI.resolve("sa.pub"))
                .serviceAccountSigningKeyFile(PKI.resolve("sa.key"))
                .authorizationModes(List.of("Node", "RBAC"))
                .enableAdmissionPlugins(List.of("NodeRestriction"))
                .anonymousAuth(false)
                .allowPrivileged(true)
                .kubeletClient(PKI.resolve("apiserver-kubelet-client.crt"), PKI.resolve("apiserver-kubelet-client.key"), PKI.resolve("ca.crt"))
                .frontProxy(PKI.resolve("front-proxy-ca.crt"), PKI.resolve("front-proxy-client.crt"),
                        PKI.resolve("front-proxy-client.key"), List.of("front-proxy-client"))
                .serviceNodePortRange(30000, 32767)
                .profiling(false)
                .tlsCiphers(StrongTls.MIN_VERSION, StrongTls.CIPHER_SUITES)
                .encryptionProviderConfig(Path.of("/srv/polykube/config/encryption-config.yaml"))
                .auditPolicyFile(Path.of("/srv/polykube/config/audit-policy.yaml"))
                .auditLog(Path.of("/srv/polykube/logs/audit.log"), 100, 10, 30)
                .featureGates(Map.of("InPlacePodVerticalScaling", true))
                .extra("--event-ttl", "10m")
                .build();
    }

    static FlagSet kubeControllerManager() {
        return KubeControllerManagerFlags.builder()
                .kubeconfig(Path.of("/srv/polykube/kubeconfig/controller-manager.conf"))
                .bindAddress(LOOPBACK).securePort(10257).leaderElect(false)
                .clusterSigning(PKI.resolve("ca.crt"), PKI.resolve("ca.key"))
                .rootCaFile(PKI.resolve("ca.crt"))
                .serviceAccountPrivateKeyFile(PKI.resolve("sa.key"))
                .useServiceAccountCredentials(true)
                .allocateNodeCidrs("10.244.0.0/16")
                .serviceClusterIpRange("10.96.0.0/16")
                .controllers(List.of("*", "-bootstrapsigner", "-tokencleaner"))
                .clusterName("polykube")
                .profiling(false)
                .tlsCiphers(StrongTls.MIN_VERSION, StrongTls.CIPHER_SUITES)
                .verbosity(2)
                .build();
    }
}
