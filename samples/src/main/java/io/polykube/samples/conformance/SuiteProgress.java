package io.polykube.samples.conformance;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Follows Ginkgo's default (succinct, no colour) output: {@code Will run N of M specs} gives the total, each spec that ran
 * prints a {@code •}, a failed one {@code • [FAILED]} (or PANICKED, TIMEDOUT, INTERRUPTED). Fed line by line; thread-safe.
 */
public final class SuiteProgress {
    private static final Pattern WILL_RUN = Pattern.compile("Will run (\\d+) of (\\d+) specs");
    private static final Pattern FAILURE = Pattern.compile("• \\[(?:FAILED|PANICKED|TIMEDOUT|INTERRUPTED|ABORTED)\\]");

    private int total = -1;
    private int done;
    private int failed;

    /** Takes one line of the suite's output. */
    public synchronized void line(String line) {
        Matcher m = WILL_RUN.matcher(line);
        if (m.find()) {
            total = Integer.parseInt(m.group(1));
            return;
        }
        for (int i = line.indexOf('•'); i >= 0; i = line.indexOf('•', i + 1)) {
            done++;
        }
        Matcher f = FAILURE.matcher(line);
        while (f.find()) {
            failed++;
        }
    }

    /** Specs selected to run, or -1 before the suite said. */
    public synchronized int total() {
        return total;
    }

    /** Specs finished so far (passed or failed). */
    public synchronized int done() {
        return done;
    }

    /** Specs failed so far. */
    public synchronized int failed() {
        return failed;
    }

    /** {@code 12/40 tests done, 1 failed}. */
    public synchronized String summary() {
        return done + "/" + (total < 0 ? "?" : String.valueOf(total)) + " tests done, " + failed + " failed";
    }
}
