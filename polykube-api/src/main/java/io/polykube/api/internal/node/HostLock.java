package io.polykube.api.internal.node;

import io.polykube.api.error.HostBusyException;
import io.polykube.api.error.PolykubeException;
import io.polykube.api.spec.ClusterHostNames;
import io.polykube.files.AtomicFile;
import io.polykube.files.LockFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The host-wide lock of {@code FULL} clusters ({@code /run/polykube/full.lock}): one node per host, because kubelet,
 * kube-proxy and the iptables rules are host-wide. The kernel releases it when the owning JVM dies, so a crashed run
 * never blocks the next. The owner's name and directory are kept in {@code full.owner} for the refusal message and for
 * cleaning what a crashed owner left.
 */
final class HostLock implements AutoCloseable {
    static final Path DIR = ClusterHostNames.HOST_DIRECTORY;
    private static final Path LOCK = DIR.resolve("full.lock");
    private static final Path OWNER = DIR.resolve("full.owner");

    private final LockFile lock;

    private HostLock(LockFile lock) {
        this.lock = lock;
    }

    /** The owner recorded by the last holder: {@code name}, {@code directory} and {@code pid}, one per line. */
    record Owner(String name, Path directory, long pid) {
        static Optional<Owner> read() {
            try {
                String[] lines = Files.readString(OWNER).split("\n");
                return Optional.of(new Owner(lines[0], Path.of(lines[1]), Long.parseLong(lines[2].trim())));
            } catch (IOException | RuntimeException e) {
                return Optional.empty();
            }
        }
    }

    /**
     * Takes the lock for the cluster {@code name} in {@code directory}.
     *
     * @throws HostBusyException if another full cluster holds it, naming that cluster
     */
    static HostLock acquire(String name, Path directory) {
        Optional<LockFile> lock;
        try {
            Files.createDirectories(DIR);
            lock = LockFile.tryLock(LOCK);
        } catch (IOException e) {
            throw new PolykubeException("cannot take the host lock " + LOCK + " (" + e.getMessage() + "): run as root", e);
        }
        if (lock.isEmpty()) {
            String owner = Owner.read().map(o -> "cluster '" + o.name() + "' in " + o.directory() + " (pid " + o.pid() + ")")
                    .orElse("another polykube process");
            throw new HostBusyException("cannot start full cluster '" + name + "': " + owner + " already runs a full node on "
                    + "this host, and only one can (kubelet, kube-proxy and iptables are host-wide). Stop it first "
                    + "(close() it, or ./polykube down), or use Mode.CONTROL_PLANE, which can run side by side");
        }
        try {
            AtomicFile.at(OWNER).write(name + "\n" + directory.toAbsolutePath() + "\n" + ProcessHandle.current().pid() + "\n");
        } catch (IOException e) {
            lock.get().close();
            throw new PolykubeException("cannot take the host lock " + LOCK + " (" + e.getMessage() + "): run as root", e);
        }
        return new HostLock(lock.get());
    }

    @Override
    public void close() {
        try {
            Files.deleteIfExists(OWNER);
        } catch (IOException e) {
            // the lock goes away anyway; a stale owner file only names the last holder
        }
        lock.close();
    }
}
