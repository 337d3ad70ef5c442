package io.polykube.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EncryptionKeyTest {
    @TempDir
    Path dir;

    private Path key() {
        return dir.resolve("pki/encryption.key");
    }

    private Path fingerprint() {
        return dir.resolve("etcd-encryption-key.sha256");
    }

    @Test
    void createsA32ByteKey0600AndKeepsItAcrossLoads() throws Exception {
        EncryptionKey first = EncryptionKey.loadOrCreate(key(), fingerprint(), false);
        assertThat(first.created()).isTrue();
        assertThat(Base64.getDecoder().decode(first.base64())).hasSize(32);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key()))).isEqualTo("rw-------");
        EncryptionKey again = EncryptionKey.loadOrCreate(key(), fingerprint(), true);
        assertThat(again.created()).isFalse();
        assertThat(again.base64()).isEqualTo(first.base64());
        assertThat(again.toString()).doesNotContain(first.base64());
    }

    @Test
    void aMissingKeyWithEncryptedDataIsRefusedAndNothingIsWritten() throws Exception {
        EncryptionKey.loadOrCreate(key(), fingerprint(), false);
        Files.delete(key());
        byte[] recorded = Files.readAllBytes(fingerprint());
        assertThatThrownBy(() -> EncryptionKey.loadOrCreate(key(), fingerprint(), true))
                .isInstanceOf(PkiException.class).hasMessageContaining(key().toString()).hasMessageContaining("missing");
        assertThat(key()).doesNotExist();
        assertThat(fingerprint()).hasBinaryContent(recorded);
    }

    @Test
    void aChangedKeyWithEncryptedDataIsRefusedAndNothingIsWritten() throws Exception {
        EncryptionKey.loadOrCreate(key(), fingerprint(), false);
        String other = Base64.getEncoder().encodeToString(new byte[32]);
        Files.writeString(key(), other);
        byte[] recorded = Files.readAllBytes(fingerprint());
        assertThatThrownBy(() -> EncryptionKey.loadOrCreate(key(), fingerprint(), true))
                .isInstanceOf(PkiException.class).hasMessageContaining(key().toString()).hasMessageContaining("changed");
        assertThat(Files.readString(key())).isEqualTo(other);
        assertThat(fingerprint()).hasBinaryContent(recorded);
    }

    @Test
    void withoutDataAMissingKeyIsSimplyMadeAgain() {
        String first = EncryptionKey.loadOrCreate(key(), fingerprint(), false).base64();
        key().toFile().delete();
        assertThat(EncryptionKey.loadOrCreate(key(), fingerprint(), false).base64()).isNotEqualTo(first);
    }

    @Test
    void aMalformedKeyIsRefused() throws Exception {
        Files.createDirectories(key().getParent());
        Files.writeString(key(), "c2hvcnQ=");
        assertThatThrownBy(() -> EncryptionKey.loadOrCreate(key(), fingerprint(), false))
                .isInstanceOf(PkiException.class).hasMessageContaining("holds 5 bytes");
    }
}
