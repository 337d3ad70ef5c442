package io.polykube.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Stops a cluster if it runs, then removes its directory and everything it owned. */
@Command(name = "delete", description = {"Stop a cluster if it runs, then remove its directory.",
        "Removes the PKI, etcd data, logs and what it owned on the host. Refused while another live process (not the",
        "owner started by up) runs it."})
final class DeleteCommand implements Callable<Integer> {
    @Mixin
    ClusterOptions cluster;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        ClusterFiles files = new ClusterFiles(cluster.resolvedDirectory());
        if (!Files.isDirectory(files.directory())) {
            out.println("[polykube] no cluster '" + cluster.name + "' in " + files.directory() + ": nothing to delete");
            return 0;
        }
        ClusterTeardown teardown = new ClusterTeardown(files, cluster.name, out);
        if (!ClusterTeardown.looksLikeClusterDirectory(files.directory())) {
            teardown.removeDirectory(); // throws: says why nothing is removed
        }
        teardown.refuseIfOwnedByAnotherProcess("delete");
        if (!teardown.stop()) {
            spec.commandLine().getErr().println("[polykube] error: host state of cluster '" + cluster.name
                    + "' is left (see above); its directory is kept so ./polykube delete can try again");
            return 1;
        }
        teardown.refuseIfOwnedByAnotherProcess("delete"); // a process that took it meanwhile
        teardown.removeDirectory();
        out.println("[polykube] deleted cluster '" + cluster.name + "' and its directory " + files.directory());
        return 0;
    }
}
