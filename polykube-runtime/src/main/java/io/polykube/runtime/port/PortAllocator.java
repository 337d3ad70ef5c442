package io.polykube.runtime.port;

import io.polykube.files.LockFile;
import io.polykube.files.PrivateDirectory;

import io.polykube.runtime.ProcessException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Hands out free TCP ports that are really reserved, across JVMs: each port has a lock file
 * ({@code <lockDirectory>/<port>.lock}) held with a {@link LockFile} while the {@link ReservedPort}
 * is open, and the port must pass a bind check (on the address and on the wildcard address) when it
 * is handed out. Ports are drawn from a range below the kernel's ephemeral range (default 20000-32000),
 * so outgoing connections do not take them meanwhile.
 *
 * <p>The lock directory belongs to one user: {@code /run/polykube/ports} for root, else
 * {@code $XDG_RUNTIME_DIR/polykube/ports}, else {@code /tmp/polykube-ports-<uid>}. It is made {@code 0700} and refused
 * when another user owns it or could write in it, so nobody else can plant a lock file (a link or a hard link to a file
 * root would then write). Allocators of different users therefore do not see each other's reservations; the bind check
 * still keeps them off each other's listening ports.
 *
 * <p>Lock files are never deleted (deleting a lock file races with another process opening it).
 */
public final class PortAllocator {
    private static final Path ROOT_LOCK_DIRECTORY = Path.of("/run/polykube/ports");

    private final Path lockDirectory;
    private final InetAddress address;
    private final int firstPort;
    private final int lastPort;

    private PortAllocator(Path lockDirectory, InetAddress address, int firstPort, int lastPort) {
        this.lockDirectory = lockDirectory;
        this.address = address;
        this.firstPort = firstPort;
        this.lastPort = lastPort;
    }

    /** Ports on 127.0.0.1 from 20000-32000, locks under {@link #defaultLockDirectory()}. */
    public static PortAllocator create() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Path lockDirectory() {
        return lockDirectory;
    }

    /**
     * This user's lock directory: {@code /run/polykube/ports} for root, else {@code $XDG_RUNTIME_DIR/polykube/ports}
     * when that variable names a directory, else {@code /tmp/polykube-ports-<uid>}.
     *
     * @throws ProcessException if this process's user cannot be told
     */
    public static Path defaultLockDirectory() {
        int uid;
        try {
            uid = PrivateDirectory.currentUid();
        } catch (IOException e) {
            throw new ProcessException("cannot tell this process's user from /proc/self (" + e.getMessage()
                    + "): give the port lock directory explicitly (PortAllocator.builder().lockDirectory(...))", e);
        }
        if (uid == 0) {
            return ROOT_LOCK_DIRECTORY;
        }
        String runtime = System.getenv("XDG_RUNTIME_DIR");
        if (runtime != null && !runtime.isBlank() && Path.of(runtime).isAbsolute() && Files.isDirectory(Path.of(runtime))) {
            return Path.of(runtime, "polykube", "ports");
        }
        return Path.of("/tmp", "polykube-ports-" + uid);
    }

    /**
     * Reserves a free port.
     *
     * @throws ProcessException if no port of the range is free
     */
    public ReservedPort allocate() {
        int size = lastPort - firstPort + 1;
        int offset = ThreadLocalRandom.current().nextInt(size);
        for (int i = 0; i < size; i++) {
            int port = firstPort + (offset + i) % size;
            Optional<ReservedPort> reserved = tryReserve(port);
            if (reserved.isPresent()) {
                return reserved.get();
            }
        }
        throw new ProcessException("No free TCP port in " + firstPort + "-" + lastPort + " on " + address.getHostAddress()
                + " (all bound or reserved under " + lockDirectory + "); widen the range or release reservations");
    }

    /** Reserves a specific port if no allocator holds it and it can be bound now. */
    public Optional<ReservedPort> tryReserve(int port) {
        if (port < 1 || port > 65535) {
            throw new ProcessException("port must be 1..65535, got " + port);
        }
        Path file = lockDirectory.resolve(port + ".lock");
        Optional<LockFile> lock;
        try {
            lock = LockFile.tryLock(file);
        } catch (IOException e) {
            throw new ProcessException("Cannot lock port lock file " + file + ": " + e.getMessage()
                    + "; the lock directory " + lockDirectory + " must hold only this user's lock files", e);
        }
        if (lock.isEmpty()) {
            return Optional.empty(); // another allocator, in this JVM or another, holds it
        }
        if (!canBind(address, port) || (!address.isAnyLocalAddress() && !canBind(null, port))) {
            lock.get().close();
            return Optional.empty();
        }
        try {
            lock.get().write("pid " + ProcessHandle.current().pid() + "\n");
        } catch (IOException ignored) {
            // the lock is what matters; the content is informative
        }
        return Optional.of(new ReservedPort(address, port, lock.get()));
    }

    private static boolean canBind(InetAddress address, int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(address, port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Builder for a {@link PortAllocator}. */
    public static final class Builder {
        private Path lockDirectory;
        private InetAddress address = InetAddress.getLoopbackAddress();
        private int firstPort = 20000;
        private int lastPort = 32000;

        private Builder() {
        }

        /**
         * Directory of the per-port lock files (default {@link #defaultLockDirectory()}); all cooperating allocators must
         * use the same one. It must be this user's own and writable by nobody else; a missing one is made {@code 0700}.
         */
        public Builder lockDirectory(Path lockDirectory) {
            this.lockDirectory = lockDirectory;
            return this;
        }

        /** Address the bind check uses (default 127.0.0.1). */
        public Builder address(InetAddress address) {
            this.address = address;
            return this;
        }

        /** Inclusive range of ports to hand out. */
        public Builder range(int firstPort, int lastPort) {
            this.firstPort = firstPort;
            this.lastPort = lastPort;
            return this;
        }

        public PortAllocator build() {
            if (firstPort < 1 || lastPort > 65535 || firstPort > lastPort) {
                throw new ProcessException("PortAllocator.range must satisfy 1 <= first <= last <= 65535, got "
                        + firstPort + "-" + lastPort);
            }
            if (address == null) {
                throw new ProcessException("PortAllocator: address must not be null");
            }
            Path dir;
            try {
                dir = PrivateDirectory.ensure(lockDirectory != null ? lockDirectory : defaultLockDirectory(),
                        "the port lock directory");
            } catch (IOException e) {
                throw new ProcessException("PortAllocator.lockDirectory: " + e.getMessage(), e);
            }
            return new PortAllocator(dir, address, firstPort, lastPort);
        }
    }
}
