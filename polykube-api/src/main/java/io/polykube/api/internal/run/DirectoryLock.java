package io.polykube.api.internal.run;

import io.polykube.api.error.PolykubeException;
import io.polykube.api.layout.ClusterLayout;
import io.polykube.api.status.ClusterRecord;
import io.polykube.files.LockFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/** Holds a cluster directory for one running cluster, against other clusters in this JVM and in other processes. */
final class DirectoryLock implements AutoCloseable {
    private final LockFile lock;

    private DirectoryLock(LockFile lock) {
        this.lock = lock;
    }

    /** Takes the lock, or throws naming the cluster that holds the directory. */
    static DirectoryLock acquire(ClusterLayout layout) {
        Path file = layout.lockFile();
        Optional<LockFile> lock;
        layout.createPrivately();
        try {
            lock = LockFile.tryLock(file);
        } catch (IOException e) {
            throw new PolykubeException("cannot lock cluster directory " + layout.root() + " (" + e.getMessage()
                    + "): choose a writable directory with Cluster.builder().directory(..)", e);
        }
        if (lock.isEmpty()) {
            String owner = ClusterRecord.read(layout.clusterJson()).map(r -> "cluster '" + r.name() + "' (owner pid " + r.ownerPid() + ")")
                    .orElse("another cluster");
            throw new PolykubeException("directory " + layout.root() + " belongs to " + owner + ", which is running: stop it "
                    + "first (./polykube down, or close() it), or give this cluster another directory");
        }
        return new DirectoryLock(lock.get());
    }

    @Override
    public void close() {
        lock.close();
    }
}
