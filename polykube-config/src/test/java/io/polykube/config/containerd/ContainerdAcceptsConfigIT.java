package io.polykube.config.containerd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import io.polykube.config.ItSupport;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The containerd polykube builds ({@code containerd config dump}, which migrates the file to its newest format in memory)
 * reads our config.toml and keeps our values.
 */
class ContainerdAcceptsConfigIT {
    @Test
    void containerdConfigDumpShowsOurValues() throws Exception {
        Path containerd = ItSupport.nodeRuntimeBinary("polykube.containerd.bin.dir", "containerd");
        Path dir = ItSupport.workDir("containerd");
        Path shortRun = Files.createTempDirectory("pkc-"); // a socket path must stay short
        try {
            ContainerdConfig config = ContainerdConfig.builder()
                    .containerdVersion(System.getProperty("polykube.containerd.version"))
                    .root(dir.resolve("root")).state(dir.resolve("state"))
                    .address(shortRun.resolve("containerd.sock"))
                    .cniBinDir(dir.resolve("cni-bin"))
                    .cniConfDir(dir.resolve("net.d"))
                    .shimBinary(containerd.resolveSibling("containerd-shim-runc-v2"))
                    .runcBinary(dir.resolve("runc"))
                    .sandboxImage("polykube.local/pause:1")
                    .build();
            assertThat(config.configVersion()).isEqualTo(3);
            Path file = config.writeTo(dir.resolve("config.toml"));
            ItSupport.Result r = ItSupport.run(List.of(containerd.toString(), "--config", file.toString(), "config", "dump"));
            assertThat(r.exitCode()).as("containerd config dump:\n%s", r.output()).isZero();
            String toml = r.output().lines().filter(l -> !l.startsWith("time=")).reduce("", (a, b) -> a + b + "\n");
            JsonNode dump = new TomlMapper().readTree(toml);
            assertThat(dump.get("version").asInt()).as("migrated in memory to its newest format").isGreaterThanOrEqualTo(3);
            assertThat(dump.get("root").asText()).isEqualTo(config.root().toString());
            assertThat(dump.get("state").asText()).isEqualTo(config.state().toString());
            JsonNode plugins = dump.get("plugins");
            // version 3 keeps the sockets in [grpc] and [ttrpc]; version 4 (containerd 2.3 on) moves them to server plugins
            assertThat(text(dump, "/grpc/address", plugins.path("io.containerd.server.v1.grpc").path("address")))
                    .isEqualTo(config.address().toString());
            assertThat(text(dump, "/ttrpc/address", plugins.path("io.containerd.server.v1.ttrpc").path("address")))
                    .isEqualTo(config.ttrpcAddress().toString());
            JsonNode images = plugins.get("io.containerd.cri.v1.images");
            assertThat(images.at("/pinned_images/sandbox").asText()).isEqualTo("polykube.local/pause:1");
            assertThat(images.get("snapshotter").asText()).isEqualTo("overlayfs");
            JsonNode runtime = plugins.get("io.containerd.cri.v1.runtime");
            JsonNode runc = runtime.at("/containerd/runtimes/runc");
            assertThat(runc.get("runtime_path").asText()).isEqualTo(config.shimBinary().orElseThrow().toString());
            assertThat(runc.at("/options/SystemdCgroup").asBoolean(true)).isFalse();
            assertThat(runc.at("/options/Root").asText()).isEqualTo(config.runcRoot().toString());
            assertThat(runc.at("/options/BinaryName").asText()).isEqualTo(dir.resolve("runc").toString());
            assertThat(runtime.at("/cni/bin_dirs/0").asText()).isEqualTo(config.cniBinDir().toString());
            assertThat(runtime.at("/cni/conf_dir").asText()).isEqualTo(config.cniConfDir().toString());
            assertThat(plugins.get("io.containerd.internal.v1.opt").get("path").asText())
                    .isEqualTo(config.root().resolve("opt").toString());
            assertThat(dump.get("disabled_plugins").toString()).contains(ContainerdConfig.NRI_PLUGIN);
            assertThat(Files.exists(config.address())).as("config dump must not start a server").isFalse();
        } finally {
            Files.deleteIfExists(shortRun);
        }
    }

    /** The text at {@code pointer} in {@code dump}, else {@code fallback}'s. */
    private static String text(JsonNode dump, String pointer, JsonNode fallback) {
        String value = dump.at(pointer).asText("");
        return value.isEmpty() ? fallback.asText("") : value;
    }
}
