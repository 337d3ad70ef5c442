package io.polykube.runtime.process;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The last lines of a process's output (a ring buffer), plus "did a line matching P appear"
 * for patterns asked about; a watched pattern sees every line, even those the ring dropped.
 */
final class LogBuffer {
    private final String[] ring;
    private long count;
    private final Map<Pattern, Boolean> watched = new IdentityHashMap<>();

    LogBuffer(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1");
        }
        this.ring = new String[capacity];
    }

    synchronized void add(String line) {
        ring[(int) (count % ring.length)] = line;
        count++;
        for (Map.Entry<Pattern, Boolean> e : watched.entrySet()) {
            if (!e.getValue() && e.getKey().matcher(line).find()) {
                e.setValue(Boolean.TRUE);
            }
        }
    }

    /** The last {@code n} lines, oldest first. */
    synchronized List<String> tail(int n) {
        int size = (int) Math.min(count, ring.length);
        int take = Math.min(n, size);
        List<String> lines = new ArrayList<>(take);
        for (long i = count - take; i < count; i++) {
            lines.add(ring[(int) (i % ring.length)]);
        }
        return lines;
    }

    /** Total lines ever added. */
    synchronized long count() {
        return count;
    }

    /**
     * Whether a line matching the pattern was added. The first call for a pattern scans the lines
     * still buffered and starts watching all further lines.
     */
    synchronized boolean matched(Pattern pattern) {
        Boolean seen = watched.get(pattern);
        if (seen == null) {
            seen = tail(ring.length).stream().anyMatch(l -> pattern.matcher(l).find());
            watched.put(pattern, seen);
        }
        return seen;
    }
}
