package io.polykube.pki;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The 32-byte key that encrypts resources at rest in etcd, kept base64-encoded in a 0600 file. Its SHA-256 fingerprint is
 * recorded in a second file, so a key that went missing or changed after data was encrypted with it is refused with a
 * clear message instead of leaving data nobody can read.
 */
public final class EncryptionKey {
    /** Key size in bytes (secretbox and AES-256 both take 32). */
    public static final int SIZE = 32;

    private final Path file;
    private final String base64;
    private final boolean created;

    private EncryptionKey(Path file, String base64, boolean created) {
        this.file = file;
        this.base64 = base64;
        this.created = created;
    }

    /**
     * Loads the key in {@code keyFile}, or creates one (0600) when there is none and no encrypted data depends on one.
     *
     * @param keyFile         the key, base64 of {@value #SIZE} random bytes
     * @param fingerprintFile where the fingerprint of the key in use is recorded (outside the key's directory, next to the data)
     * @param dataExists      whether the data store already holds data (written by an earlier run)
     * @throws PkiException when data exists and the key file is missing, unreadable, malformed or not the one recorded;
     *                      nothing is written then
     */
    public static EncryptionKey loadOrCreate(Path keyFile, Path fingerprintFile, boolean dataExists) {
        Objects.requireNonNull(keyFile, "keyFile");
        Objects.requireNonNull(fingerprintFile, "fingerprintFile");
        Path key = keyFile.toAbsolutePath().normalize();
        Path recorded = fingerprintFile.toAbsolutePath().normalize();
        String expected = Files.isRegularFile(recorded) ? SecureFiles.read(recorded).strip() : null;
        if (!Files.exists(key)) {
            if (dataExists && expected != null) {
                throw new PkiException("The encryption key " + key + " is missing, but etcd holds data encrypted with the key whose "
                        + "SHA-256 is recorded in " + recorded + ": restore that key file (nothing was changed), or delete the "
                        + "cluster directory to start afresh");
            }
            byte[] bytes = new byte[SIZE];
            new SecureRandom().nextBytes(bytes);
            String encoded = Base64.getEncoder().encodeToString(bytes);
            SecureFiles.write(key, encoded + "\n", SecureFiles.PRIVATE);
            SecureFiles.write(recorded, fingerprint(bytes) + "\n", SecureFiles.PRIVATE);
            return new EncryptionKey(key, encoded, true);
        }
        String encoded = SecureFiles.read(key).strip();
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            throw new PkiException("The encryption key " + key + " is not base64 (" + e.getMessage() + "): restore the file "
                    + "polykube wrote, or delete the cluster directory to start afresh", e);
        }
        if (bytes.length != SIZE) {
            throw new PkiException("The encryption key " + key + " holds " + bytes.length + " bytes, not " + SIZE
                    + ": restore the file polykube wrote, or delete the cluster directory to start afresh");
        }
        String actual = fingerprint(bytes);
        if (expected != null && !expected.equals(actual)) {
            if (dataExists) {
                throw new PkiException("The encryption key " + key + " changed: its SHA-256 is " + actual + ", but etcd holds "
                        + "data encrypted with the key " + expected + " (recorded in " + recorded + "): restore the old key file "
                        + "(nothing was changed), or delete the cluster directory to start afresh");
            }
            SecureFiles.write(recorded, actual + "\n", SecureFiles.PRIVATE);
        } else if (expected == null) {
            SecureFiles.write(recorded, actual + "\n", SecureFiles.PRIVATE);
        }
        return new EncryptionKey(key, encoded, false);
    }

    /** The key file. */
    public Path file() {
        return file;
    }

    /** The key, base64-encoded as an {@code EncryptionConfiguration} wants it. */
    public String base64() {
        return base64;
    }

    /** Whether this call generated the key. */
    public boolean created() {
        return created;
    }

    private static String fingerprint(byte[] key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    @Override
    public String toString() {
        return "EncryptionKey[" + file + "]"; // never the key itself
    }
}
