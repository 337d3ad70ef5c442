package io.polykube.runtime.process;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Which TCP ports a process listens on, from /proc (net/tcp, net/tcp6 and the process's socket descriptors). */
public final class ListeningSockets {
    private static final Path PROC = Path.of("/proc");
    private static final String LISTEN = "0A";

    private ListeningSockets() {
    }

    /** Whether the process {@code pid} has a listening TCP socket on {@code port} (any address). */
    public static boolean listensOn(long pid, int port) {
        Set<String> inodes = listeningInodes(port);
        if (inodes.isEmpty()) {
            return false;
        }
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(PROC.resolve(Long.toString(pid)).resolve("fd"))) {
            for (Path fd : fds) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[") && inodes.contains(target.substring(8, target.length() - 1))) {
                        return true;
                    }
                } catch (IOException e) {
                    // closed meanwhile
                }
            }
        } catch (IOException e) {
            return false; // gone, or not ours to read
        }
        return false;
    }

    private static Set<String> listeningInodes(int port) {
        String hexPort = String.format(Locale.ROOT, ":%04X", port);
        Set<String> inodes = new HashSet<>();
        for (String table : List.of("tcp", "tcp6")) {
            try {
                for (String line : Files.readAllLines(PROC.resolve("net").resolve(table))) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length > 9 && f[1].endsWith(hexPort) && LISTEN.equals(f[3])) {
                        inodes.add(f[9]);
                    }
                }
            } catch (IOException e) {
                // no such table (no IPv6)
            }
        }
        return inodes;
    }
}
