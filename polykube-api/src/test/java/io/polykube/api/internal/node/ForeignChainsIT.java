package io.polykube.api.internal.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.polykube.api.Cluster;
import io.polykube.api.spec.ClusterSpec;
import io.polykube.api.spec.Mode;
import io.polykube.testing.Await;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * A FULL cluster touches only what it made: chains and rules of another cluster's kube-proxy, another CNI and a
 * Docker-style engine on this host are byte for byte the same while the cluster runs (with a Service and a hostPort pod
 * answering this host), after it stops, and after a crashed cluster is cleaned ({@link CrashRecoveryIT}); another
 * kubelet's empty {@code kubepods} cgroups and {@code /var/log/containers} stay too.
 */
@EnabledIfSystemProperty(named = "user.name", matches = "root")
class ForeignChainsIT {
    private static final String NAME = "foreignit";
    private static final int HOST_PORT = 18080;

    @Test
    void anotherClustersChainsAndKubeletsCgroupsAreUntouchedByAFullClustersStartUseAndStop() throws Exception {
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "pkforeign");
        HostState.assertClean(NAME, dir, "before the test");
        ClusterSpec spec = ClusterSpec.builder().name(NAME).directory(dir).mode(Mode.FULL).etcd(e -> e.unsafeNoFsync(true))
                .node(n -> n.dns(false)).startTimeout(Duration.ofMinutes(2)).build();
        HostTurn.start(spec).close(); // our turn on the host; issues the PKI
        try (ForeignChains foreign = ForeignChains.install(); ForeignKubelet kubelet = ForeignKubelet.install()) {
            List<String> before = ForeignChains.snapshot();
            assertThat(before).hasSize(9);
            List<String> kubeletBefore = ForeignKubelet.snapshot();
            assertThat(kubeletBefore).allMatch(line -> line.endsWith(" exists"));
            try (Cluster cluster = Cluster.start(spec)) {
                KubernetesClient client = cluster.client();
                cluster.images().load(FullNodeIT.sleeperImage(dir));
                client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("web")
                        .addToLabels("app", "web").endMetadata()
                        .withNewSpec().withTerminationGracePeriodSeconds(0L).addNewContainer().withName("main")
                        .withImage("polykube.local/sleeper:1").withImagePullPolicy("Never")
                        .withCommand("/bin/busybox", "httpd", "-f", "-p", "8080", "-h", "/")
                        .addNewPort().withContainerPort(8080).withHostPort(HOST_PORT).endPort()
                        .endContainer().endSpec().build()).create();
                Service service = client.services().inNamespace("default").resource(new ServiceBuilder()
                        .withNewMetadata().withName("web").endMetadata()
                        .withNewSpec().addToSelector("app", "web")
                        .addNewPort().withProtocol("TCP").withPort(80).withNewTargetPort(8080).endPort().endSpec().build()).create();
                client.pods().inNamespace("default").withName("web")
                        .waitUntilCondition(p -> p != null && "Running".equals(p.getStatus().getPhase()), 60, TimeUnit.SECONDS);
                HostNetworkGuard.of(spec).requireInstalled();

                InetAddress clusterIp = InetAddress.getByName(service.getSpec().getClusterIP());
                InetAddress nodeIp = spec.network().nodeAddress(0);
                assertThat(httpStatusLine(clusterIp, 80)).as("the Service from this host").startsWith("HTTP/1.");
                assertThat(httpStatusLine(nodeIp, HOST_PORT)).as("the hostPort from this host").startsWith("HTTP/1.");
                assertThat(ForeignChains.snapshot()).as("the foreign chains while the cluster runs").isEqualTo(before);
            }
            assertThat(ForeignChains.snapshot()).as("the foreign chains after the cluster stopped").isEqualTo(before);
            assertThat(ForeignKubelet.snapshot()).as("another kubelet's cgroups and log link directory").isEqualTo(kubeletBefore);
        }
        HostState.assertClean(NAME, dir, "after close");
        HostState.deleteDirectory(dir);
    }

    /** The first line of an HTTP answer, once the address answers (the endpoint and hostPort rules come a moment late). */
    private static String httpStatusLine(InetAddress address, int port) {
        return Await.untilPresent("an HTTP answer from " + address.getHostAddress() + ":" + port, Duration.ofSeconds(30), () -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(address, port), 2000);
                s.setSoTimeout(5000);
                s.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                String line = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine();
                return Optional.ofNullable(line);
            } catch (IOException e) {
                return Optional.empty();
            }
        });
    }
}
