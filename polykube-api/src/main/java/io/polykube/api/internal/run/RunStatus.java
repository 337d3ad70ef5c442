package io.polykube.api.internal.run;

import io.polykube.api.internal.PortPlan;
import io.polykube.api.status.ClusterRecord;
import io.polykube.api.status.Component;
import io.polykube.api.status.ComponentStatus;
import io.polykube.api.status.PortName;
import io.polykube.runtime.process.ProcessInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/** The supervisor's processes as the API shows them: {@link ComponentStatus} values, and the components {@code cluster.json} records. */
final class RunStatus {
    private RunStatus() {
    }

    static List<ComponentStatus> statuses(List<ProcessInfo> processes, PortPlan ports) {
        List<ComponentStatus> out = new ArrayList<>();
        for (ProcessInfo p : processes) {
            Component component = componentOf(p.name());
            Optional<String> worker = workerOf(p.name());
            out.add(new ComponentStatus(component, p.state().name(), p.pid(), portOf(component, ports), p.restartCount(), p.startedAt(),
                    p.readyAt(), worker));
        }
        return out;
    }

    /** The components as {@code cluster.json} last recorded them (a cluster another process runs). */
    static List<ComponentStatus> statuses(ClusterRecord record) {
        List<ComponentStatus> out = new ArrayList<>();
        for (ClusterRecord.ComponentRecord c : record.components()) {
            out.add(new ComponentStatus(componentOf(c.name()), c.state(), c.pid() == null ? OptionalLong.empty()
                    : OptionalLong.of(c.pid()), c.port() == null ? OptionalInt.empty() : OptionalInt.of(c.port()), c.restarts(),
                    Optional.ofNullable(c.startedAt()), Optional.ofNullable(c.readyAt()), workerOf(c.name())));
        }
        return out;
    }

    static List<ClusterRecord.ComponentRecord> records(List<ProcessInfo> processes, PortPlan ports) {
        return processes.stream()
                .map(p -> new ClusterRecord.ComponentRecord(p.name(), p.state().name(), pidOrNull(p.pid()),
                        portOf(componentOf(p.name()), ports).stream().boxed().findFirst().orElse(null), p.restartCount(),
                        p.startedAt().orElse(null), p.readyAt().orElse(null)))
                .toList();
    }

    private static OptionalInt portOf(Component component, PortPlan ports) {
        PortName name = switch (component) {
            case ETCD -> PortName.ETCD_CLIENT;
            case KUBE_APISERVER -> PortName.API_SERVER;
            case KUBE_CONTROLLER_MANAGER -> PortName.CONTROLLER_MANAGER;
            case KUBE_SCHEDULER -> PortName.SCHEDULER;
            case KUBELET -> PortName.KUBELET;
            case KUBE_PROXY -> PortName.KUBE_PROXY_HEALTHZ;
            case CONTAINERD -> null;
        };
        Integer port = name == null ? null : ports.asMap().get(name);
        return port == null ? OptionalInt.empty() : OptionalInt.of(port);
    }

    /** A worker's processes are named {@code <component>.<worker>}. */
    private static Component componentOf(String processName) {
        String name = processName.contains(".") ? processName.substring(0, processName.indexOf('.')) : processName;
        for (Component c : Component.values()) {
            if (c.processName().equals(name)) {
                return c;
            }
        }
        throw new IllegalStateException("unknown process " + processName);
    }

    private static Optional<String> workerOf(String processName) {
        int dot = processName.indexOf('.');
        return dot < 0 ? Optional.empty() : Optional.of(processName.substring(dot + 1));
    }

    private static Long pidOrNull(OptionalLong pid) {
        return pid.isPresent() ? pid.getAsLong() : null;
    }
}
