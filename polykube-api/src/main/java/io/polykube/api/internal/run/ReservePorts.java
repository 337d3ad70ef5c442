package io.polykube.api.internal.run;

import io.polykube.api.internal.PortPlan;
import io.polykube.api.layout.ClusterLayout;
import io.polykube.api.spec.ClusterSpec;
import io.polykube.api.status.ClusterRecord;
import io.polykube.api.status.PortName;
import io.polykube.runtime.port.PortAllocator;
import io.polykube.runtime.process.Supervisor;
import java.util.EnumMap;
import java.util.Map;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes the cluster directory (its lock), creates it, stops what a crashed earlier run left in it, and reserves the
 * ports: those the spec asks for, else the previous run's when they are free. When this fails it lets go of the lock
 * itself.
 */
final class ReservePorts implements StartStep {
    private static final Logger LOG = LoggerFactory.getLogger(ReservePorts.class);

    @Override
    public void run(Start start) {
        ClusterSpec spec = start.spec;
        ClusterLayout layout = start.layout;
        DirectoryLock lock = DirectoryLock.acquire(layout);
        PortPlan ports;
        try {
            layout.create();
            // Processes a crashed earlier run left go first, so their ports are free to be reused.
            var reaped = Supervisor.reapOrphans(layout.run());
            if (!reaped.stopped().isEmpty()) {
                LOG.warn("Cluster '{}': stopped {} process(es) a crashed earlier run left behind", spec.name(), reaped.stopped().size());
            }
            ClusterRecord previous = ClusterRecord.read(layout.clusterJson()).orElse(null);
            ports = PortPlan.reserve(spec.mode(), explicitPorts(spec), previous == null ? Map.of() : previous.ports(),
                    PortAllocator.create());
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
        start.lock = lock;
        start.ports = ports;
        start.portsAt = System.nanoTime();
    }

    private static Map<PortName, OptionalInt> explicitPorts(ClusterSpec spec) {
        Map<PortName, OptionalInt> out = new EnumMap<>(PortName.class);
        out.put(PortName.ETCD_CLIENT, spec.etcd().clientPort());
        out.put(PortName.ETCD_PEER, spec.etcd().peerPort());
        out.put(PortName.API_SERVER, spec.apiServer().securePort());
        out.put(PortName.CONTROLLER_MANAGER, spec.controllerManager().securePort());
        out.put(PortName.SCHEDULER, spec.scheduler().securePort());
        return out;
    }
}
