package io.polykube.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Compares rendered text with {@code src/test/resources/golden/NAME}. Run with
 * {@code -Dpolykube.golden.update=true} to rewrite the golden files after an intended change,
 * then review the diff.
 */
public final class Golden {
    private Golden() {
    }

    public static void assertMatches(String name, String actual) {
        if (Boolean.getBoolean("polykube.golden.update")) {
            try {
                Path file = Path.of("src/test/resources/golden", name);
                Files.createDirectories(file.getParent());
                Files.writeString(file, actual, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalStateException("cannot update golden file " + name, e);
            }
            return;
        }
        try (InputStream in = Golden.class.getResourceAsStream("/golden/" + name)) {
            assertThat(in).as("golden file golden/%s (create it with -Dpolykube.golden.update=true)", name).isNotNull();
            String expected = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(actual).as("rendered text vs golden/%s", name).isEqualTo(expected);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read golden file " + name, e);
        }
    }

    /** A syntactically plausible PEM block for tests that only move PEM text around. */
    public static String fakePem(String type, String body) {
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }
}
