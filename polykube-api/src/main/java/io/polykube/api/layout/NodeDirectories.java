package io.polykube.api.layout;

import io.polykube.api.spec.ClusterHostNames;
import java.nio.file.Path;
import java.util.List;

/**
 * The layout of one node's directory ({@code <cluster>/node} for the first node, {@code node/workers/<name>} for a worker;
 * see {@code ClusterLayout.node()} and {@code ClusterLayout.worker(..)}): every path under it is made here.
 */
public record NodeDirectories(Path root) {

    /** What the node put on the host ({@code host.json}), for cleaning after a crash. */
    public Path hostRecord() {
        return root.resolve("host.json");
    }

    public Path containerdRoot() {
        return root.resolve("containerd").resolve("root");
    }

    public Path containerdState() {
        return root.resolve("containerd").resolve("state");
    }

    /** containerd's socket when the path is short enough for one (else under {@code /run/polykube}, see {@link ClusterHostNames}). */
    public Path containerdSocket() {
        return root.resolve("containerd").resolve("containerd.sock");
    }

    /** runc's state of the node's containers. */
    public Path runcRoot() {
        return containerdState().resolve("runc");
    }

    /** The shims' task bundles (each holds its socket's {@code address}). */
    public Path shimTasks() {
        return containerdState().resolve("io.containerd.runtime.v2.task");
    }

    /** kubelet's {@code --root-dir}. */
    public Path kubeletRoot() {
        return root.resolve("kubelet");
    }

    /** kubelet's {@code --cert-dir}. */
    public Path kubeletCertDir() {
        return kubeletRoot().resolve("pki");
    }

    /** The serving certificate kubelet keeps after its request was approved (kubelet's own name in its cert dir). */
    public Path kubeletServingCert() {
        return kubeletCertDir().resolve("kubelet-server-current.pem");
    }

    /** The kubeconfig a bootstrapping kubelet writes for itself. */
    public Path kubeletKubeconfig() {
        return kubeletRoot().resolve("kubeconfig");
    }

    public Path volumePluginDir() {
        return kubeletRoot().resolve("volume-plugins");
    }

    /** The pods' volumes under kubelet's root dir. */
    public Path kubeletPods() {
        return kubeletRoot().resolve("pods");
    }

    public Path cniConfDir() {
        return root.resolve("cni").resolve("net.d");
    }

    public Path ipamDir() {
        return root.resolve("cni").resolve("ipam");
    }

    public Path podLogs() {
        return root.resolve("pod-logs");
    }

    /** Image tarballs built for the node (the sandbox image, CoreDNS). */
    public Path images() {
        return root.resolve("images");
    }

    public Path image(String fileName) {
        return images().resolve(fileName);
    }

    /** A worker's rendered configuration files (the first node's are in the cluster's {@code config/}). */
    public Path config() {
        return root.resolve("config");
    }

    public Path configFile(String name) {
        return config().resolve(name);
    }

    /** What a run leaves that the next one must not find: container state, IP allocations, pod volumes and logs. */
    public List<Path> runtimeState() {
        return List.of(containerdState(), ipamDir(), kubeletPods(), podLogs());
    }
}
