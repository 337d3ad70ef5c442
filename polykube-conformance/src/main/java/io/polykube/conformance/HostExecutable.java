package io.polykube.conformance;

import io.polykube.api.error.PolykubeException;
import io.polykube.api.images.ImageBuilder;
import io.polykube.runtime.command.BoundedCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An executable of this host, copied into a locally built image together with what it needs to start: the shared
 * libraries and the dynamic loader {@code ldd} lists, each at the same path in the image as on the host (symbolic links
 * followed). A static executable is copied alone.
 *
 * <pre>{@code
 * HostExecutable.of(Path.of("/usr/bin/dig"), "install bind9-dnsutils").addTo(Images.fromFiles("polykube.local/dig:1"));
 * }</pre>
 */
public final class HostExecutable {
    /** {@code libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x...)} or {@code /lib64/ld-linux-x86-64.so.2 (0x...)}. */
    private static final Pattern LIBRARY = Pattern.compile("^\\s*(?:\\S+\\s+=>\\s+)?(/\\S+)\\s+\\(0x[0-9a-fA-F]+\\)\\s*$");
    private static final Pattern NOT_FOUND = Pattern.compile("^\\s*(\\S+)\\s+=>\\s+not found\\s*$");

    private final Path executable;
    private final List<Path> libraries;

    private HostExecutable(Path executable, List<Path> libraries) {
        this.executable = executable;
        this.libraries = List.copyOf(libraries);
    }

    /**
     * Finds what {@code executable} loads (runs {@code ldd} on it).
     *
     * @param fix what the user does when the executable is missing, e.g. {@code "install bind9-dnsutils (./polykube setup)"}
     * @throws PolykubeException if the executable is missing or a library it needs is not on this host
     */
    public static HostExecutable of(Path executable, String fix) {
        Objects.requireNonNull(executable, "executable");
        if (!Files.isRegularFile(executable) || !Files.isExecutable(executable)) {
            throw new PolykubeException(executable + " is missing or not executable: " + fix);
        }
        return new HostExecutable(executable, parseLdd(ldd(executable), executable));
    }

    /** The executable on the host. */
    public Path executable() {
        return executable;
    }

    /** The shared libraries and the loader, as {@code ldd} names them (possibly symbolic links). */
    public List<Path> libraries() {
        return libraries;
    }

    /**
     * Adds the executable at {@code imagePath} and each library at its host path; a library another executable already
     * added is simply written again with the same content.
     */
    public ImageBuilder addTo(ImageBuilder image, String imagePath) {
        image.file(executable, imagePath, 0755);
        for (Path library : libraries) {
            image.file(library, library.toString(), 0755);
        }
        return image;
    }

    /** Adds the executable at its host path. */
    public ImageBuilder addTo(ImageBuilder image) {
        return addTo(image, executable.toString());
    }

    /**
     * The absolute library paths in {@code ldd}'s output, in order; none for a static executable.
     *
     * @throws PolykubeException naming the first library ldd could not find
     */
    static List<Path> parseLdd(String output, Path executable) {
        List<Path> libraries = new ArrayList<>();
        for (String line : output.split("\n")) {
            Matcher missing = NOT_FOUND.matcher(line);
            if (missing.matches()) {
                throw new PolykubeException(executable + " needs " + missing.group(1) + ", which is not on this host: "
                        + "install the Debian package that provides it");
            }
            Matcher m = LIBRARY.matcher(line);
            if (m.matches()) {
                libraries.add(Path.of(m.group(1)));
            }
        }
        return libraries;
    }

    private static String ldd(Path executable) {
        try {
            BoundedCommand.Outcome ldd = BoundedCommand.of("ldd", executable.toString()).timeout(Duration.ofSeconds(30)).run();
            String out = ldd.output();
            if (ldd.timedOut()) {
                throw new PolykubeException("ldd " + executable + " " + ldd.describeEnd());
            }
            // ldd exits 1 for a static executable ("not a dynamic executable"): nothing to copy then
            if (ldd.exitCode() != 0 && !out.contains("not a dynamic executable")) {
                throw new PolykubeException("ldd " + executable + " failed (exit " + ldd.exitCode() + "): " + out.strip());
            }
            return out;
        } catch (IOException e) {
            throw new PolykubeException("cannot run ldd on " + executable + ": " + e.getMessage()
                    + ". ldd comes with libc-bin; install it (apt-get install libc-bin)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PolykubeException("interrupted while running ldd on " + executable, e);
        }
    }
}
