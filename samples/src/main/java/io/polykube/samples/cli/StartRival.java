package io.polykube.samples.cli;

import java.nio.file.Path;

/**
 * Another way to get an API server for tests, which {@code bench} measures side by side with polykube's control plane.
 * Found through {@link java.util.ServiceLoader}: the benchmarks module brings one for kube-api-test, so the library and
 * the command line never depend on it.
 */
public interface StartRival {
    /** A short name for the bench table, for example {@code kube-api-test}. */
    String name();

    /** What it starts, for the bench table. */
    String description();

    /**
     * Starts it with its state in {@code directory} (kept between runs, so a second run is warm), waits until its API
     * is ready, stops it, and returns the milliseconds from asking for the start to ready; the stop is not counted.
     */
    long startAndStopMillis(Path directory);
}
