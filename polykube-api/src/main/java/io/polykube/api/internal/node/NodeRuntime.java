package io.polykube.api.internal.node;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.polykube.api.images.Images;
import io.polykube.api.internal.ComponentContext;
import io.polykube.runtime.process.ProcessSpec;
import java.util.List;

/**
 * The node part of a cluster (containerd, kubelet, CNI, kube-proxy, the network guard, images), seen from the cluster's
 * start sequence: {@link #prepare()} before any process starts, {@link #processes()} started with the control plane,
 * {@link #awaitReady} once they run, {@link #teardown()} after every process stopped.
 */
public interface NodeRuntime {

    /** Cleans what a crashed earlier run left, installs the network guard, writes configs. Nothing contacts a cluster address before. */
    void prepare();

    /** The node's processes; they may depend on the control plane's process names. */
    List<ProcessSpec> processes();

    /** Waits (until {@code deadlineNanos}, a {@link System#nanoTime()} value) until the node is Ready and pods can run. */
    void awaitReady(KubernetesClient client, long deadlineNanos);

    /** Removes everything the node put on the host (containers, mounts, netns, bridge, routes, iptables). Idempotent. */
    void teardown();

    /**
     * Called once the API is usable: makes what joining nodes need in the API and returns their processes to start next
     * (the workers' kubelets and kube-proxies); empty for a single node.
     */
    default List<ProcessSpec> join(KubernetesClient client) {
        return List.of();
    }

    /** The names of the nodes, the first one first; empty without a node. */
    default List<String> nodeNames() {
        return List.of();
    }

    /** The processes that {@code ClusterNode.stop()} stops for {@code node}: its kubelet and kube-proxy. */
    default List<String> nodeProcesses(String node) {
        throw new io.polykube.api.error.PolykubeException("a CONTROL_PLANE cluster has no node '" + node + "': use Mode.FULL");
    }

    /** How many pod sandboxes run on the node (containerd shims); 0 without a node. */
    default int runningSandboxes() {
        return 0;
    }

    /** The node's images (load tarballs); only {@code FULL} clusters have them. */
    default Images images() {
        throw new io.polykube.api.error.PolykubeException("a CONTROL_PLANE cluster has no node and runs no pods, so it has no images: "
                + "use Mode.FULL (as root)");
    }

    /** For {@code CONTROL_PLANE} clusters: no node. */
    static NodeRuntime none() {
        return new NodeRuntime() {
            @Override
            public void prepare() {
            }

            @Override
            public List<ProcessSpec> processes() {
                return List.of();
            }

            @Override
            public void awaitReady(KubernetesClient client, long deadlineNanos) {
            }

            @Override
            public void teardown() {
            }
        };
    }

    /** The node for a {@code FULL} cluster. */
    static NodeRuntime full(ComponentContext ctx) {
        return new FullNode(ctx);
    }
}
