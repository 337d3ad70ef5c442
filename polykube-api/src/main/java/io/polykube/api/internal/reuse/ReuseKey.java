package io.polykube.api.internal.reuse;

import io.polykube.api.spec.ClusterSpec;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What tells one reused cluster from another: a SHA-256 of the spec (every option, the manifests' content included) and
 * of the polykube code that runs it (its version and the build of its jar), so a changed spec or a new polykube starts a
 * new cluster.
 */
public final class ReuseKey {
    private ReuseKey() {
    }

    /** The key of {@code spec} with the polykube build running here (64 hex digits). */
    public static String of(ClusterSpec spec) {
        return sha256(specHash(spec) + "\n" + codeFingerprint());
    }

    /**
     * The hash of the spec alone: what the owner checks it rebuilt identically (its classes are copies, so its build
     * fingerprint differs from the test JVM's).
     */
    public static String specHash(ClusterSpec spec) {
        return sha256(spec.toString());
    }

    /** The name of the reused cluster a test class asks for with {@code keySpec}: {@code reuse-} and 10 hex digits of its key. */
    public static String nameFor(ClusterSpec keySpec) {
        return "reuse-" + of(keySpec).substring(0, 10);
    }

    /** A hash of {@code text} (64 hex digits). */
    public static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** polykube's version and when the jar (or class directory) running this was built. */
    static String codeFingerprint() {
        String version = ReuseKey.class.getPackage().getImplementationVersion();
        String built = "?";
        try {
            CodeSource source = ReuseKey.class.getProtectionDomain().getCodeSource();
            if (source != null && source.getLocation() != null) {
                Path location = Path.of(source.getLocation().toURI());
                Path probe = Files.isDirectory(location) ? location.resolve(ReuseKey.class.getName().replace('.', '/') + ".class")
                        : location;
                built = location + "@" + Files.getLastModifiedTime(probe).toMillis();
            }
        } catch (IOException | URISyntaxException | RuntimeException e) {
            // unknown build: the version alone tells
        }
        return "polykube " + (version == null ? "dev" : version) + " " + built;
    }
}
