package io.polykube.config.kubelet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.polykube.config.ConfigException;
import io.polykube.config.Golden;
import io.polykube.net.Cidr;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KubeletConfigTest {
    static KubeletConfig.Builder base() {
        return KubeletConfig.builder()
                .clientCaFile(Path.of("/srv/polykube/pki/ca.crt"))
                .containerRuntimeEndpoint(Path.of("/srv/polykube/run/containerd.sock"));
    }

    static KubeletConfig full() throws Exception {
        return base()
                .tls(Path.of("/srv/polykube/pki/kubelet.crt"), Path.of("/srv/polykube/pki/kubelet.key"))
                .clusterDns(List.of(InetAddress.getByAddress(new byte[] {10, 96, 0, 10})))
                .clusterDomain("cluster.local")
                .podCidr("10.244.0.0/24")
                .maxPods(50)
                .staticPodPath(Path.of("/srv/polykube/manifests"))
                .volumePluginDir(Path.of("/srv/polykube/kubelet-plugins"))
                .featureGates(Map.of("InPlacePodVerticalScaling", true))
                .build();
    }

    @Test
    void rendersLikeTheGoldenFiles() throws Exception {
        Golden.assertMatches("kubelet-config.yaml", full().render());
        Golden.assertMatches("kubelet-config-minimal.yaml", base().build().render());
    }

    @Test
    void podLogsDirOnlyWhenSet() throws Exception {
        assertThat(new YAMLMapper().readTree(base().build().render()).has("podLogsDir")).isFalse();
        JsonNode root = new YAMLMapper().readTree(base().podLogsDir(Path.of("/srv/polykube/pod-logs")).build().render());
        assertThat(root.get("podLogsDir").asText()).isEqualTo("/srv/polykube/pod-logs");
    }

    @Test
    void readsBackThroughJacksonWithEqualValues() throws Exception {
        KubeletConfig c = full();
        JsonNode root = new YAMLMapper().readTree(c.render());
        assertThat(root.get("kind").asText()).isEqualTo("KubeletConfiguration");
        assertThat(root.at("/authentication/x509/clientCAFile").asText()).isEqualTo(c.clientCaFile().toString());
        assertThat(root.at("/authentication/anonymous/enabled").asBoolean(true)).isFalse();
        assertThat(root.at("/authentication/webhook/enabled").asBoolean()).isTrue();
        assertThat(root.at("/authorization/mode").asText()).isEqualTo("Webhook");
        assertThat(root.get("cgroupDriver").asText()).isEqualTo("cgroupfs");
        assertThat(root.get("failCgroupV1").asBoolean(true)).isFalse();
        assertThat(root.get("failSwapOn").asBoolean(true)).isFalse();
        assertThat(root.get("readOnlyPort").asInt(-1)).isZero();
        assertThat(root.get("containerRuntimeEndpoint").asText()).isEqualTo("unix:///srv/polykube/run/containerd.sock");
        assertThat(root.get("address").asText()).isEqualTo("127.0.0.1");
        assertThat(root.get("port").asInt()).isEqualTo(c.port());
        assertThat(root.get("healthzPort").asInt()).isEqualTo(c.healthzPort());
        assertThat(root.get("tlsCertFile").asText()).isEqualTo(c.tlsCertFile().orElseThrow().toString());
        assertThat(root.get("clusterDNS").get(0).asText()).isEqualTo("10.96.0.10");
        assertThat(root.get("clusterDomain").asText()).isEqualTo("cluster.local");
        assertThat(root.get("podCIDR").asText()).isEqualTo("10.244.0.0/24");
        assertThat(root.get("maxPods").asInt()).isEqualTo(50);
        assertThat(root.get("imageGCHighThresholdPercent").asInt()).isEqualTo(100);
        assertThat(root.get("resolvConf").asText("x")).isEmpty();
        assertThat(root.get("evictionHard").get("nodefs.available").asText()).isEqualTo("256Mi");
        assertThat(root.get("evictionHard").size()).isEqualTo(KubeletConfig.TEST_EVICTION_HARD.size());
        assertThat(root.at("/featureGates/InPlacePodVerticalScaling").asBoolean()).isTrue();

        JsonNode minimal = new YAMLMapper().readTree(base().build().render());
        assertThat(minimal.has("clusterDNS")).isFalse();
        assertThat(minimal.has("clusterDomain")).isFalse();
        assertThat(minimal.has("tlsCertFile")).isFalse();
    }

    @Test
    void badInputNamesTheField() {
        assertThatThrownBy(() -> base().clientCaFile(Path.of("ca.crt")).build())
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("kubelet.authentication.x509.clientCAFile: must be an absolute path");
        assertThatThrownBy(() -> base().port(70000).build()).hasMessage("kubelet.port: port 70000 is out of range 1..65535");
        assertThatThrownBy(() -> base().healthz(InetAddress.getLoopbackAddress(), 0).build())
                .hasMessageStartingWith("kubelet.healthzPort: ");
        assertThatThrownBy(() -> base().podCidr("10.244.0.0/a").build()).hasMessageStartingWith("kubelet.podCIDR: ");
        assertThatThrownBy(() -> base().tls(Path.of("/a.crt"), null).build())
                .hasMessageStartingWith("kubelet.tlsPrivateKeyFile: ");
        assertThatThrownBy(() -> base().clusterDomain("Cluster_Local").build())
                .hasMessageStartingWith("kubelet.clusterDomain: ");
        assertThatThrownBy(() -> KubeletConfig.builder().clientCaFile(Path.of("/ca")).build())
                .hasMessageStartingWith("kubelet.containerRuntimeEndpoint: is required");
    }

    @Test
    void takesThePodCidrTypedWithTheSameResult() {
        assertThat(base().podCidr(Cidr.parse("x", "10.244.0.0/24")).build().render())
                .isEqualTo(base().podCidr("10.244.0.0/24").build().render());
        assertThat(base().podCidr("bad").podCidr(Cidr.parse("x", "10.244.0.0/24")).build().podCidr()).map(Cidr::toString)
                .contains("10.244.0.0/24");
    }
}
