package io.polykube.runtime.preflight;


import io.polykube.runtime.ProcessException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Reads and writes kernel parameters under /proc/sys (root needed to write). */
public final class Sysctl {
    private static final Path PROC_SYS = Path.of("/proc/sys");

    private Sysctl() {
    }

    /** The value of e.g. {@code net.ipv4.ip_forward}, empty if the key does not exist. */
    public static Optional<String> read(String key) {
        try {
            return Optional.of(Files.readString(path(key)).trim());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * Writes a value, like {@code sysctl -w key=value}.
     *
     * @throws ProcessException if the key does not exist or cannot be written (not root)
     */
    public static void write(String key, String value) {
        Path path = path(key);
        try {
            Files.writeString(path, value);
        } catch (IOException e) {
            throw new ProcessException("Cannot set " + key + "=" + value + " (" + path + "): " + e
                    + "; run as root, or run 'sysctl -w " + key + "=" + value + "' as root", e);
        }
    }

    /** Turns on IPv4 forwarding (needed for pod traffic); the caller decides whether to and says so. */
    public static void enableIpForward() {
        write("net.ipv4.ip_forward", "1");
    }

    private static Path path(String key) {
        if (!key.matches("[a-z0-9_.-]+") || key.contains("..")) {
            throw new ProcessException("Invalid sysctl key '" + key + "'");
        }
        return PROC_SYS.resolve(key.replace('.', '/'));
    }
}
