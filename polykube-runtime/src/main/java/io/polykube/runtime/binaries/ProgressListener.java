package io.polykube.runtime.binaries;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/** Receives the steps of a long operation (build, download, verify) and how long each took. */
public interface ProgressListener {

    /** A step begins, e.g. "go build kubernetes v1.34.4 (6 binaries)". */
    void started(String step);

    /** The step that began with the same text ended after {@code took}. */
    void finished(String step, Duration took);

    /** Ignores everything. */
    static ProgressListener none() {
        return new ProgressListener() {
            @Override
            public void started(String step) {
            }

            @Override
            public void finished(String step, Duration took) {
            }
        };
    }

    /** Prints one line when a step starts and one when it ends, prefixed with {@code prefix}. */
    static ProgressListener printingTo(PrintStream out, String prefix) {
        return new ProgressListener() {
            @Override
            public void started(String step) {
                out.println(prefix + step + " ...");
                out.flush();
            }

            @Override
            public void finished(String step, Duration took) {
                out.println(prefix + step + ": done in " + format(took));
                out.flush();
            }
        };
    }

    /** {@code 0.4 s}, {@code 12.3 s}, {@code 3 min 05 s}. */
    static String format(Duration d) {
        long millis = d.toMillis();
        if (millis < 60_000) {
            return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
        }
        return String.format(Locale.ROOT, "%d min %02d s", millis / 60_000, (millis / 1000) % 60);
    }
}
