package io.polykube.api.internal.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.polykube.api.Cluster;
import io.polykube.api.error.PolykubeException;
import io.polykube.api.spec.ClusterSpec;
import io.polykube.api.spec.Mode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Three nodes on one host (one cluster for the class): the first node plus two workers in network namespaces that joined
 * by TLS bootstrap; DaemonSets, anti-affinity, pod-to-pod and Service traffic across nodes, logs and exec on workers, a
 * stopped worker going NotReady with its pods moving, and a clean host after close.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@EnabledIfSystemProperty(named = "user.name", matches = "root")
class MultiNodeIT {
    private static final String NAME = "multinode";
    private static final String NS = "spread";
    private static final String TOOLS = InClusterIT.TOOLS_IMAGE;
    private static final List<String> NODES = List.of("polykube-node", "worker-1", "worker-2");

    private Path dir;
    private Cluster cluster;
    private KubernetesClient client;

    @BeforeAll
    void start() throws IOException, InterruptedException {
        dir = Files.createTempDirectory(Path.of("/tmp"), "pkmulti");
        HostState.assertClean(NAME, dir, "before the test");
        cluster = HostTurn.start(ClusterSpec.builder().name(NAME).directory(dir).mode(Mode.FULL)
                .nodes(n -> n.count(3).dns(false))
                .etcd(e -> e.unsafeNoFsync(true)).startTimeout(Duration.ofMinutes(3)).build());
        client = cluster.client();
        cluster.images().load(InClusterIT.toolsImage(dir));
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
    }

    @AfterAll
    void stop() throws IOException {
        if (cluster != null) {
            cluster.close();
        }
        HostState.assertClean(NAME, dir, "after close");
        HostState.deleteDirectory(dir);
    }

    @Test
    @Order(1)
    void threeNodesAreReadyWithTheirOwnPodCidrsAndCertificatesFromTlsBootstrap() {
        assertThat(cluster.nodes()).containsExactlyElementsOf(NODES);
        List<Node> nodes = client.nodes().list().getItems();
        assertThat(nodes).extracting(n -> n.getMetadata().getName()).containsExactlyInAnyOrderElementsOf(NODES);
        assertThat(nodes).allSatisfy(n -> assertThat(n.getStatus().getConditions())
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus())));
        Map<String, String> podCidrs = nodes.stream().collect(Collectors.toMap(n -> n.getMetadata().getName(), n -> n.getSpec().getPodCIDR()));
        assertThat(podCidrs).containsEntry("worker-1", "10.244.1.0/24").containsEntry("worker-2", "10.244.2.0/24");
        assertThat(Set.copyOf(podCidrs.values())).hasSize(3);
        assertThat(nodes.stream().filter(n -> n.getMetadata().getName().startsWith("worker-")))
                .allSatisfy(n -> assertThat(n.getStatus().getAddresses()).anyMatch(a -> "InternalIP".equals(a.getType())
                        && a.getAddress().startsWith("10.244.255.")));
        var csrs = client.certificates().v1().certificateSigningRequests().list().getItems();
        for (String worker : List.of("worker-1", "worker-2")) {
            // the client certificate: asked for with the bootstrap token, approved by the controller manager
            assertThat(csrs).anyMatch(c -> "kubernetes.io/kube-apiserver-client-kubelet".equals(c.getSpec().getSignerName())
                    && c.getSpec().getUsername().startsWith("system:bootstrap:")
                    && c.getSpec().getGroups().contains(NodeJoin.GROUP) && c.getStatus().getCertificate() != null);
            // the serving certificate: asked for by the node itself, approved by polykube
            assertThat(csrs).anyMatch(c -> NodeJoin.KUBELET_SERVING.equals(c.getSpec().getSignerName())
                    && ("system:node:" + worker).equals(c.getSpec().getUsername()) && c.getStatus().getCertificate() != null
                    && c.getStatus().getConditions().stream().anyMatch(k -> "PolykubeApproved".equals(k.getReason())));
        }
        assertThat(cluster.status()).filteredOn(s -> s.node().isPresent()).extracting(s -> s.node().get() + "/" + s.component())
                .contains("worker-1/KUBELET", "worker-2/KUBE_PROXY", "worker-2/CONTAINERD");
        assertThatThrownBy(() -> cluster.node("worker-9")).isInstanceOf(PolykubeException.class).hasMessageContaining("worker-2");
    }

    @Test
    @Order(2)
    void aDaemonSetHasAPodOnEveryNode() {
        client.apps().daemonSets().inNamespace(NS).resource(new DaemonSetBuilder().withNewMetadata().withName("everywhere").endMetadata()
                .withNewSpec().withNewSelector().addToMatchLabels("app", "everywhere").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "everywhere").endMetadata()
                .withNewSpec().addToContainers(sleeper()).withTerminationGracePeriodSeconds(0L).endSpec().endTemplate().endSpec().build())
                .create();
        client.apps().daemonSets().inNamespace(NS).withName("everywhere").waitUntilCondition(ds -> ds != null && ds.getStatus() != null
                && Objects.equals(ds.getStatus().getNumberReady(), 3), 90, TimeUnit.SECONDS);
        assertThat(client.pods().inNamespace(NS).withLabel("app", "everywhere").list().getItems())
                .extracting(p -> p.getSpec().getNodeName()).containsExactlyInAnyOrderElementsOf(NODES);
    }

    @Test
    @Order(3)
    void aDeploymentWithAntiAffinitySpreadsOverTheNodes() {
        client.apps().deployments().inNamespace(NS).resource(new DeploymentBuilder().withNewMetadata().withName("web").endMetadata()
                .withNewSpec().withReplicas(3).withNewSelector().addToMatchLabels("app", "web").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "web").endMetadata()
                .withNewSpec().addToContainers(webServer()).withTerminationGracePeriodSeconds(0L)
                .withNewAffinity().withNewPodAntiAffinity().addNewRequiredDuringSchedulingIgnoredDuringExecution()
                .withTopologyKey("kubernetes.io/hostname").withNewLabelSelector().addToMatchLabels("app", "web").endLabelSelector()
                .endRequiredDuringSchedulingIgnoredDuringExecution().endPodAntiAffinity().endAffinity()
                .endSpec().endTemplate().endSpec().build()).create();
        client.apps().deployments().inNamespace(NS).withName("web").waitUntilReady(90, TimeUnit.SECONDS);
        assertThat(client.pods().inNamespace(NS).withLabel("app", "web").list().getItems())
                .extracting(p -> p.getSpec().getNodeName()).containsExactlyInAnyOrderElementsOf(NODES);
    }

    @Test
    @Order(4)
    void podsReachPodsOnOtherNodesByIpAndThroughAServiceBalancedOverTheNodesAndLogsAndExecWorkOnWorkers() {
        HostNetworkGuard.of(cluster.spec()).requireInstalled();
        client.services().inNamespace(NS).resource(new ServiceBuilder().withNewMetadata().withName("web").endMetadata()
                .withNewSpec().addToSelector("app", "web").addNewPort().withPort(80).withTargetPort(new IntOrString(80)).endPort()
                .endSpec().build()).create();
        Pod onWorker1 = client.pods().inNamespace(NS).withLabel("app", "web").list().getItems().stream()
                .filter(p -> "worker-1".equals(p.getSpec().getNodeName())).findFirst().orElseThrow();
        String webIp = onWorker1.getStatus().getPodIP();
        assertThat(webIp).startsWith("10.244.1.");
        String serviceIp = client.services().inNamespace(NS).withName("web").get().getSpec().getClusterIP();
        client.endpoints().inNamespace(NS).withName("web").waitUntilCondition(e -> e != null && !e.getSubsets().isEmpty()
                && e.getSubsets().get(0).getAddresses().size() == 3, 30, TimeUnit.SECONDS);

        for (String node : List.of("worker-2", "polykube-node")) {
            String name = "client-" + node;
            client.pods().inNamespace(NS).resource(new PodBuilder().withNewMetadata().withName(name).endMetadata()
                    .withNewSpec().withNodeName(node).withRestartPolicy("Never").withTerminationGracePeriodSeconds(0L)
                    .addNewContainer().withName("client").withImage(TOOLS).withImagePullPolicy("Never")
                    .withArgs(String.join("; ",
                            "echo byip=$(timeout 10 wget -q -O- http://" + webIp + ":80/ 2>&1)",
                            "i=0; while [ $i -lt 15 ]; do echo byservice=$(timeout 10 wget -q -O- http://" + serviceIp
                                    + ":80/ 2>&1); i=$((i+1)); done"))
                    .endContainer().endSpec().build()).create();
            client.pods().inNamespace(NS).withName(name).waitUntilCondition(p -> p != null && p.getStatus() != null
                    && "Succeeded".equals(p.getStatus().getPhase()), 90, TimeUnit.SECONDS);
            String log = client.pods().inNamespace(NS).withName(name).getLog();
            assertThat(log).as("from %s", node).contains("byip=web " + onWorker1.getMetadata().getName());
            Set<String> answers = log.lines().filter(l -> l.startsWith("byservice=web ")).collect(Collectors.toSet());
            assertThat(answers).as("pods answering the Service from %s:%n%s", node, log).hasSizeGreaterThanOrEqualTo(2);
        }
        // logs and exec go from the API server to the worker's kubelet, which serves with its bootstrapped certificate
        String web = onWorker1.getMetadata().getName();
        assertThat(client.pods().inNamespace(NS).withName(web).getLog()).contains("serving");
        var out = new java.io.ByteArrayOutputStream();
        try (var exec = client.pods().inNamespace(NS).withName(web).writingOutput(out).exec("cat", "/tmp/www/index.html")) {
            assertThat(exec.exitCode().join()).isZero();
        }
        assertThat(out.toString()).startsWith("web " + web);
    }

    @Test
    @Order(5)
    void aStoppedWorkerGoesNotReadyAndItsPodsMove() {
        client.apps().deployments().inNamespace(NS).resource(new DeploymentBuilder().withNewMetadata().withName("mover").endMetadata()
                .withNewSpec().withReplicas(1).withNewSelector().addToMatchLabels("app", "mover").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "mover").endMetadata()
                .withNewSpec().addToContainers(sleeper()).withTerminationGracePeriodSeconds(0L)
                .withNewAffinity().withNewNodeAffinity().addNewPreferredDuringSchedulingIgnoredDuringExecution()
                .withWeight(100).withNewPreference().addNewMatchExpression().withKey("kubernetes.io/hostname").withOperator("In")
                .withValues("worker-2").endMatchExpression().endPreference().endPreferredDuringSchedulingIgnoredDuringExecution()
                .endNodeAffinity().endAffinity().endSpec().endTemplate().endSpec().build()).create();
        client.apps().deployments().inNamespace(NS).withName("mover").waitUntilReady(60, TimeUnit.SECONDS);
        assertThat(client.pods().inNamespace(NS).withLabel("app", "mover").list().getItems())
                .extracting(p -> p.getSpec().getNodeName()).containsExactly("worker-2");

        long t0 = System.nanoTime();
        cluster.node("worker-2").stop();
        assertThat(cluster.node("worker-2").running()).isFalse();
        client.nodes().withName("worker-2").waitUntilCondition(n -> n.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && !"True".equals(c.getStatus())), 60, TimeUnit.SECONDS);
        long notReady = System.nanoTime();
        client.pods().inNamespace(NS).withLabel("app", "mover").waitUntilCondition(p -> p != null && p.getStatus() != null
                && !"worker-2".equals(p.getSpec().getNodeName()) && p.getMetadata().getDeletionTimestamp() == null
                && p.getStatus().getConditions().stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus())),
                90, TimeUnit.SECONDS);
        long moved = System.nanoTime();
        System.out.printf("worker-2 NotReady %d ms after stop, its pod Ready elsewhere %d ms after stop%n",
                (notReady - t0) / 1_000_000, (moved - t0) / 1_000_000);

        cluster.node("worker-2").start();
        assertThat(cluster.node("worker-2").running()).isTrue();
        assertThat(client.nodes().withName("worker-2").get().getStatus().getConditions())
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    @Test
    @Order(6)
    void aResetRemovesThePodsOfEveryNode() {
        assertThat(client.pods().inNamespace(NS).list().getItems()).isNotEmpty();
        cluster.reset();
        assertThat(client.namespaces().withName(NS).get()).isNull();
        assertThat(client.pods().inAnyNamespace().list().getItems()).isEmpty(); // no DNS in this cluster: no pod at start
        assertThat(client.nodes().list().getItems()).hasSize(3).allSatisfy(n -> assertThat(n.getStatus().getConditions())
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus())));
    }

    private static Container webServer() {
        return new ContainerBuilder().withName("web").withImage(TOOLS).withImagePullPolicy("Never")
                .withArgs("mkdir -p /tmp/www && echo \"web $(hostname)\" > /tmp/www/index.html && echo serving && exec httpd -f -p 80 -h /tmp/www")
                .build();
    }

    private static Container sleeper() {
        return new ContainerBuilder().withName("main").withImage(TOOLS).withImagePullPolicy("Never")
                .withArgs("exec /bin/busybox sleep 3600").build();
    }
}
