package io.polykube.api.internal;

import io.polykube.api.ClusterSpec;
import io.polykube.pki.ClusterPki;
import io.polykube.runtime.binaries.Binary;
import io.polykube.runtime.binaries.ResolvedBinary;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

/** Everything a component needs to describe its process: the spec, the files, the certificates, the ports, the binaries. */
public record ComponentContext(ClusterSpec spec, ClusterLayout layout, ClusterPki pki, ServingCertificates serving, PortPlan ports,
        Map<Binary, ResolvedBinary> binaries) {

    public Path binary(Binary binary) {
        ResolvedBinary resolved = binaries.get(binary);
        if (resolved == null) {
            throw new IllegalStateException(binary + " was not resolved");
        }
        return resolved.path();
    }

    public int port(PortName name) {
        return ports.port(name);
    }

    public URI apiServerUrl() {
        return URI.create("https://127.0.0.1:" + port(PortName.API_SERVER));
    }

    public URI etcdUrl() {
        return URI.create("https://127.0.0.1:" + port(PortName.ETCD_CLIENT));
    }
}
