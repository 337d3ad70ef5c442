package io.polykube.api.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.polykube.api.Cluster;
import io.polykube.api.Mode;
import io.polykube.runtime.binaries.Binaries;
import io.polykube.runtime.binaries.Binary;
import io.polykube.runtime.binaries.BinaryVersions;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Workloads inside a FULL cluster (one cluster for the class): a pod reaches the API server through the {@code kubernetes}
 * Service with its service account, and RBAC decides what it may do.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@EnabledIfSystemProperty(named = "user.name", matches = "root")
class InClusterIT {
    static final String TOOLS_IMAGE = "polykube.local/tools:1";
    private static final String NS = "incluster";

    private Path dir;
    private Cluster cluster;
    private KubernetesClient client;

    @BeforeAll
    void start() throws IOException, InterruptedException {
        dir = Files.createTempDirectory(Path.of("/tmp"), "pkincluster");
        HostState.assertClean("incluster", dir, "before the test");
        cluster = HostTurn.start(Cluster.builder().name("incluster").directory(dir).mode(Mode.FULL)
                .etcd(e -> e.unsafeNoFsync(true)).startTimeout(Duration.ofMinutes(2)).build());
        client = cluster.client();
        cluster.images().load(toolsImage(dir));
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
    }

    @AfterAll
    void stop() throws IOException {
        if (cluster != null) {
            cluster.close();
        }
        HostState.assertClean("incluster", dir, "after close");
        HostState.deleteDirectory(dir);
    }

    /** busybox and the project's own kubectl: enough for a pod to use the API with in-cluster config. */
    static Path toolsImage(Path dir) {
        Path kubectl = Binaries.builder().versions(BinaryVersions.defaults()).build().resolve(Binary.KUBECTL).path();
        return Images.fromFiles(TOOLS_IMAGE)
                .file(Path.of("/bin/busybox"), "/bin/busybox", 0755)
                .symlink("/bin/sh", "busybox")
                .file(kubectl, "/bin/kubectl", 0755)
                .env("HOME", "/tmp")
                .entrypoint("/bin/busybox", "sh", "-c")
                .writeTo(dir.resolve("tools.tar"));
    }

    @Test
    void theKubernetesServicePointsAtTheApiServerOnTheBridge() {
        InetAddress bridge = NetworkGuard.of(cluster.spec()).gateway();
        assertThat(cluster.apiServerUrl().getHost()).isEqualTo(bridge.getHostAddress());
        var endpoints = client.endpoints().inNamespace("default").withName("kubernetes").get();
        assertThat(endpoints.getSubsets()).singleElement().satisfies(s -> {
            assertThat(s.getAddresses()).singleElement().satisfies(a -> assertThat(a.getIp()).isEqualTo(bridge.getHostAddress()));
            assertThat(s.getPorts()).singleElement().satisfies(p -> assertThat(p.getPort()).isEqualTo(cluster.apiServerUrl().getPort()));
        });
        assertThat(client.services().inNamespace("default").withName("kubernetes").get().getSpec().getClusterIP())
                .isEqualTo(cluster.spec().apiServer().serviceCidr().addressAt(1).getHostAddress());
    }

    @Test
    void aPodUsesTheApiWithItsServiceAccountWithinWhatRbacGrants() {
        for (String account : List.of("reader", "nobody")) {
            client.serviceAccounts().inNamespace(NS).resource(new ServiceAccountBuilder().withNewMetadata().withName(account)
                    .endMetadata().build()).create();
        }
        client.rbac().roles().inNamespace(NS).resource(new RoleBuilder().withNewMetadata().withName("pod-reader").endMetadata()
                .addNewRule().withApiGroups("").withResources("pods").withVerbs("get", "list").endRule().build()).create();
        client.rbac().roleBindings().inNamespace(NS).resource(new RoleBindingBuilder().withNewMetadata().withName("reader")
                .endMetadata().withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("Role").withName("pod-reader")
                .endRoleRef().addNewSubject().withKind("ServiceAccount").withName("reader").withNamespace(NS).endSubject().build())
                .create();
        String script = "echo host=$KUBERNETES_SERVICE_HOST; kubectl get pods -o name; echo exit=$?";
        client.pods().inNamespace(NS).resource(toolsPod("as-reader", "reader", script)).create();
        client.pods().inNamespace(NS).resource(toolsPod("as-nobody", "nobody", script)).create();

        String allowed = logWhenDone("as-reader");
        assertThat(allowed).contains("host=" + cluster.spec().apiServer().serviceCidr().addressAt(1).getHostAddress())
                .contains("pod/as-reader").contains("pod/as-nobody").contains("exit=0");
        String denied = logWhenDone("as-nobody");
        assertThat(denied).contains("Forbidden").contains("system:serviceaccount:" + NS + ":nobody")
                .contains("cannot list resource \"pods\"").contains("exit=1");
    }

    static Pod toolsPod(String name, String serviceAccount, String script) {
        return new PodBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withServiceAccountName(serviceAccount).withRestartPolicy("Never").withTerminationGracePeriodSeconds(0L)
                .addNewContainer().withName("main").withImage(TOOLS_IMAGE).withImagePullPolicy("Never").withArgs(script).endContainer()
                .endSpec().build();
    }

    private String logWhenDone(String pod) {
        var resource = client.pods().inNamespace(NS).withName(pod);
        Pod done = resource.waitUntilCondition(p -> p != null && p.getStatus() != null
                && List.of("Succeeded", "Failed").contains(p.getStatus().getPhase()), 90, TimeUnit.SECONDS);
        assertThat(done.getStatus().getPhase()).as("pod %s", pod).isEqualTo("Succeeded");
        return resource.getLog();
    }
}
