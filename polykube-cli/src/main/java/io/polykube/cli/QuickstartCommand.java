package io.polykube.cli;

import io.polykube.api.Cluster;
import io.polykube.api.ClusterSpec;
import io.polykube.api.Mode;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The lab of the seed, end to end, on a fresh FULL cluster: its directory is removed first (its cluster stopped), so every
 * run starts the same, whatever an earlier one left (passed, failed, interrupted or killed).
 */
@Command(name = "quickstart", description = {"Build a fresh FULL cluster and run the lab on it: deploy, reach, exec, logs, "
        + "expose, scale.", "Its cluster is named '" + QuickstartCommand.DEFAULT_NAME + "' unless --name is given; its "
        + "directory is removed first, so every run starts from nothing."})
final class QuickstartCommand implements Callable<Integer> {
    /** The quickstart's own cluster, so that a run never removes the directory of the default cluster of {@code up}. */
    static final String DEFAULT_NAME = "quickstart";

    @Mixin
    ClusterOptions cluster;

    @Spec
    CommandSpec command;

    @Option(names = "--keep", description = "leave the cluster running afterwards, owned by a background process like 'up'")
    boolean keep;

    @Override
    public Integer call() throws Exception {
        if (cluster.mode != null && ClusterOptions.parseMode(cluster.mode) != Mode.FULL) {
            throw new IllegalArgumentException("quickstart runs pods: it needs --mode full (the default as root)");
        }
        if (!command.commandLine().getParseResult().hasMatchedOption("--name")) {
            cluster.name = DEFAULT_NAME;
        }
        ClusterSpec spec = ClusterOptions.validated(cluster.builder().mode(Mode.FULL));
        if (!new ClusterTeardown(new ClusterFiles(spec.directory()), spec.name(), new PrintWriter(System.out, true))
                .clearForFreshStart("run the lab on a fresh cluster")) {
            return 1;
        }
        long t0 = System.nanoTime();
        System.out.println("[polykube] quickstart: starting FULL cluster '" + spec.name() + "' in " + spec.directory());
        try (Cluster running = spec.start()) {
            System.out.println("[polykube] cluster ready in " + millisSince(t0) + " ms");
            QuickStart.run(running, System.out);
            System.out.println("[polykube] quickstart passed in " + millisSince(t0) + " ms");
        }
        if (!keep) {
            System.out.println("[polykube] the cluster is stopped (--keep leaves it running); its logs stay in " + spec.directory()
                    + "/logs");
            return 0;
        }
        // The cluster was owned by this JVM; hand it to a background owner. Its data is kept, so blue comes back (until the
        // next quickstart, which starts from nothing again).
        System.out.println("[polykube] --keep: handing the cluster to a background owner");
        return new CommandLine(new UpCommand()).execute("--name", spec.name(), "--dir", spec.directory().toString(), "--mode", "full");
    }

    private static long millisSince(long t0) {
        return Duration.ofNanos(System.nanoTime() - t0).toMillis();
    }
}
