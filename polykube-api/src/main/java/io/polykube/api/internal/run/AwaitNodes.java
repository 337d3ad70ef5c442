package io.polykube.api.internal.run;

import io.polykube.runtime.process.ProcessSpec;
import java.util.List;

/**
 * Lets the workers join (their bootstrap token, RBAC and Node objects, then their kubelets and kube-proxies) and waits
 * until every node is Ready and, unless left out, the cluster DNS answers. Nothing to do without a node.
 */
final class AwaitNodes implements StartStep {

    @Override
    public void run(Start start) {
        ClusterRun run = start.run;
        List<ProcessSpec> joining = start.node.join(run.client());
        if (!joining.isEmpty()) {
            start.supervisor.start(joining);
        }
        start.processesReadyAt = System.nanoTime();
        start.node.awaitReady(run.client(), start.deadline());
    }
}
