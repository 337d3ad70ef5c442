package io.polykube.config.internal;

import io.polykube.config.ConfigException;

import java.time.Duration;

/** Formats a {@link Duration} the way Go's {@code time.ParseDuration} reads it. Not public API. */
public final class GoDuration {
    private GoDuration() {
    }

    public static String format(String field, Duration duration) {
        Check.required(field, duration);
        if (duration.isNegative()) {
            throw new ConfigException(field, "must not be negative, got " + duration);
        }
        if (duration.isZero()) {
            return "0s";
        }
        StringBuilder out = new StringBuilder();
        long hours = duration.toHours();
        int minutes = duration.toMinutesPart();
        int seconds = duration.toSecondsPart();
        int nanos = duration.toNanosPart();
        if (hours > 0) {
            out.append(hours).append('h');
        }
        if (minutes > 0) {
            out.append(minutes).append('m');
        }
        if (seconds > 0) {
            out.append(seconds).append('s');
        }
        if (nanos > 0) {
            if (nanos % 1_000_000 == 0) {
                out.append(nanos / 1_000_000).append("ms");
            } else if (nanos % 1_000 == 0) {
                out.append(nanos / 1_000).append("us");
            } else {
                out.append(nanos).append("ns");
            }
        }
        return out.toString();
    }
}
