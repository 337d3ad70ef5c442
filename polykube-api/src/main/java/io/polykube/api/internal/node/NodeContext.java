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
import java.util.Optional;

/**
 * One node as its processes (containerd, kubelet, kube-proxy) see it: its name, directories, containerd socket and
 * address, and how its processes are named and run. The first node's run on the host under the component's name; a
 * worker's run in its network namespace ({@code netns}, entered with {@code nsenter --net}) as {@code <component>.<worker>}.
 */
record NodeContext(ComponentContext cluster, String name, NodeDirectories dirs, Path socket, InetAddress ip,
        Optional<Path> netns) {
    static final RestartPolicy RESTART = RestartPolicy.onFailure(10, Duration.ofMillis(200), Duration.ofSeconds(5));
    static final Duration STOP_GRACE = Duration.ofSeconds(10);

    /** The name of {@code component}'s process on this node. */
    String processName(Component component) {
        return netns.isEmpty() ? component.processName() : WorkerNode.processName(component, name);
    }

    /** The command, run in this node's network namespace (a worker's only). */
    List<String> inNamespace(String... command) {
        List<String> out = new ArrayList<>(List.of(HostCommand.which("nsenter").toString(), "--net=" + netns.orElseThrow()));
        out.add("--");
        out.addAll(List.of(command));
        return out;
    }

    /** A process of this node, with its log file, readiness timeout, restart policy and stop grace period. */
    ProcessSpec.Builder process(Component component, Path executable, List<String> args) {
        if (netns.isEmpty()) {
            return ProcessSpec.builder(component.processName())
                    .executable(executable)
                    .arguments(args)
                    .logFile(cluster.layout().log(component))
                    .readinessTimeout(cluster.spec().startTimeout())
                    .restartPolicy(RESTART)
                    .stopGracePeriod(STOP_GRACE);
        }
        List<String> command = new ArrayList<>(inNamespace(executable.toString()));
        command.addAll(args);
        String processName = processName(component);
        return ProcessSpec.builder(processName)
                .executable(Path.of(command.get(0)))
                .arguments(command.subList(1, command.size()))
                .logFile(cluster.layout().log(processName))
                .readinessTimeout(cluster.spec().startTimeout())
                .restartPolicy(RESTART)
                .stopGracePeriod(STOP_GRACE);
    }
}
