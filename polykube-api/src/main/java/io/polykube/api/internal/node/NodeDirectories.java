package io.polykube.api.internal.node;

import java.nio.file.Path;

/** The directories of one node under its root ({@code <cluster>/node} for the first, {@code node/workers/<name>} for workers). */
record NodeDirectories(Path root) {

    Path containerdRoot() {
        return root.resolve("containerd").resolve("root");
    }

    Path containerdState() {
        return root.resolve("containerd").resolve("state");
    }

    Path kubeletRoot() {
        return root.resolve("kubelet");
    }

    Path cniConfDir() {
        return root.resolve("cni").resolve("net.d");
    }

    Path ipamDir() {
        return root.resolve("cni").resolve("ipam");
    }

    Path podLogs() {
        return root.resolve("pod-logs");
    }
}
