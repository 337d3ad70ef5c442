package io.polykube.samples;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.polykube.api.Cluster;
import io.polykube.api.junit.EnabledForKubernetes;
import io.polykube.api.junit.Polykube;
import io.polykube.api.junit.TestNamespace;
import io.polykube.api.junit.WithPolykube;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The operator of {@link GreeterOperatorIT}, tested on every Kubernetes minor in upstream support, in one run: the class
 * runs once per minor ({@code [k8s 1.35.8]}, {@code [k8s 1.36.5]}, ... in the report), each against a control plane of
 * that minor. A test that needs a newer minor says so with {@link EnabledForKubernetes} and is skipped, with the reason,
 * on the older ones.
 */
@WithPolykube(versions = "supported", namespacePerTest = true)
class GreeterOperatorAcrossVersionsIT {
    @Polykube
    TestNamespace namespace;

    @Test
    void greetsAndIsCleanedUpOnEveryMinor(Cluster cluster) {
        KubernetesClient client = namespace.client();
        assertThat(client.getKubernetesVersion().getGitVersion()).isEqualTo("v" + cluster.kubernetesVersion());
        try (GreeterOperator operator = new GreeterOperator(client)) {
            client.configMaps().resource(new ConfigMapBuilder()
                    .withNewMetadata().withName("team").addToLabels(GreeterOperator.LABEL, "true").endMetadata()
                    .addToData("name", "polykube")
                    .build()).create();
            client.configMaps().withName("team-greeting")
                    .waitUntilCondition(cm -> cm != null && "Hello, polykube!".equals(cm.getData().get("greeting")), 30, TimeUnit.SECONDS);

            client.configMaps().withName("team").delete();
            client.configMaps().withName("team-greeting").waitUntilCondition(Objects::isNull, 60, TimeUnit.SECONDS);
        }
    }

    @Test
    @EnabledForKubernetes(min = "1.36")
    void runsFrom136On(Cluster cluster) {
        // Where the operator relies on an API of 1.36 or newer; on 1.35 this test is skipped, the reason in the report.
        assertThat(cluster.kubernetesVersion().isAtLeast("1.36")).isTrue();
    }
}
