package io.polykube.runtime.process;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Stops the processes a crashed supervisor left running: for each record, only if pid, start time
 * and command line all match the live process (so an unrelated process that reused the pid is left
 * alone), with SIGTERM, grace, then SIGKILL of it and its descendants. All records are removed.
 */
final class OrphanReaper {
    private static final Logger LOG = LoggerFactory.getLogger(OrphanReaper.class);

    private OrphanReaper() {
    }

    /** Reaps a directory no live supervisor owns (takes its lock for the time of the reap). */
    static ReapReport reapUnowned(Path runDirectory) {
        if (!Files.isDirectory(runDirectory)) {
            return new ReapReport(List.of(), List.of());
        }
        RunDirectoryLock lock = RunDirectoryLock.acquire(runDirectory);
        try {
            return reap(new ProcessRecords(runDirectory));
        } finally {
            lock.close();
        }
    }

    /** Reaps with the directory's lock already held by the caller. */
    static ReapReport reap(ProcessRecords records) {
        List<ProcessRecord> stopped = new ArrayList<>();
        List<ProcessRecord> stale = new ArrayList<>();
        for (ProcessRecords.Entry entry : records.list()) {
            if (entry.record().isEmpty()) {
                LOG.warn("Removing unreadable process record {}", entry.file());
                records.remove(entry.file());
                continue;
            }
            ProcessRecord record = entry.record().get();
            // take the handle first: it pins the start time it saw, so a pid reused after our check is not signalled
            Optional<ProcessHandle> handle = ProcessHandle.of(record.pid());
            ProcessRecord.Match match = ProcessRecord.match(record, ProcFs.read(record.pid()));
            if (match == ProcessRecord.Match.SAME && handle.isPresent()) {
                LOG.warn("Stopping orphan {} (pid {}) started at {} by supervisor pid {}", record.name(), record.pid(),
                        record.startedAt(), record.supervisorPid());
                ProcessTree.terminate(handle.get(), record.stopGracePeriod(), record.name());
                stopped.add(record);
            } else {
                LOG.info("Removing stale record of {} (pid {}): {}", record.name(), record.pid(),
                        match == ProcessRecord.Match.GONE ? "process is gone" : "pid now belongs to another process ("
                                + ProcFs.read(record.pid()).map(live -> "start ticks " + live.startTicks() + ", command "
                                        + live.commandLine()).orElse("gone") + "; recorded start ticks " + record.startTicks()
                                + ", command " + record.commandLine() + ")");
                stale.add(record);
            }
            records.remove(entry.file());
        }
        return new ReapReport(stopped, stale);
    }
}
