package io.polykube.api.images;

import io.polykube.api.error.PolykubeException;
import java.nio.file.Path;
import java.util.List;

/**
 * The images of a {@code FULL} cluster's containerd (namespace {@code k8s.io}, the one kubelet uses). Nothing can be
 * pulled (no registry, and containerd is configured so that a pull fails locally instead of leaving the machine): load
 * images from tarballs, and give pods {@code imagePullPolicy: IfNotPresent} or {@code Never}. Loaded images are pinned,
 * so kubelet's image garbage collection never removes them.
 */
public interface Images {
    /** The pod sandbox image, built locally from polykube's pause program; the name containerd's CRI and kubelet expect. */
    String SANDBOX_IMAGE = "registry.k8s.io/pause:3.10";
    /** containerd's namespace for Kubernetes. */
    String NAMESPACE = "k8s.io";

    /**
     * A builder for a single-layer image made of local files, written as an OCI tarball; load it with {@link #load(Path)}.
     *
     * @param reference the image name with a tag, e.g. {@code polykube.local/web:1}
     */
    static ImageBuilder fromFiles(String reference) {
        return new ImageBuilder(reference);
    }

    /**
     * Imports an image tarball (OCI image layout, or {@code docker save} format) into every node and pins its images.
     *
     * @return the names of the imported images
     * @throws PolykubeException if the file is missing or containerd rejects it (with ctr's message)
     */
    List<String> load(Path tarball);

    /** The names of the images containerd holds for Kubernetes (on the first node; {@link #load} loads into every node). */
    List<String> list();

    /** Whether an image of this name is loaded on every node. */
    boolean contains(String reference);
}
