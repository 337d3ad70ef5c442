package io.polykube.api.internal.run;

import io.polykube.api.internal.node.NodeRuntime;
import io.polykube.api.status.Component;
import io.polykube.runtime.process.ProcessSpec;
import io.polykube.runtime.process.Supervisor;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Starts the processes under a supervisor, with a JVM shutdown hook that stops the whole cluster: etcd, the API server
 * and what needs nothing first, then the rest (controller manager, scheduler, node) while the API is checked for use, so
 * those checks overlap the others' start. Returns when every process is ready and the API usable.
 */
final class StartProcesses implements StartStep {

    @Override
    public void run(Start start) {
        start.supervisor = Supervisor.builder().runDirectory(start.layout.run()).shutdownHook(false).listener(e -> {
            ClusterRun run = start.run;
            if (run != null) {
                run.onEvent(e);
            }
        }).build();
        // on SIGTERM or Ctrl-C the whole cluster stops, the node's host objects included, not only its processes
        Supervisor started = start.supervisor;
        NodeRuntime startedNode = start.node;
        ShutdownHooks.add(start.layout.root(), new Thread(() -> {
            ClusterRun run = start.run;
            if (run != null) {
                run.stop();
            } else {
                started.stop();
                startedNode.teardown();
            }
        }, "polykube-stop-" + start.spec.name()));
        ClusterRun run = new ClusterRun(start);
        start.run = run;
        run.writeRecord();
        // On the data of an earlier run of the same version, the slow hooks only confirm what etcd holds: start() need not
        // wait for them (a second). After a version change they may update roles, so they are waited for.
        startAll(run, start.processes, start.deadline(), start.sameVersionAsLastRun && start.controlPlane.etcdHoldsData());
    }

    private static void startAll(ClusterRun run, List<ProcessSpec> processes, long deadline, boolean bootstrapObjectsCurrent) {
        Supervisor supervisor = run.supervisor();
        List<ProcessSpec> first = processes.stream()
                .filter(p -> p.dependsOn().isEmpty() || p.name().equals(Component.KUBE_APISERVER.processName())).toList();
        List<ProcessSpec> rest = processes.stream().filter(p -> !first.contains(p)).toList();
        supervisor.start(first);
        CompletableFuture<Void> others = new CompletableFuture<>();
        Thread starter = new Thread(() -> {
            try {
                supervisor.start(rest);
                others.complete(null);
            } catch (Throwable t) {
                others.completeExceptionally(t);
            }
        }, "polykube-start-" + run.name());
        starter.setDaemon(true);
        starter.start();
        try {
            run.awaitApiUsable(deadline, bootstrapObjectsCurrent);
        } catch (RuntimeException e) {
            supervisor.stop(); // aborts the others' start
            others.handle((v, t) -> null).join();
            throw e;
        }
        try {
            others.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }
}
