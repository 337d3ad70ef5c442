package io.polykube.runtime.binaries;

/** Where {@link Binaries} found a binary. */
public enum Source {
    /** A path given for this binary to {@link Binaries.Builder#path(Binary, java.nio.file.Path)}. */
    EXPLICIT,
    /** A directory of {@code POLYKUBE_BIN_DIR} or {@link Binaries.Builder#binDirs(java.util.List)}. */
    BIN_DIR,
    /** polykube's cache ({@code ~/.cache/polykube/bin/...}), verified against its manifest. */
    CACHE,
    /** A directory of {@code PATH}. */
    PATH,
    /** Built from source through the Go module proxy into the cache just now. */
    BUILT,
    /** Downloaded from a release mirror into the cache just now. */
    DOWNLOADED
}
