package io.polykube.runtime.process;

import io.polykube.files.LockFile;
import io.polykube.runtime.ProcessException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Exclusive ownership of a run directory ({@code supervisor.lock}), so two supervisors never reap each other's processes. */
final class RunDirectoryLock implements AutoCloseable {
    static final String FILE = "supervisor.lock";

    private final LockFile lock;

    private RunDirectoryLock(LockFile lock) {
        this.lock = lock;
    }

    static RunDirectoryLock acquire(Path runDirectory) {
        try {
            Files.createDirectories(runDirectory);
        } catch (IOException e) {
            throw new ProcessException("Cannot create run directory " + runDirectory + ": " + e
                    + "; choose a writable directory", e);
        }
        Path file = runDirectory.resolve(FILE);
        Optional<LockFile> lock;
        try {
            lock = LockFile.tryLock(file);
        } catch (IOException e) {
            throw new ProcessException("Cannot lock " + file + ": " + e + "; the run directory must be writable", e);
        }
        if (lock.isEmpty()) {
            String self = Long.toString(ProcessHandle.current().pid());
            String owner = readOwner(file);
            if (owner.equals(self)) {
                throw new ProcessException("Run directory " + runDirectory
                        + " is in use by another Supervisor in this JVM; stop it first or use another run directory");
            }
            throw new ProcessException("Run directory " + runDirectory + " is in use by another supervisor (pid "
                    + owner + "); stop it first or use another run directory");
        }
        try {
            lock.get().write(Long.toString(ProcessHandle.current().pid()));
        } catch (IOException e) {
            lock.get().close();
            throw new ProcessException("Cannot lock " + file + ": " + e, e);
        }
        return new RunDirectoryLock(lock.get());
    }

    private static String readOwner(Path file) {
        try {
            return LockFile.readNote(file).map(String::trim).orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    @Override
    public void close() {
        lock.close();
    }
}
