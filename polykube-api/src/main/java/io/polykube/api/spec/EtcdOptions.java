package io.polykube.api.spec;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/** How etcd runs. */
public record EtcdOptions(boolean unsafeNoFsync, Optional<Path> dataDirectory, OptionalInt clientPort, OptionalInt peerPort,
        FlagOptions flags) {
    public EtcdOptions {
        Objects.requireNonNull(dataDirectory, "dataDirectory");
        dataDirectory.ifPresent(d -> {
            if (!d.isAbsolute()) {
                throw new IllegalArgumentException("etcd dataDirectory must be an absolute path, got '" + d + "'");
            }
        });
        clientPort.ifPresent(p -> Ports.check("etcd clientPort", p));
        peerPort.ifPresent(p -> Ports.check("etcd peerPort", p));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Collects {@link EtcdOptions}; by default etcd fsyncs, keeps its data in {@code <cluster>/etcd} and gets free ports. */
    public static final class Builder {
        private boolean unsafeNoFsync;
        private Path dataDirectory;
        private Integer clientPort;
        private Integer peerPort;
        private final FlagOptions.Collector flags = new FlagOptions.Collector("etcd");

        /** Skips fsync: much faster writes, data lost if the machine crashes. Good for tests. */
        public Builder unsafeNoFsync(boolean unsafeNoFsync) {
            this.unsafeNoFsync = unsafeNoFsync;
            return this;
        }

        /** Where etcd keeps its data, for example on a tmpfs such as {@code /dev/shm/my-cluster}. */
        public Builder dataDirectory(Path dataDirectory) {
            this.dataDirectory = Objects.requireNonNull(dataDirectory, "dataDirectory");
            return this;
        }

        public Builder clientPort(int port) {
            this.clientPort = port;
            return this;
        }

        public Builder peerPort(int port) {
            this.peerPort = port;
            return this;
        }

        /** An extra etcd flag, e.g. {@code flag("quota-backend-bytes", "8589934592")}. */
        public Builder flag(String name, String value) {
            flags.flag(name, value);
            return this;
        }

        public EtcdOptions build() {
            return new EtcdOptions(unsafeNoFsync, Optional.ofNullable(dataDirectory),
                    clientPort == null ? OptionalInt.empty() : OptionalInt.of(clientPort),
                    peerPort == null ? OptionalInt.empty() : OptionalInt.of(peerPort), flags.build());
        }
    }
}
