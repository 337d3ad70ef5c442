package io.polykube.cli;

import io.polykube.api.internal.ClusterRecord;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Shows a cluster's components: pid, port, state, restarts, uptime. */
@Command(name = "status", description = {"Show each component of a cluster.",
        "Exit code 0 when it runs, 3 when it does not (or there is none)."})
final class StatusCommand implements Callable<Integer> {
    static final int NOT_RUNNING = 3;

    @Mixin
    ClusterOptions cluster;

    @Option(names = {"-o", "--output"}, description = "table, json or yaml (default: ${DEFAULT-VALUE})", defaultValue = "table")
    OutputFormat output;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        ClusterFiles files = new ClusterFiles(cluster.resolvedDirectory());
        Optional<ClusterRecord> found = files.record();
        if (found.isEmpty()) {
            spec.commandLine().getErr().println("[polykube] no cluster '" + cluster.name + "' in " + files.directory()
                    + " (start one with ./polykube up)");
            return NOT_RUNNING;
        }
        ClusterView v = ClusterView.of(found.get(), files, Instant.now());
        if (output != OutputFormat.TABLE) {
            out.println(output.write(v));
            return v.running() ? 0 : NOT_RUNNING;
        }
        out.printf("cluster %s: %s (%s, Kubernetes %s)%n", v.name(), v.running() ? "RUNNING"
                : "NOT RUNNING: " + v.state() + " (last: " + v.lastRecordedState() + ")", v.mode(), v.kubernetesVersion());
        out.printf("  api server %s, directory %s%n", v.apiServerUrl(), v.directory());
        out.printf("  %-24s %-10s %8s %6s %8s %10s%n", "COMPONENT", "STATE", "PID", "PORT", "RESTARTS", "UPTIME");
        for (ClusterView.Component c : v.components()) {
            out.printf("  %-24s %-10s %8s %6s %8d %10s%n", c.name(), c.state(), c.pid() == null ? "-" : c.pid(),
                    c.port() == null ? "-" : c.port(), c.restarts(), ClusterView.age(c.uptimeSeconds()));
        }
        if (v.running()) {
            out.println("export KUBECONFIG=" + files.adminKubeconfig());
        }
        return v.running() ? 0 : NOT_RUNNING;
    }
}
