package io.polykube.api.internal.node;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.polykube.api.error.PolykubeException;
import io.polykube.api.layout.NodeDirectories;
import io.polykube.api.spec.ClusterHostNames;
import io.polykube.files.AtomicFile;
import io.polykube.net.Cidr;
import io.polykube.net.ClusterNetwork;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a node put on the host, written before it creates anything ({@code node/host.json}), so a later start (or
 * {@code polykube down}) can remove it after a crash even if the spec changed meanwhile.
 *
 * <p>Root acts on what it reads back (unmounts, deletes, kills what runs in a network namespace), so {@link #read} checks
 * every field as strictly as user input: each host name must be the one {@link ClusterHostNames} derives from the
 * recorded cluster name, each path the one {@link NodeDirectories} derives from the directory the record was read from.
 * No binary is named here: the record holds the Kubernetes version, and cleanup takes that version's kube-proxy from
 * polykube's binary cache. ({@code kubeProxyBinary}, which records of earlier versions hold, is ignored.)
 */
@JsonIgnoreProperties({"kubeProxyBinary"})
record NodeRecord(String clusterName, String nodeDir, String socket, String runcRoot, String bridge, String chain,
        String serviceCidr, String clusterCidr, String podCidr, String kubernetesVersion, String ipForwardBefore,
        Boolean containerLogLinksBefore, String nodeName, String netns, String veth, List<Worker> workers) {
    private static final Pattern WORKER_NAME = Pattern.compile("[a-z0-9]([-a-z0-9]{0,30}[a-z0-9])?");
    private static final Pattern NODE_NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");
    private static final Pattern VERSION = Pattern.compile("\\d{1,3}\\.\\d{1,3}\\.\\d{1,4}");
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3}\\.){3}\\d{1,3}");
    private static final List<String> IP_FORWARD_VALUES = List.of("0", "1", "unknown");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    NodeRecord {
        workers = workers == null ? List.of() : List.copyOf(workers);
    }

    /**
     * Whether the first node ran in a network namespace of its own, under a cgroup root of its own (records of earlier
     * versions: on the host, under {@code kubepods}).
     */
    boolean firstNodeInNamespace() {
        return netns != null;
    }

    /** The first node's kubelet cgroup root, without the leading slash. */
    String firstNodeCgroup() {
        return firstNodeInNamespace() ? ClusterHostNames.of(clusterName).cgroupRoot(nodeName).substring(1) : "kubepods";
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

    /**
     * The record in {@code nodeDir}, checked; empty when there is none or it cannot be parsed (a write cut short).
     *
     * @throws PolykubeException when it parses but a field is not what this node directory's record can hold: it was
     *                           changed by someone else, and nothing is done on its word
     */
    static Optional<NodeRecord> read(Path nodeDir) {
        Path file = file(nodeDir);
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        NodeRecord record;
        try {
            record = JSON.readValue(file.toFile(), NodeRecord.class);
        } catch (IOException e) {
            return Optional.empty();
        }
        List<String> wrong = record.problems(nodeDir.toAbsolutePath().normalize());
        if (!wrong.isEmpty()) {
            throw new PolykubeException("the node record " + file + " holds what polykube never writes there: "
                    + String.join("; ", wrong) + ". Someone else changed it, and polykube does not act on it as root. Check who "
                    + "did, then remove what that node left by hand and delete the record");
        }
        return Optional.of(record);
    }

    /** What is wrong in this record, read from {@code nodeDir}: every name and path must be the derived one. */
    List<String> problems(Path nodeDir) {
        List<String> wrong = new ArrayList<>();
        ClusterHostNames names;
        try {
            names = ClusterHostNames.of(clusterName);
        } catch (IllegalArgumentException e) {
            return List.of("clusterName: " + e.getMessage());
        }
        Path recorded = this.nodeDir == null ? null : Path.of(this.nodeDir);
        if (recorded == null || !recorded.isAbsolute() || !recorded.normalize().equals(nodeDir)) {
            return List.of("nodeDir is '" + this.nodeDir + "', expected '" + nodeDir + "', the directory it was read from");
        }
        NodeDirectories dirs = new NodeDirectories(recorded);
        expect(wrong, "socket", socket, dirs.containerdSocket().toString(), names.containerdSocket().toString());
        expect(wrong, "runcRoot", runcRoot, dirs.runcRoot().toString());
        expect(wrong, "bridge", bridge, names.bridge());
        expect(wrong, "chain", chain, names.chain());
        cidr(wrong, "serviceCidr", serviceCidr);
        cidr(wrong, "clusterCidr", clusterCidr);
        cidr(wrong, "podCidr", podCidr);
        if (kubernetesVersion != null && !VERSION.matcher(kubernetesVersion).matches()) {
            wrong.add("kubernetesVersion '" + kubernetesVersion + "' is not a version");
        }
        expect(wrong, "ipForwardBefore", ipForwardBefore, IP_FORWARD_VALUES.toArray(String[]::new));
        if (nodeName != null || netns != null || veth != null) { // records of earlier versions have no first node namespace
            if (nodeName == null || !NODE_NAME.matcher(nodeName).matches() || nodeName.contains("..")) {
                wrong.add("nodeName '" + nodeName + "' is not a node name");
            } else {
                expect(wrong, "netns", netns, names.netns(nodeName));
                expect(wrong, "veth", veth, names.veth(nodeName));
            }
        }
        for (Worker w : workers) {
            if (w.name() == null || !WORKER_NAME.matcher(w.name()).matches()) {
                wrong.add("a worker's name '" + w.name() + "' is not a node name");
                continue;
            }
            String at = "worker " + w.name() + "'s ";
            NodeDirectories workerDirs = new NodeDirectories(recorded.resolve("workers").resolve(w.name()));
            expect(wrong, at + "netns", w.netns(), names.netns(w.name()));
            expect(wrong, at + "veth", w.veth(), names.veth(w.name()));
            expect(wrong, at + "nodeDir", w.nodeDir(), workerDirs.root().toString());
            expect(wrong, at + "socket", w.socket(), workerDirs.containerdSocket().toString(),
                    names.containerdSocket(w.name()).toString());
            expect(wrong, at + "runcRoot", w.runcRoot(), workerDirs.runcRoot().toString());
            expect(wrong, at + "cgroupRoot", w.cgroupRoot(), names.cgroupRoot(w.name()));
            cidr(wrong, at + "podCidr", w.podCidr());
            if (w.nodeIp() == null || !IPV4.matcher(w.nodeIp()).matches()) {
                wrong.add(at + "nodeIp '" + w.nodeIp() + "' is not an IPv4 address");
            }
        }
        return wrong;
    }

    private static void expect(List<String> wrong, String field, String value, String... allowed) {
        if (!List.of(allowed).contains(value)) {
            wrong.add(field + " is '" + value + "', expected " + (allowed.length == 1 ? "'" + allowed[0] + "'"
                    : "one of " + List.of(allowed)));
        }
    }

    private static void cidr(List<String> wrong, String field, String value) {
        try {
            Cidr.parse(field, value);
        } catch (RuntimeException e) {
            wrong.add(field + " '" + value + "' is not a CIDR");
        }
    }

    void write() throws IOException {
        AtomicFile.at(file(Path.of(nodeDir))).createParents(true).write(out -> JSON.writeValue(out, this));
    }
}
