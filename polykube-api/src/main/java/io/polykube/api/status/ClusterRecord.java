package io.polykube.api.status;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.polykube.api.error.PolykubeException;
import io.polykube.files.AtomicFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code cluster.json} says about a cluster: its spec in brief, ports, state and processes. Written atomically at every
 * change; read by {@code polykube status} and by the next start (to reuse ports, and to refuse a Kubernetes downgrade).
 * {@code kubernetesVersion} is the version the directory last ran, {@code madeWithVersion} the one it was made with
 * (null in records written before polykube recorded it).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ClusterRecord(
        String name,
        String mode,
        String kubernetesVersion,
        String directory,
        String state,
        String apiServerUrl,
        Map<PortName, Integer> ports,
        List<ComponentRecord> components,
        Long ownerPid,
        Instant ownerStartedAt,
        Instant updatedAt,
        String madeWithVersion) {

    /** One component as last seen. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ComponentRecord(String name, String state, Long pid, Integer port, int restarts, Instant startedAt,
            Instant readyAt) {
    }

    /** When the current process started (recorded with its pid to tell it from a later process with the same pid). */
    public static Instant currentProcessStart() {
        return ProcessHandle.current().info().startInstant().orElse(null);
    }

    /**
     * The live process that owns the cluster: the recorded pid must run and have started when the record says (so a pid
     * reused by an unrelated process after a crash does not count).
     */
    public Optional<ProcessHandle> owner() {
        if (ownerPid == null) {
            return Optional.empty();
        }
        return ProcessHandle.of(ownerPid).filter(ProcessHandle::isAlive).filter(p -> ownerStartedAt == null
                || p.info().startInstant().map(t -> Math.abs(t.toEpochMilli() - ownerStartedAt.toEpochMilli()) < 2000).orElse(true));
    }

    /** Whether a live owner reports the cluster as running. */
    public boolean running() {
        return "RUNNING".equals(state) && owner().isPresent();
    }

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).enable(SerializationFeature.INDENT_OUTPUT);

    public static Optional<ClusterRecord> read(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(file.toFile(), ClusterRecord.class));
        } catch (IOException e) {
            throw new PolykubeException("cannot read " + file + " (" + e.getMessage() + "): it is not a polykube cluster record; "
                    + "remove it if the cluster is gone", e);
        }
    }

    public void write(Path file) {
        try {
            AtomicFile.at(file).write(out -> JSON.writeValue(out, this));
        } catch (IOException e) {
            throw new PolykubeException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
