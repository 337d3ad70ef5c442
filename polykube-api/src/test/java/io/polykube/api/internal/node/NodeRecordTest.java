package io.polykube.api.internal.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.polykube.api.NodeReset;
import io.polykube.api.error.PolykubeException;
import io.polykube.api.layout.ClusterLayout;
import io.polykube.api.layout.NodeDirectories;
import io.polykube.api.spec.ClusterHostNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node record is acted on as root after a crash: it is read back as strictly as user input. */
class NodeRecordTest {
    @TempDir
    Path clusterDir;

    private Path nodeDir() {
        return new ClusterLayout(clusterDir).node().root();
    }

    /** The record a node of cluster "rec" with worker "w1" writes. */
    private NodeRecord genuine() {
        ClusterHostNames names = ClusterHostNames.of("rec");
        NodeDirectories dirs = new NodeDirectories(nodeDir());
        NodeDirectories worker = new ClusterLayout(clusterDir).worker("w1");
        return new NodeRecord("rec", nodeDir().toString(), dirs.containerdSocket().toString(), dirs.runcRoot().toString(),
                names.bridge(), names.chain(), "10.96.0.0/16", "10.244.0.0/16", "10.244.0.0/24", "1.37.2", "1", false,
                "polykube-node", names.netns("polykube-node"), names.veth("polykube-node"),
                List.of(new NodeRecord.Worker("w1", names.netns("w1"), names.veth("w1"), worker.root().toString(),
                        names.containerdSocket("w1").toString(), worker.runcRoot().toString(), names.cgroupRoot("w1"),
                        "10.244.1.0/24", "10.244.255.3")));
    }

    @Test
    void aRecordAsANodeWritesItIsReadBack() throws IOException {
        genuine().write();

        assertThat(NodeRecord.read(nodeDir())).contains(genuine());
    }

    @Test
    void aRecordOfAnEarlierVersionWithItsKubeProxyPathIsReadWithoutIt() throws IOException {
        genuine().write();
        Path file = NodeRecord.file(nodeDir());
        Files.writeString(file, Files.readString(file).replace("\"kubernetesVersion\" : \"1.37.2\"",
                "\"kubeProxyBinary\" : \"/tmp/evil\""));

        assertThat(NodeRecord.read(nodeDir())).hasValueSatisfying(r -> assertThat(r.kubernetesVersion()).isNull());
    }

    @Test
    void everyCraftedFieldIsRefusedNamingIt() throws IOException {
        List<UnaryOperator<String>> crafts = List.of(
                json -> json.replace("\"nodeDir\" : \"" + nodeDir(), "\"nodeDir\" : \"/etc"),
                json -> json.replace("\"socket\" : \"" + new NodeDirectories(nodeDir()).containerdSocket(), "\"socket\" : \"/etc/x.sock"),
                json -> json.replace("\"bridge\" : \"pk-rec\"", "\"bridge\" : \"eth0\""),
                json -> json.replace("\"chain\" : \"POLYKUBE-REC\"", "\"chain\" : \"INPUT\""),
                json -> json.replace("\"netns\" : \"polykube-rec-w1\"", "\"netns\" : \"../../proc/1/ns/net\""),
                json -> json.replace("\"cgroupRoot\" : \"/polykube.rec.w1\"", "\"cgroupRoot\" : \"/\""),
                json -> json.replace("\"name\" : \"w1\"", "\"name\" : \"../w1\""),
                json -> json.replace("\"clusterName\" : \"rec\"", "\"clusterName\" : \"REC/..\""),
                json -> json.replace("\"podCidr\" : \"10.244.0.0/24\"", "\"podCidr\" : \"0.0.0.0/0; rm -rf /\""),
                json -> json.replace("\"kubernetesVersion\" : \"1.37.2\"", "\"kubernetesVersion\" : \"../../bin\""),
                json -> json.replace("\"netns\" : \"polykube-rec-polykube-node\"", "\"netns\" : \"../../proc/1/ns/net\""),
                json -> json.replace("\"veth\" : \"" + ClusterHostNames.of("rec").veth("polykube-node") + "\"", "\"veth\" : \"eth0\""),
                json -> json.replace("\"nodeName\" : \"polykube-node\"", "\"nodeName\" : \"../x\""));
        List<String> named = List.of("nodeDir is '/etc", "socket is '/etc/x.sock'", "bridge is 'eth0', expected 'pk-rec'",
                "chain is 'INPUT'", "worker w1's netns is '../../proc/1/ns/net'", "worker w1's cgroupRoot is '/'",
                "a worker's name '../w1' is not a node name", "clusterName: name 'REC/..'", "podCidr '0.0.0.0/0; rm -rf /'",
                "kubernetesVersion '../../bin' is not a version", "netns is '../../proc/1/ns/net', expected 'polykube-rec-polykube-node'",
                "veth is 'eth0'", "nodeName '../x' is not a node name");
        for (int i = 0; i < crafts.size(); i++) {
            genuine().write();
            Path file = NodeRecord.file(nodeDir());
            String crafted = crafts.get(i).apply(Files.readString(file));
            assertThat(crafted).as("craft %d changes the record", i).isNotEqualTo(Files.readString(file));
            Files.writeString(file, crafted);

            assertThatThrownBy(() -> NodeRecord.read(nodeDir())).as("craft %d", i).isInstanceOf(PolykubeException.class)
                    .hasMessageContaining(named.get(i)).hasMessageContaining("does not act on it as root");
        }
    }

    @Test
    void downRefusesACraftedRecordBeforeDoingAnything() throws IOException {
        genuine().write();
        Path file = NodeRecord.file(nodeDir());
        Files.writeString(file, Files.readString(file).replace("\"bridge\" : \"pk-rec\"", "\"bridge\" : \"eth0\""));

        assertThatThrownBy(() -> NodeReset.needed(clusterDir)).hasMessageContaining("bridge is 'eth0'");
        assertThatThrownBy(() -> NodeReset.clean(clusterDir)).hasMessageContaining("bridge is 'eth0'");
        assertThat(file).exists();
    }
}
