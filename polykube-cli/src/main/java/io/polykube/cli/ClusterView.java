package io.polykube.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.polykube.api.internal.ClusterRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** A cluster as {@code status} and {@code list} print it (also as JSON or YAML). */
@JsonInclude(JsonInclude.Include.NON_NULL)
record ClusterView(String name, String mode, String state, String lastRecordedState, String kubernetesVersion, String apiServerUrl,
        String directory, String kubeconfig, Long ownerPid, Instant startedAt, Long ageSeconds, List<Component> components) {

    /** One component; uptime only while the cluster runs. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Component(String name, String state, Long pid, Integer port, int restarts, Long uptimeSeconds) {
    }

    static ClusterView of(ClusterRecord r, ClusterFiles files, Instant now) {
        ClusterFiles.Liveness liveness = ClusterFiles.liveness(r);
        boolean running = liveness == ClusterFiles.Liveness.RUNNING;
        List<Component> components = r.components() == null ? List.of() : r.components().stream()
                .map(c -> new Component(c.name(), running ? c.state() : "-", running ? c.pid() : null, c.port(), c.restarts(),
                        running && c.readyAt() != null ? seconds(c.readyAt(), now) : null))
                .toList();
        Instant started = r.ownerStartedAt();
        return new ClusterView(r.name(), r.mode() == null ? null : r.mode().toLowerCase().replace('_', '-'), liveness.text, r.state(),
                r.kubernetesVersion(), r.apiServerUrl(), files.directory().toString(), files.adminKubeconfig().toString(),
                r.ownerPid(), started, started == null ? null : seconds(started, now), components);
    }

    boolean running() {
        return ClusterFiles.Liveness.RUNNING.text.equals(state);
    }

    private static long seconds(Instant from, Instant to) {
        return Math.max(0, Duration.between(from, to).getSeconds());
    }

    /** {@code 42s}, {@code 3m05s}, {@code 2h10m}, {@code 3d4h}. */
    static String age(Long seconds) {
        if (seconds == null) {
            return "-";
        }
        long s = seconds;
        return s < 60 ? s + "s" : s < 3600 ? (s / 60) + "m" + String.format("%02d", s % 60) + "s"
                : s < 86400 ? (s / 3600) + "h" + (s % 3600 / 60) + "m" : (s / 86400) + "d" + (s % 86400 / 3600) + "h";
    }
}
