package io.polykube.conformance;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Follows Ginkgo's default (succinct, no colour) output: {@code Will run N of M specs} gives the total, each spec that ran
 * prints a {@code •} (a passed one without a newline after it), a failed one {@code • [FAILED]} (or PANICKED, TIMEDOUT,
 * INTERRUPTED). Fed the output as it comes, in chunks of any size; thread-safe.
 */
public final class SuiteProgress {
    private static final Pattern WILL_RUN = Pattern.compile("Will run (\\d+) of (\\d+) specs");
    private static final Pattern FAILURE = Pattern.compile("• \\[(?:FAILED|PANICKED|TIMEDOUT|INTERRUPTED|ABORTED)\\]");

    private final StringBuilder line = new StringBuilder();
    private int total = -1;
    private int done;
    private int failed;

    /** Takes the next {@code length} characters of the suite's output. */
    public synchronized void accept(char[] chars, int length) {
        for (int i = 0; i < length; i++) {
            char c = chars[i];
            if (c == '•') {
                done++;
            }
            if (c == '\n') {
                endOfLine(line.toString());
                line.setLength(0);
            } else if (line.length() < 4096) {
                line.append(c);
            }
        }
    }

    /** Takes one whole line (without its newline). */
    public void line(String text) {
        char[] chars = (text + "\n").toCharArray();
        accept(chars, chars.length);
    }

    private void endOfLine(String line) {
        Matcher m = WILL_RUN.matcher(line);
        if (m.find()) {
            total = Integer.parseInt(m.group(1));
            return;
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
