package io.polykube.api.faults;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Objects;

/** What a cluster's fault proxy injected, in order: each request a rule applied to, with the rule and the time. */
public final class FaultLog {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    /**
     * One injection.
     *
     * @param time when the rule applied
     * @param request the request it applied to
     * @param fault the rule
     * @param hit which of the rule's hits this was (1 for the first)
     */
    public record Entry(Instant time, FaultRequest request, Fault fault, int hit) {
        public Entry {
            Objects.requireNonNull(time, "time");
            Objects.requireNonNull(request, "request");
            Objects.requireNonNull(fault, "fault");
        }

        /** {@code 12:00:01.234Z update configmaps demo/settings by alice <- 409 Conflict (hit 1 of on update ...)}. */
        @Override
        public String toString() {
            return TIME.format(time) + "Z " + request + " <- " + fault.action() + " (hit " + hit + " of rule: " + fault + ")";
        }
    }

    private final List<Entry> entries;

    public FaultLog(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    public List<Entry> entries() {
        return entries;
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** One line per injection, oldest first; {@code "no fault injected"} when empty. */
    public String format() {
        if (entries.isEmpty()) {
            return "no fault injected";
        }
        StringBuilder out = new StringBuilder();
        for (Entry e : entries) {
            out.append(e).append('\n');
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return format();
    }
}
