package io.polykube.samples;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.polykube.api.junit.TestNamespace;
import io.polykube.api.junit.WithPolykube;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Per-test isolation without restarting anything: each test gets a fresh namespace, so both tests can create a Deployment
 * named {@code web} and each sees only its own. The namespaces are deleted afterwards, and the class waits until the
 * namespace controller really removed them.
 */
@WithPolykube(namespacePerTest = true)
class NamespacePerTestIT {

    @Test
    void controllersTurnADeploymentIntoAReplicaSetAndPods(TestNamespace namespace) {
        KubernetesClient client = namespace.client();
        client.apps().deployments().resource(web(2)).create();

        // The controller manager runs: a ReplicaSet and two Pods appear. In Mode.CONTROL_PLANE there is no node, so the
        // Pods stay Pending; @WithPolykube(mode = Mode.FULL) runs them.
        client.apps().replicaSets().withLabel("app", "web")
                .informOnCondition(sets -> sets.size() == 1).orTimeout(60, TimeUnit.SECONDS).join();
        var pods = client.pods().withLabel("app", "web")
                .informOnCondition(list -> list.size() == 2).orTimeout(60, TimeUnit.SECONDS).join();
        assertThat(pods).allSatisfy(pod -> assertThat(pod.getStatus().getPhase()).isEqualTo("Pending"));
    }

    @Test
    void theSameNamesInAnotherTestDoNotClash(TestNamespace namespace) {
        KubernetesClient client = namespace.client();
        client.apps().deployments().resource(web(1)).create();

        assertThat(client.apps().deployments().list().getItems()).extracting(d -> d.getMetadata().getName())
                .containsExactly("web");
        assertThat(client.apps().deployments().withName("web").get().getMetadata().getNamespace()).isEqualTo(namespace.name());
    }

    private static Deployment web(int replicas) {
        return new DeploymentBuilder()
                .withNewMetadata().withName("web").endMetadata()
                .withNewSpec()
                    .withReplicas(replicas)
                    .withNewSelector().addToMatchLabels("app", "web").endSelector()
                    .withNewTemplate()
                        .withNewMetadata().addToLabels("app", "web").endMetadata()
                        .withNewSpec().addNewContainer().withName("web").withImage("registry.k8s.io/pause:3.10").endContainer().endSpec()
                    .endTemplate()
                .endSpec()
                .build();
    }
}
