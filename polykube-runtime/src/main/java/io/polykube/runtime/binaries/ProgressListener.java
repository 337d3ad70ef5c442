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

    /** How far a running step is (e.g. packages compiled out of the total), told at a regular interval. */
    default void progress(String step, Progress progress) {
    }

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

    /** Prints one line when a step starts, one per progress report and one when it ends, prefixed with {@code prefix}. */
    static ProgressListener printingTo(PrintStream out, String prefix) {
        return printingTo(out, prefix, false);
    }

    /**
     * Like {@link #printingTo(PrintStream, String)}; with {@code terminal} the progress reports rewrite one line in place
     * (carriage return) instead of adding lines, for a person watching; plain lines suit CI logs.
     */
    static ProgressListener printingTo(PrintStream out, String prefix, boolean terminal) {
        return new ProgressListener() {
            private boolean lineOpen;

            @Override
            public synchronized void started(String step) {
                endLine();
                out.println(prefix + step + " ...");
                out.flush();
            }

            @Override
            public synchronized void progress(String step, Progress progress) {
                String line = prefix + progress.describe();
                if (terminal) {
                    out.print("\r\033[K" + line);
                    lineOpen = true;
                } else {
                    out.println(line);
                }
                out.flush();
            }

            @Override
            public synchronized void finished(String step, Duration took) {
                endLine();
                out.println(prefix + step + ": done in " + format(took));
                out.flush();
            }

            private void endLine() {
                if (lineOpen) {
                    out.println();
                    lineOpen = false;
                }
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
