package io.polykube.api.internal.reuse;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.polykube.api.error.PolykubeException;
import io.polykube.api.layout.ClusterLayout;
import io.polykube.files.AtomicFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the owner of a reused cluster takes requests ({@code run/reuse.json}): its loopback port, its pid, the key of the
 * spec it runs; the token that authorizes a request is in {@code run/reuse.token} (0600, in the cluster's 0700 directory).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ReuseEndpoint(String key, int port, long ownerPid, long ownerStartedAtMillis, String idleTimeout) {
    private static final ObjectMapper JSON = new ObjectMapper();

    static Path file(ClusterLayout layout) {
        return layout.run().resolve("reuse.json");
    }

    static Path tokenFile(ClusterLayout layout) {
        return layout.run().resolve("reuse.token");
    }

    /**
     * The endpoint the directory records, if its owner is alive: the recorded pid runs and started when the record says
     * (so a pid the system gave to another process after the owner died does not count, and is never signalled). The
     * directory must be this user's own (its records are acted on).
     */
    public static Optional<ReuseEndpoint> read(ClusterLayout layout) {
        layout.checkOwnership();
        Path file = file(layout);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            ReuseEndpoint e = JSON.readValue(file.toFile(), ReuseEndpoint.class);
            if (e.port < 1 || e.port > 65535 || e.key == null || !e.key.matches("[0-9a-f]{64}")) {
                throw new PolykubeException(file + " is not a reused cluster's endpoint (bad port or key); delete the cluster: "
                        + "./polykube delete --dir " + layout.root());
            }
            return ProcessHandle.of(e.ownerPid).filter(ProcessHandle::isAlive).filter(p -> p.info().startInstant()
                    .map(t -> Math.abs(t.toEpochMilli() - e.ownerStartedAtMillis) < 2000).orElse(false)).map(p -> e);
        } catch (IOException ex) {
            return Optional.empty(); // being written, or removed as the owner stops
        }
    }

    /** When this process started, as {@link #ownerStartedAtMillis()} records it. */
    static long currentProcessStartMillis() {
        return ProcessHandle.current().info().startInstant().map(java.time.Instant::toEpochMilli).orElse(0L);
    }

    void write(ClusterLayout layout) {
        try {
            AtomicFile.at(file(layout)).write(out -> JSON.writeValue(out, this));
        } catch (IOException e) {
            throw new PolykubeException("cannot write " + file(layout) + ": " + e.getMessage(), e);
        }
    }
}
