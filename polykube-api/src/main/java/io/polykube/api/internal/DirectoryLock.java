package io.polykube.api.internal;

import io.polykube.api.PolykubeException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Holds a cluster directory for one running cluster, against other clusters in this JVM and in other processes. */
final class DirectoryLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private DirectoryLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the lock, or throws naming the cluster that holds the directory. */
    static DirectoryLock acquire(ClusterLayout layout) {
        Path file = layout.lockFile();
        try {
            Files.createDirectories(layout.root());
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                channel.close();
                String owner = ClusterRecord.read(layout.clusterJson()).map(r -> "cluster '" + r.name() + "' (owner pid " + r.ownerPid() + ")")
                        .orElse("another cluster");
                throw new PolykubeException("directory " + layout.root() + " belongs to " + owner + ", which is running: stop it "
                        + "first (./polykube down, or close() it), or give this cluster another directory");
            }
            return new DirectoryLock(channel, lock);
        } catch (IOException e) {
            throw new PolykubeException("cannot lock cluster directory " + layout.root() + " (" + e.getMessage()
                    + "): choose a writable directory with Cluster.builder().directory(..)", e);
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // closing the channel releases the lock; nothing else to do
        }
    }
}
