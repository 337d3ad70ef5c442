package io.polykube.config.flags;

import io.polykube.config.ConfigException;
import io.polykube.config.Golden;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FlagSetTest {
    static final Path PKI = Path.of("/srv/polykube/pki");
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @Test
    void rendersInOrderAsNameEqualsValue() {
        FlagSet flags = FlagSet.builder("x").set("b", true).set("a", 3).set("d", Duration.ofMillis(90_500))
                .set("l", List.of("x", "y")).set("m", Map.of("Z", true, "A", false)).extra("--e", "v").build();
        assertThat(flags.toArgs()).containsExactly("--b=true", "--a=3", "--d=1m30s500ms", "--l=x,y", "--m=A=false,Z=true", "--e=v");
        assertThat(flags.get("e")).contains("v");
        assertThat(FlagSet.builder("x").set("d", Duration.ZERO).set("h", Duration.ofHours(26)).build().toArgs())
                .containsExactly("--d=0s", "--h=26h");
    }

    @Test
    void aFlagSetTwiceIsAnErrorNamingIt() {
        assertThatThrownBy(() -> KubeApiServerFlags.builder().securePort(6443).extra("--secure-port", "6444"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("kube-apiserver --secure-port: is set twice: first '6443', then '6444'; set each flag once");
        assertThatThrownBy(() -> FlagSet.builder("etcd").extraArgs(List.of("--name=a", "--name=b")))
                .hasMessageStartingWith("etcd --name: is set twice");
        assertThat(((ConfigException) org.assertj.core.api.Assertions.catchThrowable(
                () -> EtcdFlags.builder().name("a").name("b"))).field()).isEqualTo("etcd --name");
    }

    @Test
    void badValuesNameTheFlag() {
        assertThatThrownBy(() -> KubeApiServerFlags.builder().securePort(0))
                .hasMessage("kube-apiserver --secure-port: port 0 is out of range 1..65535");
        assertThatThrownBy(() -> KubeApiServerFlags.builder().clientCaFile(Path.of("ca.crt")))
                .hasMessageStartingWith("kube-apiserver --client-ca-file: must be an absolute path");
        assertThatThrownBy(() -> KubeApiServerFlags.builder().serviceClusterIpRange("10.96.0.0"))
                .hasMessageStartingWith("kube-apiserver --service-cluster-ip-range: ");
        assertThatThrownBy(() -> FlagSet.builder("x").extra("Bad_Name", "1")).hasMessageContaining("not a flag name");
        assertThatThrownBy(() -> FlagSet.builder("x").extraArgs(List.of("--novalue")))
                .hasMessageContaining("--name=value");
        assertThatThrownBy(() -> KubeApiServerFlags.builder().serviceNodePortRange(30010, 30000))
                .hasMessageStartingWith("kube-apiserver --service-node-port-range: ");
    }

    @Test
    void typedComponentFlagsMatchTheGoldenFiles() {
        List<String> etcd = EtcdFlags.builder()
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
                .toArgs();
        Golden.assertMatches("flags-etcd.txt", String.join("\n", etcd) + "\n");

        List<String> apiserver = KubeApiServerFlags.builder()
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
                .featureGates(Map.of("InPlacePodVerticalScaling", true))
                .extra("--event-ttl", "10m")
                .toArgs();
        Golden.assertMatches("flags-kube-apiserver.txt", String.join("\n", apiserver) + "\n");

        List<String> kcm = KubeControllerManagerFlags.builder()
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
                .verbosity(2)
                .toArgs();
        Golden.assertMatches("flags-kube-controller-manager.txt", String.join("\n", kcm) + "\n");
    }
}
