package io.polykube.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.polykube.api.junit.Polykube;
import io.polykube.api.junit.Reset;
import io.polykube.api.junit.WebhookServer;
import io.polykube.api.junit.WithPolykube;
import io.polykube.api.webhook.WebhookCertificate;
import org.junit.jupiter.api.RepeatedTest;

/**
 * {@code @WithPolykube(webhooks = ..., webhookServer = ...)}: the extension starts the server with the cluster's
 * certificate before the cluster, registers the webhooks at start, and a reset before each test keeps them.
 */
@WithPolykube(webhooks = "classpath:webhooks/gadgets.yaml", webhookServer = WithPolykubeWebhooksIT.GadgetServer.class,
        reset = Reset.PER_METHOD)
class WithPolykubeWebhooksIT {

    /** The gadget operator's webhooks on the JDK's HttpsServer. */
    public static final class GadgetServer implements WebhookServer {
        private WebhookTestServer server;

        @Override
        public int start(WebhookCertificate certificate) throws Exception {
            server = new WebhookTestServer(certificate.sslContext()).handle("/validate", WebhooksIT::validate)
                    .handle("/mutate", WebhooksIT::mutate).handle("/convert", WebhooksIT::convert).start();
            return server.port();
        }

        @Override
        public void close() {
            server.close();
        }
    }

    @RepeatedTest(2)
    void theWebhooksAreThereInEveryTestAfterTheReset(@Polykube KubernetesClient client) {
        assertThatThrownBy(() -> client.genericKubernetesResources(WebhooksIT.GADGETS_V1).inNamespace("default")
                .resource(WebhooksIT.gadget("v1", "huge", "replicas", 50)).create())
                .hasMessageContaining("gadget huge asks for 50 replicas; the limit is 10");
        client.genericKubernetesResources(WebhooksIT.GADGETS_V1).inNamespace("default")
                .resource(WebhooksIT.gadget("v1", "fine", "replicas", 1)).create();
        assertThat(client.genericKubernetesResources(WebhooksIT.GADGETS_V1).inNamespace("default").withName("fine").get()
                .getMetadata().getLabels()).containsEntry("webhooks.polykube.test/defaulted", "true");
    }
}
