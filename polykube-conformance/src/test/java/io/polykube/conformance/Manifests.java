package io.polykube.conformance;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The fixture excerpts of upstream manifest.go (src/test/resources), parsed as the run parses the real files. */
final class Manifests {
    private Manifests() {
    }

    /** The excerpt of Kubernetes {@code version}'s manifest.go (1.34.4 or 1.37.2). */
    static String text(String version) {
        String name = "manifest-v" + version + ".go.txt";
        try (InputStream in = Manifests.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ManifestImages manifest(String version) {
        return ManifestImages.parse(text(version), "manifest-v" + version + ".go.txt");
    }

    static SuiteImages images(String version) {
        return SuiteImages.of(manifest(version));
    }
}
