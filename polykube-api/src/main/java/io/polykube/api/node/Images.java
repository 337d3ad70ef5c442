package io.polykube.api.node;

import io.polykube.api.PolykubeException;
import io.polykube.api.internal.ClusterLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The images of a {@code FULL} cluster's containerd (namespace {@code k8s.io}, the one kubelet uses). Nothing can be
 * pulled (no registry, and containerd is configured so that a pull fails locally instead of leaving the machine): load
 * images from tarballs, and give pods {@code imagePullPolicy: IfNotPresent} or {@code Never}. Loaded images are pinned,
 * so kubelet's image garbage collection never removes them.
 */
public final class Images {
    /** The pod sandbox image, built locally from polykube's pause program; the name containerd's CRI and kubelet 1.34 expect. */
    public static final String SANDBOX_IMAGE = "registry.k8s.io/pause:3.10";
    /** containerd's namespace for Kubernetes. */
    public static final String NAMESPACE = "k8s.io";
    private static final Logger LOG = LoggerFactory.getLogger(Images.class);
    private static final Pattern UNPACKING = Pattern.compile("unpacking (\\S+) \\(sha256:[0-9a-f]+\\)");

    private final String clusterName;
    /** One containerd socket per node, the first node's first. */
    private final List<Path> sockets;

    Images(String clusterName, Path socket) {
        this(clusterName, List.of(socket));
    }

    Images(String clusterName, List<Path> sockets) {
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
        return new Images(record.clusterName(), sockets);
    }

    /**
     * A builder for a single-layer image made of local files, written as an OCI tarball; load it with {@link #load(Path)}.
     *
     * @param reference the image name with a tag, e.g. {@code polykube.local/web:1}
     */
    public static ImageBuilder fromFiles(String reference) {
        return new ImageBuilder(reference);
    }

    /** The sandbox image: polykube's pause program as {@code /pause}. */
    static ImageBuilder sandbox(Path pauseBinary) {
        return fromFiles(SANDBOX_IMAGE).file(pauseBinary, "/pause", 0755).entrypoint("/pause");
    }

    /**
     * Imports an image tarball (OCI image layout, or {@code docker save} format) into every node and pins its images.
     *
     * @return the names of the imported images
     * @throws PolykubeException if the file is missing or containerd rejects it (with ctr's message)
     */
    public List<String> load(Path tarball) {
        if (!Files.isRegularFile(tarball)) {
            throw new PolykubeException("cannot load image tarball " + tarball + ": no such file");
        }
        long t0 = System.nanoTime();
        List<String> names = new ArrayList<>();
        for (Path socket : sockets) {
            HostCommand.Result r = ctr(socket, "images", "import", tarball.toAbsolutePath().toString())
                    .orThrow("load image tarball " + tarball + " into cluster '" + clusterName + "'");
            List<String> imported = new ArrayList<>();
            Matcher m = UNPACKING.matcher(r.output());
            while (m.find()) {
                imported.add(m.group(1));
            }
            for (String name : imported) {
                ctr(socket, "images", "label", name, "io.cri-containerd.pinned=pinned").orThrow("pin image " + name);
            }
            if (names.isEmpty()) {
                names.addAll(imported);
            }
        }
        LOG.info("Cluster '{}': loaded {} from {} in {} ms", clusterName, names, tarball, (System.nanoTime() - t0) / 1_000_000);
        return List.copyOf(names);
    }

    /** The names of the images containerd holds for Kubernetes (on the first node; {@link #load} loads into every node). */
    public List<String> list() {
        return list(sockets.get(0));
    }

    private List<String> list(Path socket) {
        HostCommand.Result r = ctr(socket, "images", "list", "-q").orThrow("list the images of cluster '" + clusterName + "'");
        return Arrays.stream(r.output().split("\n")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    /** Whether an image of this name is loaded on every node. */
    public boolean contains(String reference) {
        return sockets.stream().allMatch(s -> list(s).contains(reference));
    }

    HostCommand.Result ctr(String... args) {
        return ctr(sockets.get(0), args);
    }

    private static HostCommand.Result ctr(Path socket, String... args) {
        List<String> command = new ArrayList<>(List.of("ctr", "--address", socket.toString(), "--namespace", NAMESPACE));
        command.addAll(List.of(args));
        return HostCommand.run(command);
    }
}
