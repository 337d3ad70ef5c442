package io.polykube.api.internal.node;

import io.polykube.api.internal.ComponentContext;
import io.polykube.api.layout.NodeDirectories;
import io.polykube.api.status.Component;
import io.polykube.runtime.process.ProcessSpec;
import io.polykube.runtime.process.RestartPolicy;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.net.URI;
import io.polykube.api.status.PortName;

/**
 * One node as its processes (containerd, kubelet, kube-proxy) see it: its name, directories, containerd socket, address
 * and network namespace, and how its processes are named and run. Every node's processes run in the node's network
 * namespace ({@code netns}, entered with {@code nsenter --net}); the first node's are named after the component, a
 * worker's {@code <component>.<worker>}.
 */
record NodeContext(ComponentContext cluster, String name, NodeDirectories dirs, Path socket, InetAddress ip, Path netns,
        boolean worker) {
    static final RestartPolicy RESTART = RestartPolicy.onFailure(10, Duration.ofMillis(200), Duration.ofSeconds(5));
    static final Duration STOP_GRACE = Duration.ofSeconds(10);

    /** The name of {@code component}'s process on this node. */
    String processName(Component component) {
        return worker ? WorkerNode.processName(component, name) : component.processName();
    }

    /** The command, run in this node's network namespace. */
    List<String> inNamespace(String... command) {
        return NodeNamespace.inside(netns, command);
    }

    /** A process of this node, with its log file, readiness timeout, restart policy and stop grace period. */
    ProcessSpec.Builder process(Component component, Path executable, List<String> args) {
        List<String> command = new ArrayList<>(inNamespace(executable.toString()));
        command.addAll(args);
        String processName = processName(component);
        return ProcessSpec.builder(processName)
                .executable(Path.of(command.get(0)))
                .arguments(command.subList(1, command.size()))
                .logFile(worker ? cluster.layout().log(processName) : cluster.layout().log(component))
                .readinessTimeout(cluster.spec().startTimeout())
                .restartPolicy(RESTART)
                .stopGracePeriod(STOP_GRACE);
    }

    /** The API server as this node reaches it: at its address on the cluster's bridge (127.0.0.1 is the namespace's own). */
    URI apiServer() {
        return URI.create("https://" + cluster.apiServerBindAddress().getHostAddress() + ":" + cluster.port(PortName.API_SERVER));
    }
}
