package io.polykube.config.encryption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.polykube.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EncryptionConfigTest {
    private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);

    @Test
    void secretboxFirstThenIdentitySoOldPlainDataStaysReadable() throws Exception {
        EncryptionConfig config = EncryptionConfig.builder().key("polykube-1", KEY).resource("secrets").resource("configmaps").build();
        JsonNode root = new YAMLMapper().readTree(config.render());
        assertThat(root.get("kind").asText()).isEqualTo("EncryptionConfiguration");
        assertThat(root.at("/resources/0/resources").toString()).isEqualTo("[\"secrets\",\"configmaps\"]");
        assertThat(root.at("/resources/0/providers/0/secretbox/keys/0/name").asText()).isEqualTo("polykube-1");
        assertThat(root.at("/resources/0/providers/0/secretbox/keys/0/secret").asText()).isEqualTo(KEY);
        assertThat(root.at("/resources/0/providers/1").has("identity")).isTrue();
        assertThat(config.storedPrefix()).isEqualTo("k8s:enc:secretbox:v1:polykube-1:");
    }

    @Test
    void resourcesDefaultToSecrets() {
        assertThat(EncryptionConfig.builder().key("k", KEY).build().resources()).containsExactly("secrets");
    }

    @Test
    void badKeysAndResourcesAreRefused() {
        assertThatThrownBy(() -> EncryptionConfig.builder().key("k", "c2hvcnQ=").build())
                .isInstanceOf(ConfigException.class).hasMessageContaining("needs 32");
        assertThatThrownBy(() -> EncryptionConfig.builder().key("k", "not base64!").build())
                .isInstanceOf(ConfigException.class).hasMessageContaining("not base64");
        assertThatThrownBy(() -> EncryptionConfig.builder().resource("Secrets!"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("not a resource name");
    }

    @Test
    void theFileHoldingTheKeyIsPrivate(@TempDir Path dir) throws Exception {
        Path file = EncryptionConfig.builder().key("k", KEY).build().writeTo(dir.resolve("encryption-config.yaml"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }
}
