package io.polykube.config.containerd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import io.polykube.config.ConfigException;
import io.polykube.config.Golden;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ContainerdConfigTest {
    static ContainerdConfig.Builder base() {
        return ContainerdConfig.builder()
                .root(Path.of("/srv/polykube/containerd/root"))
                .state(Path.of("/srv/polykube/containerd/state"))
                .address(Path.of("/srv/polykube/run/containerd.sock"))
                .cniConfDir(Path.of("/srv/polykube/cni/net.d"));
    }

    @Test
    void rendersLikeTheGoldenFile() {
        Golden.assertMatches("containerd-config.toml", base().sandboxImage("polykube.local/pause:1").build().render());
    }

    @Test
    void readsBackThroughJacksonWithEqualValues() throws Exception {
        ContainerdConfig c = base().runcBinary(Path.of("/usr/sbin/runc")).build();
        JsonNode root = new TomlMapper().readTree(c.render());
        assertThat(root.get("version").asInt()).isEqualTo(2);
        assertThat(root.get("root").asText()).isEqualTo(c.root().toString());
        assertThat(root.get("state").asText()).isEqualTo(c.state().toString());
        assertThat(root.at("/grpc/address").asText()).isEqualTo(c.address().toString());
        JsonNode cri = root.at("/plugins").get("io.containerd.grpc.v1.cri");
        assertThat(cri.get("sandbox_image").asText()).isEqualTo(c.sandboxImage());
        assertThat(cri.at("/containerd/snapshotter").asText()).isEqualTo("overlayfs");
        JsonNode options = cri.at("/containerd/runtimes/runc/options");
        assertThat(options.get("SystemdCgroup").asBoolean(true)).isFalse();
        assertThat(options.get("Root").asText()).isEqualTo("/srv/polykube/containerd/state/runc");
        assertThat(options.get("BinaryName").asText()).isEqualTo("/usr/sbin/runc");
        assertThat(cri.at("/cni/bin_dir").asText()).isEqualTo("/usr/lib/cni");
        assertThat(cri.at("/cni/conf_dir").asText()).isEqualTo(c.cniConfDir().toString());
        assertThat(root.get("disabled_plugins")).hasSize(ContainerdConfig.DEFAULT_DISABLED_PLUGINS.size());
        assertThat(cri.has("netns_mounts_under_state_dir")).isFalse();
    }

    @Test
    void netnsUnderStateDirWhenAsked() throws Exception {
        ContainerdConfig c = base().netnsMountsUnderStateDir(true).restrictOomScoreAdj(true).build();
        JsonNode cri = new TomlMapper().readTree(c.render()).at("/plugins").get("io.containerd.grpc.v1.cri");
        assertThat(cri.get("netns_mounts_under_state_dir").asBoolean()).isTrue();
        assertThat(cri.get("restrict_oom_score_adj").asBoolean()).isTrue();
        assertThat(c.netnsMountsUnderStateDir()).isTrue();
    }

    @Test
    void registryHostsDirectoryWhenGiven() throws Exception {
        ContainerdConfig c = base().registryConfigPath(Path.of("/srv/polykube/config/registry-hosts")).build();
        JsonNode cri = new TomlMapper().readTree(c.render()).at("/plugins").get("io.containerd.grpc.v1.cri");
        assertThat(cri.at("/registry/config_path").asText()).isEqualTo("/srv/polykube/config/registry-hosts");
        assertThat(new TomlMapper().readTree(base().build().render()).at("/plugins").get("io.containerd.grpc.v1.cri")
                .has("registry")).isFalse();
        assertThatThrownBy(() -> base().registryConfigPath(Path.of("relative")).build())
                .hasMessageContaining("containerd.registry.config_path");
    }

    @Test
    void badInputNamesTheField() {
        assertThatThrownBy(() -> base().root(Path.of("root")).build())
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("containerd.root: must be an absolute path");
        assertThatThrownBy(() -> base().address(Path.of("/" + "d".repeat(120) + "/c.sock")).build())
                .hasMessageStartingWith("containerd.grpc.address: ").hasMessageContaining("107 bytes");
        assertThatThrownBy(() -> base().cniConfDir(null).build()).hasMessageStartingWith("containerd.cni.conf_dir: ");
        assertThatThrownBy(() -> base().disabledPlugins(List.of("io.containerd.grpc.v1.cri")).build())
                .hasMessageStartingWith("containerd.disabled_plugins[0]: ");
    }
}
