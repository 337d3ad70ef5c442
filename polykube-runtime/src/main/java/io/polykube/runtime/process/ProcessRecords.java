package io.polykube.runtime.process;

import io.polykube.runtime.ProcessException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@link ProcessRecord} files ({@code <name>.json}) in a run directory: written when a process
 * starts, removed when it stops, read by the {@link OrphanReaper} after a crash.
 */
final class ProcessRecords {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessRecords.class);

    /** How long a record waits for a launched child's exec to show in /proc. */
    private static final Duration EXEC_WAIT = Duration.ofMillis(500);

    private final Path runDirectory;

    ProcessRecords(Path runDirectory) {
        this.runDirectory = runDirectory;
    }

    Path runDirectory() {
        return runDirectory;
    }

    /**
     * Records a process just launched; nothing if it already exited (there is nothing to recover then). The command line
     * is read from /proc once it is the launched one: read while the child is still between fork and exec, it would be
     * the launcher's, and a later reap would take the live process for another one and leave it running.
     */
    void recordStart(String name, Process process, List<String> command, Instant startedAt, Duration stopGracePeriod) {
        long deadline = System.nanoTime() + EXEC_WAIT.toNanos();
        Optional<ProcFs.Identity> id = ProcFs.read(process.pid());
        while (id.isPresent() && !ProcessRecord.sameCommand(command, id.get().commandLine()) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            id = ProcFs.read(process.pid());
        }
        if (id.isEmpty()) {
            return;
        }
        if (!ProcessRecord.sameCommand(command, id.get().commandLine())) {
            LOG.debug("{} (pid {}) shows command line {} in /proc, not the launched {}", name, process.pid(),
                    id.get().commandLine(), command);
        }
        new ProcessRecord(name, process.pid(), id.get().startTicks(), id.get().commandLine(), startedAt,
                stopGracePeriod, ProcessHandle.current().pid()).write(runDirectory);
    }

    void delete(String name) {
        try {
            Files.deleteIfExists(runDirectory.resolve(name + ProcessRecord.SUFFIX));
        } catch (IOException e) {
            LOG.warn("Cannot delete process record of {} in {}: {}", name, runDirectory, e.toString());
        }
    }

    /** One record file as found: the record, or empty if unreadable. */
    record Entry(Path file, Optional<ProcessRecord> record) {
    }

    /** Every record file (leftover temp files of an interrupted write are removed). */
    List<Entry> list() {
        List<Entry> entries = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(runDirectory, "*" + ProcessRecord.SUFFIX)) {
            for (Path file : files) {
                if (file.getFileName().toString().startsWith(".")) {
                    Files.deleteIfExists(file);
                    continue;
                }
                try {
                    entries.add(new Entry(file, Optional.of(ProcessRecord.fromJson(Files.readString(file)))));
                } catch (IOException | RuntimeException e) {
                    LOG.warn("Unreadable process record {}: {}", file, e.toString());
                    entries.add(new Entry(file, Optional.empty()));
                }
            }
        } catch (IOException e) {
            throw new ProcessException("Cannot read process records in " + runDirectory + ": " + e, e);
        }
        return entries;
    }

    void remove(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new ProcessException("Cannot remove process record " + file + ": " + e
                    + "; the run directory must be writable", e);
        }
    }
}
