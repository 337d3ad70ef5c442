package io.polykube.runtime.port;

import io.polykube.files.LockFile;
import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A TCP port reserved for this process: no other {@link PortAllocator} (in any JVM using the same
 * lock directory) hands it out until {@link #close()}. Hand the port to the server that binds it,
 * then close the reservation once the server has bound it (or keep it for the server's lifetime).
 */
public final class ReservedPort implements AutoCloseable {
    private final InetAddress address;
    private final int port;
    private final LockFile lock;
    private final AtomicBoolean closed = new AtomicBoolean();

    ReservedPort(InetAddress address, int port, LockFile lock) {
        this.address = address;
        this.port = port;
        this.lock = lock;
    }

    public int port() {
        return port;
    }

    /** The address the port was checked on (127.0.0.1 by default). */
    public InetAddress address() {
        return address;
    }

    /** {@code host:port}, e.g. {@code 127.0.0.1:23456}. */
    public String hostAndPort() {
        return address.getHostAddress() + ":" + port;
    }

    public boolean isReserved() {
        return !closed.get();
    }

    /** Releases the reservation; idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            lock.close();
        }
    }

    @Override
    public String toString() {
        return "ReservedPort[" + hostAndPort() + (isReserved() ? "" : ", released") + "]";
    }
}
