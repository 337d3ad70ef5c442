package io.polykube.runtime.process;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Exclusive ownership of a run directory ({@code supervisor.lock}), so two supervisors never reap each other's processes. */
final class RunDirectoryLock implements AutoCloseable {
    static final String FILE = "supervisor.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private RunDirectoryLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
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
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new ProcessException("Cannot open " + file + ": " + e + "; the run directory must be writable", e);
        }
        try {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                String owner = readOwner(file);
                channel.close();
                throw new ProcessException("Run directory " + runDirectory + " is in use by another supervisor (pid "
                        + owner + "); stop it first or use another run directory");
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.US_ASCII)), 0);
            return new RunDirectoryLock(channel, lock);
        } catch (OverlappingFileLockException e) {
            closeQuietly(channel);
            throw new ProcessException("Run directory " + runDirectory
                    + " is in use by another Supervisor in this JVM; stop it first or use another run directory", e);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new ProcessException("Cannot lock " + file + ": " + e, e);
        }
    }

    private static String readOwner(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel releases it anyway
        }
        closeQuietly(channel);
    }
}
