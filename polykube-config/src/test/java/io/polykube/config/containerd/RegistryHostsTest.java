package io.polykube.config.containerd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import io.polykube.config.ConfigException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryHostsTest {
    private static final URI CLOSED = URI.create("http://127.0.0.1:1");

    @Test
    void theEndpointIsBothTheServerAndAMirrorSoNeitherTheUpstreamNorAFallbackIsUsed() throws Exception {
        JsonNode root = new TomlMapper().readTree(RegistryHosts.allTo(CLOSED).render());
        assertThat(root.get("server").asText()).isEqualTo("http://127.0.0.1:1");
        assertThat(root.get("host").fieldNames()).toIterable().containsExactly("http://127.0.0.1:1");
        assertThat(root.at("/host").get("http://127.0.0.1:1").get("capabilities").toString()).isEqualTo("[\"pull\",\"resolve\"]");
    }

    @Test
    void writesTheDefaultHostPrivately(@TempDir Path dir) throws Exception {
        Path base = RegistryHosts.allTo(CLOSED).writeInto(dir.resolve("hosts"));
        Path file = base.resolve("_default/hosts.toml");
        assertThat(file).isRegularFile();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        RegistryHosts.allTo(CLOSED, List.of("_default", "localhost:5000")).writeInto(dir.resolve("more"));
        assertThat(dir.resolve("more/localhost:5000/hosts.toml")).isRegularFile();
    }

    @Test
    void badInputIsRefused() {
        assertThatThrownBy(() -> RegistryHosts.allTo(URI.create("ftp://x"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("http(s) URL");
        assertThatThrownBy(() -> RegistryHosts.allTo(CLOSED, List.of("../etc"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("not a registry host");
    }
}
