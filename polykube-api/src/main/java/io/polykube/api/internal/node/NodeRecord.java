package io.polykube.api.internal.node;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.polykube.api.layout.NodeDirectories;
import io.polykube.files.AtomicFile;
import io.polykube.net.Cidr;
import io.polykube.net.ClusterNetwork;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What a node put on the host, written before it creates anything ({@code node/host.json}), so a later start (or
 * {@code polykube down}) can remove it after a crash even if the spec changed meanwhile.
 */
record NodeRecord(String clusterName, String nodeDir, String socket, String runcRoot, String bridge, String chain,
        String serviceCidr, String clusterCidr, String podCidr, String kubeProxyBinary, String ipForwardBefore,
        List<Worker> workers) {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    NodeRecord {
        workers = workers == null ? List.of() : List.copyOf(workers);
    }

    /** What one worker puts on the host: its network namespace, the host end of its veth, its directories and cgroup. */
    record Worker(String name, String netns, String veth, String nodeDir, String socket, String runcRoot, String cgroupRoot,
            String podCidr, String nodeIp) {
    }

    /** The recorded networks (the file holds them as text, as written from a {@link ClusterNetwork}). */
    ClusterNetwork network() {
        return new ClusterNetwork(Cidr.parse("host.json serviceCidr", serviceCidr), Cidr.parse("host.json clusterCidr", clusterCidr),
                Cidr.parse("host.json podCidr", podCidr), ClusterNetwork.DEFAULT_CLUSTER_DOMAIN);
    }

    static Path file(Path nodeDir) {
        return new NodeDirectories(nodeDir).hostRecord();
    }

    static Optional<NodeRecord> read(Path nodeDir) {
        Path file = file(nodeDir);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(file.toFile(), NodeRecord.class));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    void write() throws IOException {
        AtomicFile.at(file(Path.of(nodeDir))).createParents(true).write(out -> JSON.writeValue(out, this));
    }
}
