package io.polykube.cli;

import io.polykube.api.LogBundle;
import io.polykube.api.PolykubeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Writes a cluster's log bundle (like {@code kind export logs}). */
@Command(name = "export-logs", description = {"Write a cluster's logs to one .tar.gz in DIR (default: the current directory).",
        "Component, containerd and kubelet logs, pods' logs, events of all namespaces (when it runs), cluster.json,",
        "certificates' subjects and expiry (never a key) and versions. Prints the file's path."})
final class ExportLogsCommand implements Callable<Integer> {
    @Mixin
    ClusterOptions cluster;

    @Parameters(paramLabel = "DIR", arity = "0..1", description = "where to write the bundle (default: .)")
    Path outputDirectory;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        ClusterFiles files = new ClusterFiles(cluster.resolvedDirectory());
        if (!Files.isRegularFile(files.clusterJson())) {
            throw new PolykubeException("no cluster '" + cluster.name + "' in " + files.directory() + " (no cluster.json): check "
                    + "--name/--dir, or ./polykube list");
        }
        Path out = (outputDirectory != null ? outputDirectory : Path.of("")).toAbsolutePath().normalize();
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new IllegalArgumentException(out + " is not a directory: give the directory to write the bundle into");
        }
        Path bundle = LogBundle.ofDirectory(files.directory()).writeInto(out);
        spec.commandLine().getOut().println(bundle);
        return 0;
    }
}
