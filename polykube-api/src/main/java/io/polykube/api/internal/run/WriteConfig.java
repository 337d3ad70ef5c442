package io.polykube.api.internal.run;

import io.polykube.api.internal.ComponentContext;
import io.polykube.api.internal.Kubeconfigs;
import io.polykube.api.internal.node.NodeRuntime;
import io.polykube.api.spec.ClusterSpec;
import io.polykube.api.spec.Mode;
import io.polykube.api.status.Component;
import io.polykube.runtime.process.ProcessSpec;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the kubeconfigs and every component's configuration, describes the processes, and prepares the node (in mode
 * {@code FULL}: cleans what a crashed run left, installs the network guard). No process runs yet.
 */
final class WriteConfig implements StartStep {
    private static final Logger LOG = LoggerFactory.getLogger(WriteConfig.class);

    @Override
    public void run(Start start) {
        ClusterSpec spec = start.spec;
        ComponentContext ctx = new ComponentContext(spec, start.layout, start.network, start.pki, start.serving, start.ports, start.binaries);
        start.context = ctx;
        start.kubeconfigs = new Kubeconfigs(start.layout, spec.name(), ctx.apiServerUrl(), start.pki.caCert());
        start.adminKubeconfig = start.kubeconfigs.writeAdmin(start.pki.admin());
        start.kubeconfigs.writeComponent(Component.KUBE_CONTROLLER_MANAGER, start.pki.controllerManager());
        start.kubeconfigs.writeComponent(Component.KUBE_SCHEDULER, start.pki.scheduler());
        start.node = spec.mode() == Mode.FULL ? NodeRuntime.full(ctx) : NodeRuntime.none();
        start.controlPlane = new ControlPlaneProcesses(ctx);
        List<ProcessSpec> processes = new ArrayList<>(start.controlPlane.all());
        start.node.prepare();
        processes.addAll(start.node.processes());
        start.processes = processes;
        LOG.info("Cluster '{}': prepared in {} ms ({} PKI), starting {}", spec.name(), Start.millisSince(start.startedAt),
                start.pki.reused() ? "reused" : "new", processes.stream().map(p -> p.name()).toList());
        LOG.debug("Cluster '{}': binaries {} ms, lock and ports {} ms, PKI {} ms, configs {} ms", spec.name(),
                (start.binariesAt - start.startedAt) / 1_000_000, (start.portsAt - start.binariesAt) / 1_000_000,
                (start.pkiAt - start.portsAt) / 1_000_000, Start.millisSince(start.pkiAt));
    }
}
