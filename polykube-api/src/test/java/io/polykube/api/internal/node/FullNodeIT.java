package io.polykube.api.internal.node;

import io.polykube.runtime.binaries.KnownVersions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.polykube.api.Cluster;
import io.polykube.api.error.PolykubeException;
import io.polykube.api.images.Images;
import io.polykube.api.layout.ClusterLayout;
import io.polykube.api.spec.ClusterSpec;
import io.polykube.api.spec.Mode;
import io.polykube.testing.Await;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/** A full cluster on this host (root): node Ready, a pod Running, the guard, the host lock, and a clean host after close. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@EnabledIfSystemProperty(named = "user.name", matches = "root")
class FullNodeIT {
    private Path dir;
    private Cluster cluster;
    private long startMillis;
    private long nodeReadyMillis;

    @BeforeAll
    void start() throws IOException, InterruptedException {
        dir = Files.createTempDirectory(Path.of("/tmp"), "pkfull");
        HostState.assertClean("fullit", dir, "before the test");
        long t0;
        var spec = ClusterSpec.builder().name("fullit").directory(dir).mode(Mode.FULL)
                .etcd(e -> e.unsafeNoFsync(true)).node(n -> n.label("polykube.io/test", "yes").dns(false))
                .startTimeout(Duration.ofMinutes(2)).build();
        HostTurn.start(spec).close(); // first run issues the PKI and waits for our turn on the host; not timed
        t0 = System.nanoTime();
        cluster = Cluster.start(spec);
        nodeReadyMillis = (System.nanoTime() - t0) / 1_000_000;
        startMillis = nodeReadyMillis;
        System.out.println("FULL cluster start -> node Ready: " + nodeReadyMillis + " ms");
    }

    @AfterAll
    void stop() throws IOException {
        if (cluster != null) {
            cluster.close();
        }
        HostState.assertClean("fullit", dir, "after close");
        HostState.deleteDirectory(dir);
    }

    @Test
    void nodeIsReadyWithLabels() {
        var node = cluster.client().nodes().withName("polykube-node").get();
        assertThat(node.getMetadata().getLabels()).containsEntry("polykube.io/test", "yes");
        assertThat(node.getStatus().getConditions()).anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
        assertThat(node.getStatus().getAddresses()).anyMatch(a -> a.getAddress().equals("10.244.255.2"));
        assertThat(node.getStatus().getNodeInfo().getKubeletVersion()).isEqualTo("v" + KnownVersions.DEFAULT_VERSION);
        assertThat(node.getStatus().getNodeInfo().getContainerRuntimeVersion()).as("the containerd setup builds")
                .isEqualTo("containerd://" + KnownVersions.nodeRuntime().containerd());
        assertThat(cluster.images().list()).contains(Images.SANDBOX_IMAGE);
        assertThat(nodeReadyMillis).isPositive();
    }

    @Test
    void podRunsFromALocallyBuiltImage() throws IOException {
        Path tar = sleeperImage(dir);
        assertThat(cluster.images().load(tar)).containsExactly("polykube.local/sleeper:1");
        KubernetesClient client = cluster.client();
        long t0 = System.nanoTime();
        client.pods().inNamespace("default").resource(sleeperPod("sleeper")).create();
        Pod pod = client.pods().inNamespace("default").withName("sleeper")
                .waitUntilCondition(p -> p != null && "Running".equals(p.getStatus().getPhase()), 60, java.util.concurrent.TimeUnit.SECONDS);
        System.out.println("pod create -> Running: " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        assertThat(pod.getStatus().getPodIP()).startsWith("10.244.0.");
        String log = client.pods().inNamespace("default").withName("sleeper").getLog();
        assertThat(log).contains("started");
    }

    @Test
    void resetRemovesThePodsMadeSinceStartAndTheirContainers() throws IOException {
        cluster.images().load(sleeperImage(dir));
        KubernetesClient client = cluster.client();
        client.pods().inNamespace("default").resource(sleeperPod("before-reset")).create();
        client.pods().inNamespace("default").withName("before-reset")
                .waitUntilCondition(p -> p != null && "Running".equals(p.getStatus().getPhase()), 60, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(shims()).isPositive();

        long t0 = System.nanoTime();
        cluster.reset();
        System.out.println("FULL reset with a running pod: " + (System.nanoTime() - t0) / 1_000_000 + " ms");

        assertThat(client.pods().inNamespace("default").withName("before-reset").get()).isNull();
        assertThat(shims()).as("containerd shims of pods left after the reset").isZero();
        assertThat(cluster.images().list()).contains("polykube.local/sleeper:1"); // images are not part of the reset
        assertThat(client.nodes().withName("polykube-node").get().getStatus().getConditions())
                .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
    }

    /**
     * kube-proxy puts its KUBE-FORWARD jump first in FORWARD, and that chain accepts packets it marked for masquerade: a
     * pod's packet to a NodePort or an external IP whose endpoint lies outside the cluster. The guard must still see them
     * first and reject them; the test's own drop (after the guard) counts whatever got past it, so nothing leaves.
     */
    @Test
    void aPodsPacketToANodePortOrExternalIpWithAnEndpointOutsideTheClusterIsRejectedByTheGuard() throws IOException {
        HostNetworkGuard guard = HostNetworkGuard.of(cluster.spec());
        try (OutsideDrop outside = OutsideDrop.install(EgressCounter.defaultInterface())) {
            guard.requireInstalled();
            KubernetesClient client = cluster.client();
            Service service = client.services().inNamespace("default").resource(new ServiceBuilder()
                    .withNewMetadata().withName("outside").endMetadata()
                    .withNewSpec().withType("NodePort").withExternalIPs("203.0.113.10")
                    .addNewPort().withName("http").withProtocol("TCP").withPort(80).withNewTargetPort(80).endPort().endSpec()
                    .build()).create();
            client.discovery().v1().endpointSlices().inNamespace("default").resource(new EndpointSliceBuilder()
                    .withNewMetadata().withName("outside-1").addToLabels("kubernetes.io/service-name", "outside").endMetadata()
                    .withAddressType("IPv4")
                    .addNewEndpoint().withAddresses("198.51.100.7").withNewConditions().withReady(true).endConditions().endEndpoint()
                    .addNewPort().withName("http").withProtocol("TCP").withPort(80).endPort().build()).create();
            int nodePort = service.getSpec().getPorts().get(0).getNodePort();
            Await.until("kube-proxy programs node port " + nodePort + " and external IP 203.0.113.10", Duration.ofSeconds(60),
                    () -> HostCommand.run(firstNode("iptables", "-w", "5", "-t", "nat", "-S")).output().contains("--dport " + nodePort)
                            && HostCommand.run(firstNode("iptables", "-w", "5", "-t", "nat", "-S")).output().contains("203.0.113.10/32"));
            cluster.images().load(sleeperImage(dir));
            long rejectedBefore = guard.rejectedByRule().get(HostNetworkGuard.EGRESS_RULE);

            client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("to-outside").endMetadata()
                    .withNewSpec().withRestartPolicy("Never").withTerminationGracePeriodSeconds(0L).addNewContainer()
                    .withName("main").withImage("polykube.local/sleeper:1").withImagePullPolicy("Never")
                    .withCommand("/bin/busybox", "sh", "-c", "/bin/busybox nc -w 3 " + nodeIp() + " " + nodePort
                            + " </dev/null; echo nodeport=$?; /bin/busybox nc -w 3 203.0.113.10 80 </dev/null; echo external=$?")
                    .endContainer().endSpec().build()).create();
            Pod done = client.pods().inNamespace("default").withName("to-outside").waitUntilCondition(p -> p != null
                    && ("Succeeded".equals(p.getStatus().getPhase()) || "Failed".equals(p.getStatus().getPhase())), 90,
                    java.util.concurrent.TimeUnit.SECONDS);
            String log = client.pods().inNamespace("default").withName("to-outside").getLog();

            assertThat(done.getStatus().getPhase()).isEqualTo("Succeeded");
            assertThat(log).contains("nodeport=1").contains("external=1");
            assertThat(outside.dropped()).as("packets to the outside endpoint that got past the guard").isZero();
            assertThat(guard.rejectedByRule().get(HostNetworkGuard.EGRESS_RULE) - rejectedBefore)
                    .as("the guard's rejections of pod traffic leaving the host").isGreaterThanOrEqualTo(2);
        } finally {
            cluster.client().pods().inNamespace("default").withName("to-outside").withGracePeriod(0).delete();
            cluster.client().services().inNamespace("default").withName("outside").delete();
            cluster.client().discovery().v1().endpointSlices().inNamespace("default").withName("outside-1").delete();
        }
    }

    /**
     * The cluster turns ip_forward on for pod traffic; the host, which forwarded nothing before, must not start routing
     * between its other interfaces: a connection from one test network to another through the host is rejected, while
     * the server listens.
     */
    @Test
    void theHostForwardsOnlyTheClustersTrafficWhenTheClusterTurnedForwardingOn() throws Exception {
        NodeRecord record = NodeRecord.read(new ClusterLayout(dir).node().root()).orElseThrow();
        assumeTrue("0".equals(record.ipForwardBefore()), "net.ipv4.ip_forward was already 1 before the cluster started, so "
                + "the host's own forwarding is left as it was");
        HostNetworkGuard guard = HostNetworkGuard.of(cluster.spec());
        try (RoutedNetworks networks = RoutedNetworks.create()) {
            Process server = new ProcessBuilder(RoutedNetworks.in(RoutedNetworks.B, "/bin/busybox", "nc", "-l", "-p", "8080"))
                    .redirectErrorStream(true).start();
            try {
                Await.until("a server listening in " + RoutedNetworks.B, Duration.ofSeconds(20), () -> HostCommand.run(
                        RoutedNetworks.in(RoutedNetworks.B, "/bin/busybox", "netstat", "-ltn")).output().contains(":8080"));
                long before = guard.rejectedForwarding();

                HostCommand.Result client = HostCommand.run(RoutedNetworks.in(RoutedNetworks.A, "/bin/busybox", "nc", "-w", "3",
                        networks.bAddress(), "8080"));

                assertThat(client.ok()).as("a connection forwarded between two interfaces that are not the cluster's: %s",
                        client.output()).isFalse();
                assertThat(guard.rejectedForwarding() - before).isPositive();
                assertThat(server.isAlive()).as("the server never saw the connection").isTrue();
            } finally {
                server.destroyForcibly();
            }
        }
    }

    /** containerd shims of this cluster (one per pod sandbox). */
    private long shims() {
        return ProcessHandle.allProcesses().filter(h -> h.info().commandLine().map(c -> c.contains("containerd-shim")
                && c.contains(dir.toString())).orElse(false)).count();
    }

    @Test
    void missingImageGetsAnEventSayingToLoadIt() throws InterruptedException {
        KubernetesClient client = cluster.client();
        client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("missing").endMetadata()
                .withNewSpec().addNewContainer().withName("main").withImage("polykube.local/missing:1")
                .withImagePullPolicy("IfNotPresent").endContainer().endSpec().build()).create();
        var events = client.v1().events().inNamespace("default").withField("involvedObject.name", "missing");
        var event = Await.untilPresent("event " + MissingImageEvents.REASON + " for pod missing", Duration.ofSeconds(60),
                () -> events.list().getItems().stream().filter(e -> MissingImageEvents.REASON.equals(e.getReason()))
                        .findFirst());
        assertThat(event.getMessage()).contains("polykube.local/missing:1").contains("images().load");
        // containerd tried to pull and failed locally: its registry hosts directory (_default) sent the request for
        // polykube.local to the closed port on 127.0.0.1 as a mirror ("?ns=" marks a mirror request; containerd 2 redacts
        // its value), never upstream
        assertThat(client.v1().events().inNamespace("default").withField("involvedObject.name", "missing").list().getItems())
                .anyMatch(e -> e.getMessage() != null
                        && e.getMessage().contains("http://127.0.0.1:1/v2/missing/manifests/1?ns="));
    }

    static Path sleeperImage(Path dir) {
        return Images.fromFiles("polykube.local/sleeper:1")
                .file(Path.of("/bin/busybox"), "/bin/busybox", 0755)
                .entrypoint("/bin/busybox", "sh", "-c", "echo started; exec /bin/busybox sleep 3600")
                .writeTo(dir.resolve("sleeper.tar"));
    }

    /** {@code command}, run in the first node's network namespace. */
    private List<String> firstNode(String... command) {
        return NodeNamespace.inside(NodeNamespace.NETNS_DIR.resolve(cluster.spec().hostNames().netns("polykube-node")), command);
    }

    private String nodeIp() {
        return cluster.spec().network().nodeAddress(0).getHostAddress();
    }

    static Pod sleeperPod(String name) {
        return new PodBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().addNewContainer().withName("main").withImage("polykube.local/sleeper:1")
                .withImagePullPolicy("Never").endContainer().withTerminationGracePeriodSeconds(0L).endSpec().build();
    }

    @Test
    void guardRejectsUntranslatedServiceAddressesLocally() throws IOException {
        HostNetworkGuard guard = HostNetworkGuard.of(cluster.spec());
        guard.requireInstalled();
        long before = guard.rejectedServicePackets();
        // An address in the service CIDR that no Service has: kube-proxy has no rule for it, as if it were stopped.
        InetSocketAddress target = new InetSocketAddress(guard.serviceCidr().addressAt(65000), 80);
        long t0 = System.nanoTime();
        try (Socket s = new Socket()) {
            assertThatThrownBy(() -> s.connect(target, 3000)).isInstanceOf(ConnectException.class);
        }
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
        assertThat(guard.rejectedServicePackets()).isGreaterThan(before);

        // a pod-network address that is not on this node's bridge would follow the default route: rejected locally too
        long all = guard.rejectedPackets();
        InetSocketAddress offBridge = new InetSocketAddress(guard.clusterCidr().addressAt(200 * 256 + 9), 80);
        try (Socket s = new Socket()) {
            assertThatThrownBy(() -> s.connect(offBridge, 3000)).isInstanceOf(ConnectException.class);
        }
        assertThat(guard.rejectedPackets()).isGreaterThan(all);
    }

    @Test
    void secondFullClusterIsRefused() throws IOException {
        Path other = Files.createTempDirectory(Path.of("/tmp"), "pkfull2");
        assertThatThrownBy(() -> Cluster.builder().name("other").directory(other).mode(Mode.FULL).build().start())
                .isInstanceOf(PolykubeException.class)
                .hasMessageContaining("cluster 'fullit'")
                .hasMessageContaining("only one");
        assertThat(HostNetworkGuard.of(cluster.spec()).missing()).as("the guard, with FORWARD and OUTPUT:\n%s%s",
                HostCommand.run("iptables", "-w", "5", "-S", "FORWARD").output(),
                HostCommand.run("iptables", "-w", "5", "-S", "OUTPUT").output()).isEmpty();
        HostState.deleteDirectory(other);
    }
}
