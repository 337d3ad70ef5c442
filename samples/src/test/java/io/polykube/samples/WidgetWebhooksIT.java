package io.polykube.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.polykube.api.junit.Polykube;
import io.polykube.api.junit.Reset;
import io.polykube.api.junit.WithPolykube;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Testing an operator's webhooks: its production manifests, unchanged, registered at start and pointed at
 * {@link WidgetWebhookServer} in this JVM; validation, defaulting and conversion all run in the real API server.
 */
@WithPolykube(webhooks = "classpath:widget-operator/webhooks.yaml", webhookServer = WidgetWebhookServer.class,
        reset = Reset.PER_METHOD)
class WidgetWebhooksIT {
    private static final ResourceDefinitionContext V1 = widgets("v1");
    private static final ResourceDefinitionContext V1ALPHA1 = widgets("v1alpha1");

    @Polykube
    KubernetesClient client;

    @Test
    void aWidgetTooBigIsRefusedWithTheWebhooksMessage() {
        assertThatThrownBy(() -> client.genericKubernetesResources(V1).inNamespace("default")
                .resource(widget("v1", "giant", Map.of("size", 40))).create())
                .isInstanceOf(KubernetesClientException.class)
                .hasMessageContaining("widget giant has size 40; widgets go up to 10");
    }

    @Test
    void aWidgetWithoutColorIsStoredBlue() {
        client.genericKubernetesResources(V1).inNamespace("default").resource(widget("v1", "plain", Map.of("size", 2))).create();
        assertThat(client.genericKubernetesResources(V1).inNamespace("default").withName("plain").get()
                .getAdditionalProperties().get("spec")).isEqualTo(Map.of("size", 2, "color", "blue"));
    }

    @Test
    void aWidgetWrittenAsV1alpha1ReadsBackAsV1() {
        client.genericKubernetesResources(V1ALPHA1).inNamespace("default")
                .resource(widget("v1alpha1", "old", Map.of("colour", "red"))).create();
        GenericKubernetesResource asV1 = client.genericKubernetesResources(V1).inNamespace("default").withName("old").get();
        assertThat(asV1.getApiVersion()).isEqualTo("samples.polykube.io/v1");
        assertThat(asV1.getAdditionalProperties().get("spec")).isEqualTo(Map.of("color", "red"));
    }

    private static ResourceDefinitionContext widgets(String version) {
        return new ResourceDefinitionContext.Builder().withGroup("samples.polykube.io").withVersion(version)
                .withKind("Widget").withPlural("widgets").withNamespaced(true).build();
    }

    private static GenericKubernetesResource widget(String version, String name, Map<String, Object> spec) {
        return new GenericKubernetesResourceBuilder().withApiVersion("samples.polykube.io/" + version).withKind("Widget")
                .withNewMetadata().withName(name).endMetadata().addToAdditionalProperties("spec", spec).build();
    }
}
