package io.polykube.cli;

import io.polykube.api.PolykubeException;
import io.polykube.api.node.Images;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** Imports an image tarball into a running FULL cluster's containerd. */
@Command(name = "load", description = "Import an image tarball (OCI layout or docker save) into a running FULL cluster.")
final class LoadCommand implements Callable<Integer> {
    @Mixin
    ClusterOptions cluster;

    @Parameters(paramLabel = "IMAGE.tar", description = "the image tarball")
    Path tarball;

    @Override
    public Integer call() {
        if (!Files.isRegularFile(tarball)) {
            throw new IllegalArgumentException(tarball + " is not a file: give the path of an image tarball "
                    + "(an OCI layout or 'docker save' output)");
        }
        ClusterFiles files = new ClusterFiles(cluster.resolvedDirectory());
        if (!files.running()) {
            throw new PolykubeException("cluster '" + cluster.name + "' is not running: start it with ./polykube up --name "
                    + cluster.name + " --mode full");
        }
        List<String> loaded = Images.ofClusterDirectory(files.directory()).load(tarball.toAbsolutePath());
        loaded.forEach(image -> System.out.println("[polykube] loaded " + image + " (use it with imagePullPolicy: IfNotPresent)"));
        return 0;
    }
}
