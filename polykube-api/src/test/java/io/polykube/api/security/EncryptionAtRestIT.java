package io.polykube.api.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.polykube.api.Cluster;
import io.polykube.api.error.PolykubeException;
import io.polykube.api.spec.Mode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/** Secrets (and ConfigMaps, on request) are encrypted in etcd with a key kept in pki/, and survive a restart. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EncryptionAtRestIT {
    private static final String SECRET_VALUE = "plain-secret-value-4711";
    private static final String CONFIG_VALUE = "plain-configmap-value-4711";

    @TempDir
    static Path dir;
    static Cluster cluster;

    @BeforeAll
    static void start() {
        cluster = Cluster.builder().name("enc-it").directory(dir).mode(Mode.CONTROL_PLANE).etcd(e -> e.unsafeNoFsync(true))
                .apiServer(a -> a.encryptConfigMaps(true)).build().start();
        cluster.client().secrets().inNamespace("default").resource(new SecretBuilder().withNewMetadata().withName("s1")
                .endMetadata().addToStringData("password", SECRET_VALUE).build()).create();
        cluster.client().configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata().withName("c1")
                .endMetadata().addToData("setting", CONFIG_VALUE).build()).create();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void etcdHoldsTheSecretEncryptedNotInPlainText() throws Exception {
        byte[] stored = ProcessFlags.etcdValue(cluster, "/registry/secrets/default/s1").orElseThrow();
        String text = new String(stored, StandardCharsets.ISO_8859_1);
        assertThat(text).startsWith("k8s:enc:secretbox:v1:polykube-1:").doesNotContain(SECRET_VALUE)
                .doesNotContain(Base64.getEncoder().encodeToString(SECRET_VALUE.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    @Order(2)
    void configMapsAreEncryptedWhenAskedFor() throws Exception {
        String text = new String(ProcessFlags.etcdValue(cluster, "/registry/configmaps/default/c1").orElseThrow(),
                StandardCharsets.ISO_8859_1);
        assertThat(text).startsWith("k8s:enc:secretbox:v1:polykube-1:").doesNotContain(CONFIG_VALUE);
    }

    @Test
    @Order(3)
    void theKeyAndTheConfigurationArePrivate() throws Exception {
        Path key = dir.resolve("pki/encryption.key");
        Path config = Path.of(ProcessFlags.of(cluster, io.polykube.api.status.Component.KUBE_APISERVER).get("encryption-provider-config"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config))).isEqualTo("rw-------");
        assertThat(Base64.getDecoder().decode(Files.readString(key).strip())).hasSize(32);
    }

    @Test
    @Order(4)
    void aClusterStartedAgainFromItsDirectoryReadsItsOldSecrets() {
        cluster.stop();
        cluster.start();
        assertThat(cluster.client().secrets().inNamespace("default").withName("s1").get().getData().get("password"))
                .isEqualTo(Base64.getEncoder().encodeToString(SECRET_VALUE.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    @Order(5)
    void aChangedKeyIsRefusedBeforeAnyProcessStartsAndNothingIsOverwritten() throws Exception {
        cluster.stop();
        Path key = dir.resolve("pki/encryption.key");
        byte[] original = Files.readAllBytes(key);
        byte[] other = new byte[32];
        new SecureRandom().nextBytes(other);
        String changed = Base64.getEncoder().encodeToString(other) + "\n";
        Files.writeString(key, changed);
        Map<Path, byte[]> before = Map.of(dir.resolve("etcd-encryption-key.sha256"),
                Files.readAllBytes(dir.resolve("etcd-encryption-key.sha256")));
        try {
            assertThatThrownBy(cluster::start).isInstanceOf(PolykubeException.class)
                    .hasMessageContaining(key.toString()).hasMessageContaining("changed").hasMessageContaining("restore");
            assertThat(cluster.status()).isEmpty();
            assertThat(Files.readString(key)).isEqualTo(changed);
            before.forEach((file, bytes) -> assertThat(file).hasBinaryContent(bytes));
        } finally {
            Files.write(key, original);
        }
    }

    @Test
    @Order(6)
    void aMissingKeyIsRefusedBeforeAnyProcessStarts() throws Exception {
        cluster.stop();
        Path key = dir.resolve("pki/encryption.key");
        byte[] original = Files.readAllBytes(key);
        Files.delete(key);
        try {
            assertThatThrownBy(cluster::start).isInstanceOf(PolykubeException.class)
                    .hasMessageContaining(key.toString()).hasMessageContaining("missing");
            assertThat(cluster.status()).isEmpty();
            assertThat(key).doesNotExist();
        } finally {
            Files.write(key, original);
        }
        cluster.start(); // the restored key reads the data again
        assertThat(cluster.client().secrets().inNamespace("default").withName("s1").get()).isNotNull();
    }
}
