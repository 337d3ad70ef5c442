package io.polykube.cli;

import io.polykube.api.spec.ClusterSpec;
import io.polykube.api.status.ClusterRecord;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Lists the clusters under the state directory. */
@Command(name = "list", description = {"List the clusters on this machine (under the state directory).",
        "Columns: name, mode, state (running, stopped, or stale owner: its owner died without stopping it; down or delete",
        "cleans up), age since its last start, API server URL."})
final class ListCommand implements Callable<Integer> {
    @Option(names = "--state-dir", description = "where the cluster directories are (default: $XDG_STATE_HOME/polykube or "
            + "~/.local/state/polykube)")
    Path stateDirectory;

    @Option(names = {"-o", "--output"}, description = "table, json or yaml (default: ${DEFAULT-VALUE})", defaultValue = "table")
    OutputFormat output;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        Path base = stateDirectory != null ? stateDirectory.toAbsolutePath().normalize() : defaultStateDirectory();
        List<ClusterView> clusters = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        Instant now = Instant.now();
        if (Files.isDirectory(base)) {
            try (Stream<Path> children = Files.list(base)) {
                for (Path dir : children.filter(Files::isDirectory).sorted().toList()) {
                    ClusterFiles files = new ClusterFiles(dir);
                    try {
                        files.layout().checkOwnership();
                        Optional<ClusterRecord> record = files.record();
                        record.ifPresent(r -> clusters.add(ClusterView.of(r, files, now)));
                    } catch (RuntimeException e) {
                        unreadable.add(dir + ": " + e.getMessage());
                    }
                }
            }
        }
        unreadable.forEach(u -> spec.commandLine().getErr().println("[polykube] skipped " + u));
        PrintWriter out = spec.commandLine().getOut();
        if (output != OutputFormat.TABLE) {
            out.println(output.write(clusters));
            return 0;
        }
        if (clusters.isEmpty()) {
            out.println("no clusters in " + base + " (start one with ./polykube up)");
            return 0;
        }
        out.printf("%-16s %-13s %-10s %-11s %8s  %s%n", "NAME", "MODE", "KUBERNETES", "STATE", "AGE", "API SERVER");
        for (ClusterView c : clusters) {
            out.printf("%-16s %-13s %-10s %-11s %8s  %s%n", c.name(), c.mode(), c.kubernetesVersion(), c.state(),
                    ClusterView.age(c.ageSeconds()), c.apiServerUrl());
        }
        return 0;
    }

    /** The parent of every default cluster directory. */
    static Path defaultStateDirectory() {
        return ClusterSpec.defaultDirectory("x").getParent();
    }
}
