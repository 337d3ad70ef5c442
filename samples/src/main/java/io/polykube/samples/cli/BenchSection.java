package io.polykube.samples.cli;

import java.nio.file.Path;

/**
 * A further part of {@code bench} that lives outside the command line's module (found through
 * {@link java.util.ServiceLoader}; the benchmarks module brings the JUnit extension's cost).
 */
public interface BenchSection {
    /** What it measures, for the progress lines. */
    String title();

    /** Measures, printing {@code [bench]} lines; {@code work} is an empty directory it may fill, deleted afterwards. */
    void run(Path work, int runs) throws Exception;
}
