package consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Version;
import io.polykube.api.Cluster;
import io.polykube.api.faults.Fault;
import io.polykube.api.faults.FaultAction;
import io.polykube.api.faults.Faults;
import io.polykube.api.faults.InjectedFault;
import io.polykube.api.faults.RequestMatcher;
import io.polykube.api.junit.Polykube;
import io.polykube.api.junit.TestNamespace;
import io.polykube.api.junit.WithPolykube;
import io.polykube.api.spec.Mode;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/**
 * A user's test on the fabric8 and JUnit versions its build chose: the cluster starts and serves this project's client,
 * and the fault proxy runs on the Vert.x that fabric8 brought.
 */
@WithPolykube(mode = Mode.CONTROL_PLANE, namespacePerTest = true)
class PolykubeInAUsersProjectTest {
    @Polykube
    TestNamespace namespace;

    @Test
    void runsOnTheVersionsTheProjectChose() {
        assertEquals(System.getProperty("expected.fabric8.version"), Version.clientVersion(), "fabric8 on the classpath");
        assertEquals(System.getProperty("expected.junit.version"), Test.class.getPackage().getImplementationVersion(),
                "JUnit on the classpath");
    }

    @Test
    void theClusterServesThisProjectsClient(Cluster cluster, KubernetesClient client) {
        assertEquals("v" + cluster.kubernetesVersion(), client.getKubernetesVersion().getGitVersion());
        namespace.client().configMaps().resource(new ConfigMapBuilder()
                .withNewMetadata().withName("greeting").endMetadata().addToData("text", "hello").build()).create();
        ConfigMap read = client.configMaps().inNamespace(namespace.name()).withName("greeting").get();
        assertEquals("hello", read.getData().get("text"));
    }

    @Test
    void aPlainClientReadsTheClustersKubeconfig(Cluster cluster) throws Exception {
        Config config = Config.fromKubeconfig(null, Files.readString(cluster.kubeconfig()), cluster.kubeconfig().toString());
        try (KubernetesClient plain = new KubernetesClientBuilder().withConfig(config).build()) {
            assertEquals("v" + cluster.kubernetesVersion(), plain.getKubernetesVersion().getGitVersion());
        }
    }

    @Test
    void faultsReachThisProjectsClient(Faults faults) {
        InjectedFault conflict = faults.inject(Fault.on(RequestMatcher.get("configmaps").in(namespace.name()))
                .then(FaultAction.conflict()).times(1));
        try (KubernetesClient throughFaults = faults.client("consumer", "system:masters")) {
            KubernetesClientException refused = assertThrows(KubernetesClientException.class,
                    () -> throughFaults.configMaps().inNamespace(namespace.name()).withName("any").get());
            assertEquals(409, refused.getCode());
            assertNull(throughFaults.configMaps().inNamespace(namespace.name()).withName("any").get(), "passed through");
        }
        assertEquals(1, conflict.hits());
    }
}
