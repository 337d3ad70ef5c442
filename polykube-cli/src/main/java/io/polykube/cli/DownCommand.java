package io.polykube.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Stops a cluster: asks its owner to stop it, or, when the owner is gone, stops what the cluster's records name. */
@Command(name = "down", description = "Stop a cluster and release what it owned (its directory keeps logs and data).")
final class DownCommand implements Callable<Integer> {
    @Mixin
    ClusterOptions cluster;

    @Override
    public Integer call() throws Exception {
        ClusterFiles files = new ClusterFiles(cluster.resolvedDirectory());
        if (!Files.isDirectory(files.directory())) {
            // most likely a misspelt --name or --dir: say so instead of reporting success
            throw new IllegalArgumentException("no cluster '" + cluster.name + "' in " + files.directory()
                    + ": nothing to stop. Check --name and --dir (./polykube list shows the clusters in the state directory)");
        }
        PrintWriter out = new PrintWriter(System.out, true);
        if (!new ClusterTeardown(files, cluster.name, out).stop()) {
            return 1;
        }
        out.println("[polykube] cluster '" + cluster.name + "' is down; logs and data stay in " + files.directory());
        return 0;
    }
}
