package io.polykube.api.internal.node;

import io.polykube.api.error.PolykubeException;
import io.polykube.api.images.ImageBuilder;
import io.polykube.api.images.Images;
import io.polykube.api.layout.ClusterLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link Images} through {@code ctr}, on the containerd socket of every node of a {@code FULL} cluster. */
public final class NodeImages implements Images {
    private static final Logger LOG = LoggerFactory.getLogger(NodeImages.class);

    private final String clusterName;
    /** One containerd socket per node, the first node's first. */
    private final List<Path> sockets;

    NodeImages(String clusterName, Path socket) {
        this(clusterName, List.of(socket));
    }

    NodeImages(String clusterName, List<Path> sockets) {
        if (sockets.isEmpty()) {
            throw new IllegalArgumentException("no containerd socket");
        }
        this.clusterName = clusterName;
        this.sockets = List.copyOf(sockets);
    }

    /**
     * The images of the FULL cluster kept in {@code clusterDirectory}, for a process other than the one running it (for
     * example {@code ./polykube load}).
     *
     * @throws PolykubeException if the directory holds no FULL cluster's node
     */
    public static Images ofClusterDirectory(Path clusterDirectory) {
        NodeRecord record = NodeRecord.read(new ClusterLayout(clusterDirectory).node().root()).orElseThrow(() ->
                new PolykubeException("no node in " + clusterDirectory + ": images live in FULL clusters; start one with "
                        + "./polykube up --mode full"));
        List<Path> sockets = new ArrayList<>(List.of(Path.of(record.socket())));
        record.workers().forEach(w -> sockets.add(Path.of(w.socket())));
        return new NodeImages(record.clusterName(), sockets);
    }

    /** The sandbox image: polykube's pause program as {@code /pause}. */
    static ImageBuilder sandbox(Path pauseBinary) {
        return Images.fromFiles(SANDBOX_IMAGE).file(pauseBinary, "/pause", 0755).entrypoint("/pause");
    }

    @Override
    public List<String> load(Path tarball) {
        if (!Files.isRegularFile(tarball)) {
            throw new PolykubeException("cannot load image tarball " + tarball + ": no such file");
        }
        long t0 = System.nanoTime();
        List<String> names = ImageTarball.names(tarball);
        if (names.isEmpty()) {
            throw new PolykubeException("image tarball " + tarball + " names no image (no io.containerd.image.name annotation in "
                    + "index.json, no RepoTags in manifest.json): build it with Images.fromFiles(\"polykube.local/NAME:TAG\") or "
                    + "docker save NAME:TAG");
        }
        for (Path socket : sockets) {
            ctr(socket, "images", "import", tarball.toAbsolutePath().toString())
                    .orThrow("load image tarball " + tarball + " into cluster '" + clusterName + "'");
            for (String name : names) {
                ctr(socket, "images", "label", name, "io.cri-containerd.pinned=pinned").orThrow("pin image " + name);
            }
        }
        LOG.info("Cluster '{}': loaded {} from {} in {} ms", clusterName, names, tarball, (System.nanoTime() - t0) / 1_000_000);
        return List.copyOf(names);
    }

    @Override
    public List<String> list() {
        return list(sockets.get(0));
    }

    private List<String> list(Path socket) {
        HostCommand.Result r = ctr(socket, "images", "list", "-q").orThrow("list the images of cluster '" + clusterName + "'");
        return Arrays.stream(r.output().split("\n")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    @Override
    public boolean contains(String reference) {
        return sockets.stream().allMatch(s -> list(s).contains(reference));
    }

    HostCommand.Result ctr(String... args) {
        return ctr(sockets.get(0), args);
    }

    private static HostCommand.Result ctr(Path socket, String... args) {
        List<String> command = new ArrayList<>(List.of(NodeRuntimeTools.ctr().toString(), "--address", socket.toString(), "--namespace", NAMESPACE));
        command.addAll(List.of(args));
        return HostCommand.run(command);
    }
}
