package io.polykube.samples.cli;

import io.polykube.api.internal.ClusterRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Shows a cluster's components: pid, port, state, restarts, uptime. */
@Command(name = "status", description = "Show each component of a cluster.")
final class StatusCommand implements Callable<Integer> {
    @Mixin
    ClusterOptions cluster;

    @Override
    public Integer call() {
        ClusterFiles files = new ClusterFiles(cluster.resolvedDirectory());
        Optional<ClusterRecord> found = files.record();
        if (found.isEmpty()) {
            System.out.println("[polykube] no cluster '" + cluster.name + "' in " + files.directory() + " (start one with ./polykube up)");
            return 3;
        }
        ClusterRecord r = found.get();
        boolean running = r.running();
        System.out.printf("cluster %s: %s (%s, Kubernetes %s)%n", r.name(), running ? "RUNNING" : "NOT RUNNING (last: " + r.state() + ")",
                r.mode(), r.kubernetesVersion());
        System.out.printf("  api server %s, directory %s%n", r.apiServerUrl(), r.directory());
        System.out.printf("  %-24s %-10s %8s %6s %8s %10s%n", "COMPONENT", "STATE", "PID", "PORT", "RESTARTS", "UPTIME");
        for (ClusterRecord.ComponentRecord c : r.components()) {
            String uptime = running && c.readyAt() != null ? format(Duration.between(c.readyAt(), Instant.now())) : "-";
            System.out.printf("  %-24s %-10s %8s %6s %8d %10s%n", c.name(), running ? c.state() : "-", c.pid() == null ? "-" : c.pid(),
                    c.port() == null ? "-" : c.port(), c.restarts(), uptime);
        }
        if (running) {
            System.out.println("export KUBECONFIG=" + files.adminKubeconfig());
        }
        return running ? 0 : 3;
    }

    private static String format(Duration d) {
        long s = d.getSeconds();
        return s < 60 ? s + "s" : s < 3600 ? (s / 60) + "m" + (s % 60) + "s" : (s / 3600) + "h" + (s % 3600 / 60) + "m";
    }
}
