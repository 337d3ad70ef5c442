package io.polykube.config.containerd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import io.polykube.config.ItSupport;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** containerd 1.6 ({@code containerd config dump}) reads our config.toml and keeps our values. */
class ContainerdAcceptsConfigIT {
    @Test
    void containerdConfigDumpShowsOurValues() throws Exception {
        Path dir = ItSupport.workDir("containerd");
        Path shortRun = Files.createTempDirectory("pkc-"); // a socket path must stay short
        try {
            ContainerdConfig config = ContainerdConfig.builder()
                    .root(dir.resolve("root")).state(dir.resolve("state"))
                    .address(shortRun.resolve("containerd.sock"))
                    .cniConfDir(dir.resolve("net.d"))
                    .sandboxImage("polykube.local/pause:1")
                    .build();
            Path file = config.writeTo(dir.resolve("config.toml"));
            ItSupport.Result r = ItSupport.run(List.of("containerd", "--config", file.toString(), "config", "dump"));
            assertThat(r.exitCode()).as("containerd config dump:\n%s", r.output()).isZero();
            String toml = r.output().lines().filter(l -> !l.startsWith("time=")).reduce("", (a, b) -> a + b + "\n");
            JsonNode dump = new TomlMapper().readTree(toml);
            assertThat(dump.get("version").asInt()).isEqualTo(2);
            assertThat(dump.get("root").asText()).isEqualTo(config.root().toString());
            assertThat(dump.get("state").asText()).isEqualTo(config.state().toString());
            assertThat(dump.at("/grpc/address").asText()).isEqualTo(config.address().toString());
            JsonNode cri = dump.get("plugins").get("io.containerd.grpc.v1.cri");
            assertThat(cri.get("sandbox_image").asText()).isEqualTo("polykube.local/pause:1");
            assertThat(cri.at("/containerd/snapshotter").asText()).isEqualTo("overlayfs");
            assertThat(cri.at("/containerd/runtimes/runc/options/SystemdCgroup").asBoolean(true)).isFalse();
            assertThat(cri.at("/containerd/runtimes/runc/options/Root").asText()).isEqualTo(config.runcRoot().toString());
            assertThat(cri.at("/cni/bin_dir").asText()).isEqualTo("/usr/lib/cni");
            assertThat(cri.at("/cni/conf_dir").asText()).isEqualTo(config.cniConfDir().toString());
            assertThat(dump.get("plugins").get("io.containerd.internal.v1.opt").get("path").asText())
                    .isEqualTo(config.root().resolve("opt").toString());
            assertThat(dump.get("disabled_plugins")).hasSize(ContainerdConfig.DEFAULT_DISABLED_PLUGINS.size());
            assertThat(Files.exists(config.address())).as("config dump must not start a server").isFalse();
        } finally {
            Files.deleteIfExists(shortRun);
        }
    }
}
