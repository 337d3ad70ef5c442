package io.polykube.runtime.binaries;

import java.time.Instant;
import java.util.Objects;

/**
 * How a cached set came to be.
 *
 * @param source    e.g. {@code go build via the Go module proxy} or {@code download from http://...}
 * @param goVersion the Go toolchain that built it ({@code go1.26.8}), or {@code null} when unknown
 * @param buildDate when it was built or downloaded
 */
public record Provenance(String source, String goVersion, Instant buildDate) {
    public Provenance {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(buildDate, "buildDate");
    }
}
