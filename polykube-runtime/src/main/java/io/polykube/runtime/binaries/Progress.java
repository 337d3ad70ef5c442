package io.polykube.runtime.binaries;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * How far a long step is: {@code done} units out of {@code total} (0 when the total is unknown), the time spent so far
 * and, once something is done, a linear estimate of what is left.
 *
 * @param done    units finished, e.g. packages compiled
 * @param total   units in all, or 0 when unknown
 * @param unit    what a unit is, plural, e.g. {@code packages}
 * @param elapsed time since the step began
 */
public record Progress(long done, long total, String unit, Duration elapsed) {
    public Progress {
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(elapsed, "elapsed");
        if (done < 0 || total < 0) {
            throw new IllegalArgumentException("done and total must not be negative, got " + done + "/" + total);
        }
    }

    /** The time left if the rest goes at the pace so far; empty before the first unit or without a total. */
    public Optional<Duration> remaining() {
        if (total == 0 || done == 0) {
            return Optional.empty();
        }
        if (done >= total) {
            return Optional.of(Duration.ZERO);
        }
        return Optional.of(Duration.ofMillis(elapsed.toMillis() * (total - done) / done));
    }

    /** {@code 812/2301 packages (35%), 3 min 10 s elapsed, about 5 min 50 s left}. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        if (total > 0) {
            long shown = Math.min(done, total);
            sb.append(shown).append('/').append(total).append(' ').append(unit)
                    .append(String.format(Locale.ROOT, " (%d%%)", shown * 100 / total));
        } else {
            sb.append(done).append(' ').append(unit);
        }
        sb.append(", ").append(ProgressListener.format(elapsed)).append(" elapsed");
        Optional<Duration> left = remaining();
        sb.append(left.map(d -> ", about " + ProgressListener.format(roundUp(d)) + " left").orElse(", estimating what is left"));
        return sb.toString();
    }

    private static Duration roundUp(Duration d) {
        return d.toMillis() < 60_000 ? d : Duration.ofSeconds((d.toSeconds() + 9) / 10 * 10);
    }
}
