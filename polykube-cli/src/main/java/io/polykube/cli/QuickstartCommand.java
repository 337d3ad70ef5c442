package io.polykube.cli;

import io.polykube.api.Cluster;
import io.polykube.api.ClusterSpec;
import io.polykube.api.Mode;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The lab of the seed, end to end, on a fresh FULL cluster. */
@Command(name = "quickstart", description = "Build a FULL cluster and run the lab on it: deploy, reach, exec, logs, expose, scale.")
final class QuickstartCommand implements Callable<Integer> {
    @Mixin
    ClusterOptions cluster;

    @Option(names = "--keep", description = "leave the cluster running afterwards, owned by a background process like 'up'")
    boolean keep;

    @Override
    public Integer call() {
        if (cluster.mode != null && ClusterOptions.parseMode(cluster.mode) != Mode.FULL) {
            throw new IllegalArgumentException("quickstart runs pods: it needs --mode full (the default as root)");
        }
        ClusterSpec spec = ClusterOptions.validated(cluster.builder().mode(Mode.FULL));
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
        // The cluster was owned by this JVM; hand it to a background owner. Its data is kept, so blue comes back.
        System.out.println("[polykube] --keep: handing the cluster to a background owner");
        return new CommandLine(new UpCommand()).execute("--name", spec.name(), "--dir", spec.directory().toString(), "--mode", "full");
    }

    private static long millisSince(long t0) {
        return Duration.ofNanos(System.nanoTime() - t0).toMillis();
    }
}
