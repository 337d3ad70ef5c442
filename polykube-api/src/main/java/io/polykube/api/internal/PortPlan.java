package io.polykube.api.internal;

import io.polykube.api.error.PolykubeException;
import io.polykube.api.spec.Mode;
import io.polykube.api.status.PortName;
import io.polykube.runtime.port.PortAllocator;
import io.polykube.runtime.port.ReservedPort;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The cluster's ports, reserved for as long as the cluster runs so that no other polykube cluster picks them. A port the
 * user asked for must be free; a port from the cluster's previous run is reused when still free (kubeconfigs stay valid).
 */
public final class PortPlan implements AutoCloseable {
    private final Map<PortName, ReservedPort> reserved;

    private PortPlan(Map<PortName, ReservedPort> reserved) {
        this.reserved = reserved;
    }

    /**
     * Reserves every port the mode needs.
     *
     * @param explicit ports the user asked for, by name (must be free)
     * @param previous ports of the cluster's previous run (reused when free)
     */
    public static PortPlan reserve(Mode mode, Map<PortName, OptionalInt> explicit, Map<PortName, Integer> previous,
            PortAllocator allocator) {
        Map<PortName, ReservedPort> out = new EnumMap<>(PortName.class);
        try {
            for (PortName name : PortName.values()) {
                if (name.nodePort() && mode != Mode.FULL) {
                    continue;
                }
                OptionalInt asked = explicit.getOrDefault(name, OptionalInt.empty());
                if (asked.isPresent()) {
                    int port = asked.getAsInt();
                    out.put(name, allocator.tryReserve(port).orElseThrow(() -> new PolykubeException("port " + port + " asked for "
                            + name.name().toLowerCase().replace('_', '-') + " is in use (bound by another process or reserved by "
                            + "another polykube cluster): free it, or leave the port unset so polykube picks a free one")));
                    continue;
                }
                Optional<ReservedPort> again = Optional.ofNullable(previous.get(name)).flatMap(allocator::tryReserve);
                out.put(name, again.orElseGet(allocator::allocate));
            }
            return new PortPlan(out);
        } catch (RuntimeException e) {
            out.values().forEach(ReservedPort::close);
            throw e;
        }
    }

    public int port(PortName name) {
        ReservedPort port = reserved.get(name);
        if (port == null) {
            throw new IllegalStateException("no " + name + " port in this cluster's mode");
        }
        return port.port();
    }

    public Map<PortName, Integer> asMap() {
        Map<PortName, Integer> out = new EnumMap<>(PortName.class);
        reserved.forEach((k, v) -> out.put(k, v.port()));
        return Collections.unmodifiableMap(out);
    }

    @Override
    public void close() {
        reserved.values().forEach(ReservedPort::close);
    }
}
