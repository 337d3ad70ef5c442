package io.polykube.config.cni;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.polykube.config.ConfigException;
import io.polykube.config.Golden;
import io.polykube.net.Cidr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CniConfigTest {
    static final JsonMapper JSON = new JsonMapper();

    @TempDir
    Path tmp;

    static CniConfig config() {
        return CniConfig.builder()
                .networkName("polykube")
                .bridge("cni0")
                .subnet("10.244.0.0/24")
                .route("10.96.0.0/16")
                .ipamDataDir(Path.of("/srv/polykube/cni/ipam"))
                .build();
    }

    @Test
    void rendersLikeTheGoldenFile() {
        Golden.assertMatches("cni-10-polykube.conflist", config().render());
        Golden.assertMatches("cni-bridge-plugin.json", config().pluginConfig("bridge"));
        assertThat(config().fileName()).isEqualTo("10-polykube.conflist");
    }

    @Test
    void readsBackThroughJacksonWithEqualValues() throws Exception {
        CniConfig c = CniConfig.builder().networkName("n1").bridge("br-test").cniVersion("0.4.0")
                .subnet("10.244.3.0/24", "10.244.3.254").subnet("fd00:10:244::/64")
                .ipMasq(true).hairpinMode(false).isDefaultGateway(false).mtu(1400).portMap(false).build();
        JsonNode root = JSON.readTree(c.render());
        assertThat(root.get("cniVersion").asText()).isEqualTo("0.4.0");
        assertThat(root.get("name").asText()).isEqualTo("n1");
        assertThat(root.get("plugins")).hasSize(1);
        JsonNode bridge = root.get("plugins").get(0);
        assertThat(bridge.get("bridge").asText()).isEqualTo("br-test");
        assertThat(bridge.get("ipMasq").asBoolean()).isTrue();
        assertThat(bridge.get("hairpinMode").asBoolean()).isFalse();
        assertThat(bridge.get("isDefaultGateway").asBoolean()).isFalse();
        assertThat(bridge.get("mtu").asInt()).isEqualTo(1400);
        JsonNode ranges = bridge.at("/ipam/ranges");
        assertThat(ranges).hasSize(2); // one range set per family
        assertThat(ranges.get(0).get(0).get("subnet").asText()).isEqualTo("10.244.3.0/24");
        assertThat(ranges.get(0).get(0).get("gateway").asText()).isEqualTo("10.244.3.254");
        assertThat(ranges.get(1).get(0).get("subnet").asText()).startsWith("fd00:10:244:0:");
        assertThat(c.subnets().get(1).gateway().getHostAddress()).isEqualTo("fd00:10:244:0:0:0:0:1");

        JsonNode plugin = JSON.readTree(c.pluginConfig("bridge"));
        assertThat(plugin.get("name").asText()).isEqualTo("n1");
        assertThat(plugin.get("cniVersion").asText()).isEqualTo("0.4.0");
        assertThat(plugin.get("type").asText()).isEqualTo("bridge");
        assertThatThrownBy(() -> c.pluginConfig("portmap")).isInstanceOf(ConfigException.class);
    }

    @Test
    void theLexicographicallyFirstFileWins() throws Exception {
        Path dir = tmp.resolve("net.d");
        assertThat(CniConfig.effectiveConfig(dir)).isEmpty();
        Path ours = config().writeInto(dir);
        assertThat(ours.getFileName().toString()).isEqualTo("10-polykube.conflist");
        Files.writeString(dir.resolve("00-readme.txt"), "not a config");
        Files.writeString(dir.resolve("99-loopback.conf"), "{}");
        assertThat(CniConfig.effectiveConfig(dir)).contains(ours);
        Files.writeString(dir.resolve("05-other.json"), "{}");
        assertThat(CniConfig.effectiveConfig(dir)).contains(dir.resolve("05-other.json"));
        assertThat(CniConfig.builder().subnet("10.244.0.0/24").priority(1).build().fileName())
                .isEqualTo("01-polykube.conflist");
    }

    @Test
    void badInputNamesTheField() {
        assertThatThrownBy(() -> CniConfig.builder().subnet("10.244.0.0/40").build())
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("cni.subnets[0].subnet: ");
        assertThatThrownBy(() -> CniConfig.builder().subnet("10.244.0.0/24", "10.245.0.1").build())
                .hasMessage("cni.subnets[0].gateway: 10.245.0.1 is outside its subnet 10.244.0.0/24");
        assertThatThrownBy(() -> CniConfig.builder().subnet("10.244.0.0/24", "10.244.0.255").build())
                .hasMessageContaining("broadcast");
        assertThatThrownBy(() -> CniConfig.builder().subnet("10.244.0.0/24").subnet("10.244.0.0/16").build())
                .hasMessageStartingWith("cni.subnets[1]: 10.244.0.0/16 overlaps 10.244.0.0/24");
        assertThatThrownBy(() -> CniConfig.builder().build()).hasMessageStartingWith("cni.subnets: ");
        assertThatThrownBy(() -> CniConfig.builder().subnet("10.244.0.0/24").bridge("a-very-long-bridge0").build())
                .hasMessageStartingWith("cni.bridge: ");
        assertThatThrownBy(() -> CniConfig.builder().subnet("10.244.0.0/24").cniVersion("0.2.0").build())
                .hasMessageStartingWith("cni.cniVersion: ");
        assertThatThrownBy(() -> CniConfig.builder().subnet("10.244.0.0/24").ipamDataDir(Path.of("ipam")).build())
                .hasMessageStartingWith("cni.ipamDataDir: must be an absolute path");
        assertThatThrownBy(() -> CniConfig.builder().subnet("10.244.0.0/24").isGateway(false).build())
                .hasMessageStartingWith("cni.isGateway: ");
    }

    @Test
    void takesTheSubnetAndGatewayTypedWithTheSameResult() throws Exception {
        Cidr pods = Cidr.parse("x", "10.244.0.0/24");
        assertThat(CniConfig.builder().subnet(pods).build().render()).isEqualTo(CniConfig.builder().subnet("10.244.0.0/24").build().render());
        assertThat(CniConfig.builder().subnet(pods, pods.addressAt(1)).build().render())
                .isEqualTo(CniConfig.builder().subnet("10.244.0.0/24").build().render());
        assertThatThrownBy(() -> CniConfig.builder().subnet(pods, InetAddress.getByName("10.245.0.1")).build())
                .hasMessage("cni.subnets[0].gateway: 10.245.0.1 is outside its subnet 10.244.0.0/24");
    }
}
