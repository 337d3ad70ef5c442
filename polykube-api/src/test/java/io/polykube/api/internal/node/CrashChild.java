package io.polykube.api.internal.node;

import io.fabric8.kubernetes.api.model.Pod;
import io.polykube.api.Cluster;
import io.polykube.api.spec.Mode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Run by {@link CrashRecoveryIT} in a child JVM: starts a full cluster with a pod, prints READY, and (third argument
 * {@code true}) prints STOPPING and stops the cluster; then waits to be killed.
 */
public final class CrashChild {
    static final String STOPPING = "STOPPING";
    static final String STOPPED = "STOPPED";
    private CrashChild() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int nodes = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        Cluster cluster = Cluster.builder().name(CrashRecoveryIT.NAME).directory(dir).mode(Mode.FULL).nodes(n -> n.count(nodes))
                .etcd(e -> e.unsafeNoFsync(true)).startTimeout(Duration.ofMinutes(2)).build().start();
        Path tar = FullNodeIT.sleeperImage(dir);
        cluster.images().load(tar);
        Pod survivor = FullNodeIT.sleeperPod("survivor");
        if (nodes > 1) {
            survivor.getSpec().setNodeName("worker-1"); // the killed JVM leaves a worker with a running pod behind
        }
        cluster.client().pods().inNamespace("default").resource(survivor).create();
        Pod pod = cluster.client().pods().inNamespace("default").withName("survivor")
                .waitUntilCondition(p -> p != null && "Running".equals(p.getStatus().getPhase()), 60, TimeUnit.SECONDS);
        System.out.println("READY " + pod.getStatus().getPodIP());
        System.out.flush();
        if (args.length > 2 && Boolean.parseBoolean(args[2])) {
            System.out.println(STOPPING);
            System.out.flush();
            cluster.close(); // the test kills this JVM in the middle of it
            System.out.println(STOPPED);
            System.out.flush();
        }
        Thread.sleep(Long.MAX_VALUE);
    }

}
