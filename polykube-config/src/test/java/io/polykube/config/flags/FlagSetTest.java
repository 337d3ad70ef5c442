package io.polykube.config.flags;

import io.polykube.config.ConfigException;
import io.polykube.config.Golden;
import io.polykube.net.Cidr;
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
        Golden.assertMatches("flags-etcd.txt", String.join("\n", FlagFixtures.etcd().toArgs()) + "\n");
        Golden.assertMatches("flags-kube-apiserver.txt", String.join("\n", FlagFixtures.kubeApiServer().toArgs()) + "\n");
        Golden.assertMatches("flags-kube-controller-manager.txt",
                String.join("\n", FlagFixtures.kubeControllerManager().toArgs()) + "\n");
    }

    @Test
    void takesNetworksTypedWithTheSameFlags() {
        Cidr services = Cidr.parse("x", "10.96.0.0/16");
        Cidr pods = Cidr.parse("x", "10.244.0.0/16");
        assertThat(KubeApiServerFlags.builder().serviceClusterIpRange(services).build().toArgs())
                .isEqualTo(KubeApiServerFlags.builder().serviceClusterIpRange("10.96.0.0/16").build().toArgs());
        assertThat(KubeControllerManagerFlags.builder().serviceClusterIpRange(services).allocateNodeCidrs(pods).build().toArgs())
                .isEqualTo(KubeControllerManagerFlags.builder().serviceClusterIpRange("10.96.0.0/16").allocateNodeCidrs("10.244.0.0/16")
                        .build().toArgs());
        assertThatThrownBy(() -> KubeApiServerFlags.builder().serviceClusterIpRange((Cidr) null))
                .hasMessage("kube-apiserver --service-cluster-ip-range: is required");
    }
}
