package io.polykube.runtime.binaries;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A binary that was found and whose reported version matched the one asked for.
 *
 * @param binary  which binary
 * @param path    the executable
 * @param version the version it reports, e.g. {@code 1.34.4}
 * @param source  where it was found
 */
public record ResolvedBinary(Binary binary, Path path, String version, Source source) {
    public ResolvedBinary {
        Objects.requireNonNull(binary, "binary");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(source, "source");
    }
}
