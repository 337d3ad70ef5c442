package io.polykube.api.spec;

import io.polykube.runtime.binaries.BinaryException;
import io.polykube.runtime.binaries.BinaryVersions;
import io.polykube.runtime.binaries.KnownVersions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Facts about the host and the pinned versions that specs default to. */
final class Versions {
    private Versions() {
    }

    static String kubernetes() {
        return BinaryVersions.defaults().kubernetes();
    }

    /** The exact Kubernetes version {@code requested} (a known minor, a patch of one, or "default") stands for. */
    static String resolve(String requested) {
        try {
            return KnownVersions.resolve(requested).kubernetes();
        } catch (BinaryException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    static boolean runningAsRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return "0".equals(line.substring(4).trim().split("\\s+")[1]); // effective uid
                }
            }
        } catch (IOException e) {
            // not Linux or no /proc: fall through
        }
        return "root".equals(System.getProperty("user.name"));
    }
}
