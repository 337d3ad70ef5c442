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

    /** A node's configuration for the containerd 2 polykube builds, with every path given. */
    static ContainerdConfig.Builder containerd2() {
        return base().containerdVersion("2.4.2")
                .sandboxImage("polykube.local/pause:1")
                .runcBinary(Path.of("/cache/bin/runc-v1.5.3/runc"))
                .shimBinary(Path.of("/cache/bin/containerd-v2.4.2/containerd-shim-runc-v2"))
                .cniBinDir(Path.of("/cache/bin/cni-plugins-v1.10.0"))
                .registryConfigPath(Path.of("/srv/polykube/config/registry-hosts"))
                .netnsMountsUnderStateDir(true);
    }

    @Test
    void containerd2RendersLikeTheGoldenFile() {
        Golden.assertMatches("containerd2-config.toml", containerd2().build().render());
    }

    @Test
    void containerd2GetsVersion3ReadBackWithEqualValues() throws Exception {
        ContainerdConfig c = containerd2().build();
        assertThat(c.configVersion()).isEqualTo(3);
        JsonNode root = new TomlMapper().readTree(c.render());
        assertThat(root.get("version").asInt()).isEqualTo(3);
        assertThat(root.get("root").asText()).isEqualTo("/srv/polykube/containerd/root");
        assertThat(root.get("state").asText()).isEqualTo("/srv/polykube/containerd/state");
        assertThat(root.at("/grpc/address").asText()).isEqualTo("/srv/polykube/run/containerd.sock");
        assertThat(root.at("/ttrpc/address").asText()).as("derived from the socket, never the host's default")
                .isEqualTo("/srv/polykube/run/containerd.sock.ttrpc").isEqualTo(c.ttrpcAddress().toString());
        assertThat(root.get("disabled_plugins")).extracting(JsonNode::asText).containsExactlyElementsOf(
                ContainerdConfig.DEFAULT_DISABLED_PLUGINS_V2).contains("io.containerd.nri.v1.nri",
                "io.containerd.snapshotter.v1.erofs").doesNotContain("io.containerd.snapshotter.v1.aufs");

        JsonNode plugins = root.get("plugins");
        JsonNode images = plugins.get("io.containerd.cri.v1.images");
        assertThat(images.get("snapshotter").asText()).isEqualTo("overlayfs");
        assertThat(images.at("/pinned_images/sandbox").asText()).isEqualTo("polykube.local/pause:1");
        assertThat(images.at("/registry/config_path").asText()).isEqualTo("/srv/polykube/config/registry-hosts");

        JsonNode runtime = plugins.get("io.containerd.cri.v1.runtime");
        assertThat(runtime.get("netns_mounts_under_state_dir").asBoolean()).isTrue();
        assertThat(runtime.has("restrict_oom_score_adj")).isFalse();
        assertThat(runtime.at("/containerd/default_runtime_name").asText()).isEqualTo("runc");
        JsonNode runc = runtime.at("/containerd/runtimes/runc");
        assertThat(runc.get("runtime_type").asText()).isEqualTo("io.containerd.runc.v2");
        assertThat(runc.get("runtime_path").asText()).isEqualTo("/cache/bin/containerd-v2.4.2/containerd-shim-runc-v2");
        assertThat(runc.at("/options/SystemdCgroup").isBoolean()).isTrue();
        assertThat(runc.at("/options/SystemdCgroup").asBoolean(true)).isFalse();
        assertThat(runc.at("/options/BinaryName").asText()).isEqualTo("/cache/bin/runc-v1.5.3/runc");
        assertThat(runc.at("/options/Root").asText()).isEqualTo("/srv/polykube/containerd/state/runc");
        JsonNode cni = runtime.get("cni");
        assertThat(cni.get("bin_dirs").isArray()).isTrue();
        assertThat(cni.get("bin_dirs")).extracting(JsonNode::asText).containsExactly("/cache/bin/cni-plugins-v1.10.0");
        assertThat(cni.has("bin_dir")).as("bin_dir was removed in 2.4").isFalse();
        assertThat(cni.get("conf_dir").asText()).isEqualTo("/srv/polykube/cni/net.d");
        assertThat(cni.get("max_conf_num").asInt()).isEqualTo(1);

        JsonNode grpcCri = plugins.get("io.containerd.grpc.v1.cri");
        assertThat(grpcCri.get("stream_server_address").asText()).isEqualTo("127.0.0.1");
        assertThat(grpcCri.get("stream_server_port").asText()).isEqualTo("0");
        assertThat(grpcCri.has("sandbox_image")).as("a version 2 key").isFalse();
        assertThat(grpcCri.has("containerd")).as("a version 2 key").isFalse();
        assertThat(plugins.at("/io.containerd.nri.v1.nri/disable").asBoolean()).isTrue();
        assertThat(plugins.at("/io.containerd.internal.v1.opt/path").asText()).isEqualTo("/srv/polykube/containerd/root/opt");
    }

    @Test
    void theFormatFollowsTheContainerdVersion() throws Exception {
        assertThat(base().build().configVersion()).as("default: Debian's 1.6.20").isEqualTo(2);
        assertThat(base().containerdVersion("1.7.28").build().configVersion()).isEqualTo(2);
        assertThat(base().containerdVersion("v2.4.2").build().configVersion()).isEqualTo(3);
        // containerd 2.0 has only the singular bin_dir
        JsonNode cni20 = new TomlMapper().readTree(base().containerdVersion("2.0.14").build().render())
                .at("/plugins").get("io.containerd.cri.v1.runtime").get("cni");
        assertThat(cni20.get("bin_dir").asText()).isEqualTo("/usr/lib/cni");
        assertThat(cni20.has("bin_dirs")).isFalse();
        for (String unknown : List.of("1.5.13", "3.0.0", "0.1", "two")) {
            assertThatThrownBy(() -> base().containerdVersion(unknown).build()).isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith("containerd.version: '" + unknown + "'").hasMessageContaining("1.6, 1.7 and 2.x");
        }
    }

    @Test
    void containerd2KeepsNriOffWhateverPluginsAreDisabled() throws Exception {
        ContainerdConfig c = base().containerdVersion("2.4.2").disabledPlugins(List.of("io.containerd.snapshotter.v1.zfs"))
                .build();
        JsonNode root = new TomlMapper().readTree(c.render());
        assertThat(root.get("disabled_plugins")).extracting(JsonNode::asText).containsExactly("io.containerd.snapshotter.v1.zfs");
        assertThat(root.at("/plugins").get("io.containerd.nri.v1.nri").get("disable").asBoolean()).isTrue();
        assertThat(root.at("/plugins").get("io.containerd.cri.v1.runtime").at("/containerd/runtimes/runc").has("runtime_path"))
                .as("no shim given: none written").isFalse();
    }

    @Test
    void containerd2BadInputNamesTheField() {
        assertThatThrownBy(() -> base().shimBinary(Path.of("/x/containerd-shim-runc-v2")).build())
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("containerd.runc.runtime_path: ")
                .hasMessageContaining("containerd 2.x only");
        assertThatThrownBy(() -> containerd2().shimBinary(Path.of("shim")).build())
                .hasMessageStartingWith("containerd.runc.runtime_path: must be an absolute path");
        for (String cri : List.of("io.containerd.cri.v1.images", "io.containerd.cri.v1.runtime", "io.containerd.grpc.v1.cri")) {
            assertThatThrownBy(() -> containerd2().disabledPlugins(List.of(cri)).build())
                    .hasMessageStartingWith("containerd.disabled_plugins[0]: ").hasMessageContaining(cri);
        }
        // 102 bytes fit alone, not with ".ttrpc"
        Path socket = Path.of("/" + "d".repeat(85) + "/containerd.sock");
        assertThat(socket.toString()).hasSize(102);
        assertThatThrownBy(() -> containerd2().address(socket).build())
                .hasMessageStartingWith("containerd.grpc.address: ").hasMessageContaining(".ttrpc");
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
