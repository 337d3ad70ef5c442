package io.polykube.cli;

import java.nio.file.Files;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Prints the admin kubeconfig's path. */
@Command(name = "kubeconfig", description = "Print the path of a cluster's admin kubeconfig.")
final class KubeconfigCommand implements Callable<Integer> {
    @Mixin
    ClusterOptions cluster;

    @Override
    public Integer call() {
        ClusterFiles files = new ClusterFiles(cluster.resolvedDirectory());
        if (!Files.isRegularFile(files.adminKubeconfig())) {
            System.err.println("[polykube] error: no kubeconfig for cluster '" + cluster.name + "' in " + files.directory()
                    + ": start it with ./polykube up --name " + cluster.name);
            return 1;
        }
        System.out.println(files.adminKubeconfig());
        return 0;
    }
}
