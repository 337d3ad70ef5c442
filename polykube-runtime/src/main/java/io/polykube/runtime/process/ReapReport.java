package io.polykube.runtime.process;

import java.util.List;

/**
 * What {@link Supervisor#reapOrphans} did.
 *
 * @param stopped records whose process (same pid, start time and command line) was still running and was stopped
 * @param stale   records whose process was gone or whose pid now belongs to another process (left alone); removed
 */
public record ReapReport(List<ProcessRecord> stopped, List<ProcessRecord> stale) {
    public ReapReport {
        stopped = List.copyOf(stopped);
        stale = List.copyOf(stale);
    }
}
