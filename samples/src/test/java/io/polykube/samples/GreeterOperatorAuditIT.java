package io.polykube.samples;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.polykube.api.Cluster;
import io.polykube.api.audit.AuditEvent;
import io.polykube.api.audit.AuditLog;
import io.polykube.api.audit.AuditQuery;
import io.polykube.api.junit.Polykube;
import io.polykube.api.junit.TestNamespace;
import io.polykube.api.junit.WithPolykube;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Asserting on what an operator asked the API server, from the audit log: the operator runs as its own user
 * ({@code greeter}), and the test's {@link AuditLog} holds only what happened during this test.
 */
@WithPolykube(namespacePerTest = true)
class GreeterOperatorAuditIT {
    @Polykube
    TestNamespace namespace;
    @Polykube
    AuditLog audit;

    @Test
    void reconcilingOneSourceTakesOneWriteAndNeverTouchesSecrets(Cluster cluster) {
        try (KubernetesClient greeter = cluster.client("greeter", "system:masters");
                GreeterOperator operator = new GreeterOperator(
                        greeter.adapt(NamespacedKubernetesClient.class).inNamespace(namespace.name()))) {
            namespace.client().configMaps().resource(new ConfigMapBuilder()
                    .withNewMetadata().withName("team").addToLabels(GreeterOperator.LABEL, "true").endMetadata()
                    .addToData("name", "audit").build()).create();
            namespace.client().configMaps().withName("team-greeting")
                    .waitUntilCondition(cm -> cm != null && "Hello, audit!".equals(cm.getData().get("greeting")), 30, TimeUnit.SECONDS);
        }

        AuditQuery byOperator = AuditQuery.all().user("greeter");
        List<AuditEvent> writes = audit.inNamespace(namespace.name()).await(byOperator.writes(), 1, Duration.ofSeconds(10));
        assertThat(writes).as("the operator's writes").hasSize(1).allSatisfy(e -> {
            assertThat(e.verb()).isEqualTo("patch"); // server-side apply
            assertThat(e.name()).isEqualTo("team-greeting");
            assertThat(e.responseCode()).isIn(200, 201);
        });
        assertThat(audit.events(byOperator.resource("secrets"))).as("the operator's requests for secrets").isEmpty();
        assertThat(audit.events(byOperator.verbs("list", "watch"))).as("the operator's LIST and WATCH")
                .allSatisfy(e -> assertThat(e.namespace()).isEqualTo(namespace.name()));
    }
}
