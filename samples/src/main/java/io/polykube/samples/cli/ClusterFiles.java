package io.polykube.samples.cli;

import io.polykube.api.internal.ClusterRecord;
import java.nio.file.Path;
import java.util.Optional;

/** What a cluster directory tells about the cluster in it. */
record ClusterFiles(Path directory) {

    Path clusterJson() {
        return directory.resolve("cluster.json");
    }

    Path adminKubeconfig() {
        return directory.resolve("kubeconfig").resolve("admin.kubeconfig");
    }

    Path supervisorLog() {
        return directory.resolve("logs").resolve("supervisor.log");
    }

    Path runDirectory() {
        return directory.resolve("run");
    }

    Optional<ClusterRecord> record() {
        return ClusterRecord.read(clusterJson());
    }

    Optional<ProcessHandle> owner() {
        return record().flatMap(ClusterRecord::owner);
    }

    boolean running() {
        return record().map(ClusterRecord::running).orElse(false);
    }
}
