package io.polykube.config.kubeproxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.polykube.config.ConfigException;
import io.polykube.config.Golden;
import io.polykube.net.Cidr;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KubeProxyConfigTest {
    static KubeProxyConfig.Builder base() {
        return KubeProxyConfig.builder().kubeconfig(Path.of("/srv/polykube/kubeconfig/kube-proxy.conf"));
    }

    @Test
    void rendersLikeTheGoldenFiles() {
        Golden.assertMatches("kube-proxy-config.yaml",
                base().clusterCidr("10.244.0.0/16").hostnameOverride("node-1").build().render());
        Golden.assertMatches("kube-proxy-config-nftables.yaml",
                base().mode(KubeProxyConfig.Mode.NFTABLES).healthz(InetAddress.getLoopbackAddress(), 20256)
                        .metrics(InetAddress.getLoopbackAddress(), 20249).build().render());
    }

    @Test
    void readsBackThroughJacksonWithEqualValues() throws Exception {
        KubeProxyConfig c = base().clusterCidr("10.244.0.0/16").clusterCidr("fd00:10:244::/56").build();
        JsonNode root = new YAMLMapper().readTree(c.render());
        assertThat(root.get("kind").asText()).isEqualTo("KubeProxyConfiguration");
        assertThat(root.at("/clientConnection/kubeconfig").asText()).isEqualTo(c.kubeconfig().toString());
        assertThat(root.get("mode").asText()).isEqualTo("iptables");
        assertThat(root.get("clusterCIDR").asText()).startsWith("10.244.0.0/16,fd00:10:244:0:");
        assertThat(root.get("healthzBindAddress").asText()).isEqualTo("127.0.0.1:10256");
        assertThat(root.get("metricsBindAddress").asText()).isEqualTo("127.0.0.1:10249");
        assertThat(root.at("/conntrack/maxPerCore").asInt(-1)).isZero();
        assertThat(root.at("/conntrack/tcpEstablishedTimeout").asText()).isEqualTo("0s");
        assertThat(root.at("/iptables/localhostNodePorts").asBoolean(true)).isFalse();
    }

    @Test
    void badInputNamesTheField() {
        assertThatThrownBy(() -> KubeProxyConfig.builder().kubeconfig(Path.of("kube-proxy.conf")).build())
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("kubeProxy.clientConnection.kubeconfig: must be an absolute path");
        assertThatThrownBy(() -> base().clusterCidr("10.244.0.0/33").build())
                .hasMessageStartingWith("kubeProxy.clusterCIDR[0]: ");
        assertThatThrownBy(() -> base().healthz(InetAddress.getLoopbackAddress(), 65536).build())
                .hasMessage("kubeProxy.healthzBindAddress.port: port 65536 is out of range 1..65535");
        assertThatThrownBy(() -> base().clusterCidr("10.244.0.0/16").clusterCidr("10.245.0.0/16").build())
                .hasMessageStartingWith("kubeProxy.clusterCIDR[1]: ");
    }

    @Test
    void takesTheClusterCidrTypedWithTheSameResult() {
        assertThat(base().clusterCidr(Cidr.parse("x", "10.244.0.0/16")).build().render())
                .isEqualTo(base().clusterCidr("10.244.0.0/16").build().render());
        assertThatThrownBy(() -> base().clusterCidr(Cidr.parse("x", "10.244.0.0/16")).clusterCidr("10.245.0.0/16").build())
                .hasMessageStartingWith("kubeProxy.clusterCIDR[1]: ");
        assertThatThrownBy(() -> base().clusterCidr((Cidr) null).build()).hasMessage("kubeProxy.clusterCIDR[0]: a CIDR such as 10.244.0.0/24 is required");
    }

    @Test
    void nodePortsAnswerOnlyOnTheGivenAddresses() throws Exception {
        JsonNode root = new YAMLMapper().readTree(base().nodePortAddress("10.244.0.1/32")
                .nodePortAddress(Cidr.parse("x", "10.245.0.1/32")).build().render());
        assertThat(root.get("nodePortAddresses")).hasSize(2);
        assertThat(root.get("nodePortAddresses").get(0).asText()).isEqualTo("10.244.0.1/32");
        assertThat(root.get("nodePortAddresses").get(1).asText()).isEqualTo("10.245.0.1/32");
        assertThat(new YAMLMapper().readTree(base().build().render()).has("nodePortAddresses")).isFalse();
        assertThatThrownBy(() -> base().nodePortAddress("10.244.0.1/40").build())
                .hasMessageStartingWith("kubeProxy.nodePortAddresses[0]: ");
    }

    @Test
    void localTrafficIsTheBridgesWhenOneIsGiven() throws Exception {
        JsonNode root = new YAMLMapper().readTree(base().localTrafficFromBridge("cni0").build().render());
        assertThat(root.get("detectLocalMode").asText()).isEqualTo("BridgeInterface");
        assertThat(root.at("/detectLocal/bridgeInterface").asText()).isEqualTo("cni0");
        assertThat(new YAMLMapper().readTree(base().build().render()).has("detectLocalMode")).isFalse();
        assertThatThrownBy(() -> base().localTrafficFromBridge("a bridge; rm").build())
                .hasMessageStartingWith("kubeProxy.detectLocal.bridgeInterface: ").hasMessageContaining("not an interface name");
    }
}
