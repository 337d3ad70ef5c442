package io.polykube.api.internal;

import io.polykube.api.layout.ClusterLayout;
import io.polykube.api.spec.ClusterSpec;
import io.polykube.api.spec.Mode;
import io.polykube.api.status.PortName;
import io.polykube.net.ClusterNetwork;
import io.polykube.pki.ClusterPki;
import io.polykube.runtime.binaries.ClusterBinary;
import io.polykube.runtime.binaries.ResolvedBinary;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

/**
 * Everything a component needs to describe its process: the spec, the files, the network (made once from the spec), the
 * certificates, the ports, the binaries.
 */
public record ComponentContext(ClusterSpec spec, ClusterLayout layout, ClusterNetwork network, ClusterPki pki,
        ServingCertificates serving, PortPlan ports, Map<ClusterBinary, ResolvedBinary> binaries) {

    public Path binary(ClusterBinary binary) {
        ResolvedBinary resolved = binaries.get(binary);
        if (resolved == null) {
            throw new IllegalStateException(binary + " was not resolved");
        }
        return resolved.path();
    }

    public int port(PortName name) {
        return ports.port(name);
    }

    /**
     * The API server's only listening (and advertised) address: 127.0.0.1, or in {@code FULL} mode the host's address on
     * the cluster's bridge, so nodes and pods (through the {@code kubernetes} Service) reach it while it stays unreachable
     * from off the machine. Clients on the host still use {@link #apiServerUrl()} on 127.0.0.1: the network guard
     * forwards it there.
     */
    public InetAddress apiServerBindAddress() {
        return spec.mode() == Mode.FULL ? network.nodeNetworkGateway() : InetAddress.getLoopbackAddress();
    }

    /** {@code https://127.0.0.1:<port>}, for the clients on this host. */
    public URI apiServerUrl() {
        return URI.create("https://127.0.0.1:" + port(PortName.API_SERVER));
    }

    public URI etcdUrl() {
        return URI.create("https://127.0.0.1:" + port(PortName.ETCD_CLIENT));
    }
}
