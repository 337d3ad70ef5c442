package io.polykube.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.WebhookClientConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.polykube.api.Cluster;
import io.polykube.api.InstalledWebhooks;
import io.polykube.api.junit.Polykube;
import io.polykube.api.junit.WithPolykube;
import io.polykube.api.spec.Mode;
import io.polykube.api.spec.WebhookManifests;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The same webhooks in mode FULL, on the production route: the configurations keep {@code clientConfig.service}
 * ({@code widget-system/widget-webhook}), and the API server calls {@code https://widget-webhook.widget-system.svc}, which
 * kube-proxy sends to {@link WidgetWebhookServer} in this JVM (listening on the node's address). FULL needs root and
 * runs one cluster per host, so this class takes its own cluster.
 */
@WithPolykube(mode = Mode.FULL, freshCluster = true, dns = false)
class WidgetWebhooksThroughServiceIT {
    private static final String SERVICE = "widget-system/widget-webhook";
    private static final WidgetWebhookServer SERVER = new WidgetWebhookServer();
    private static InstalledWebhooks webhooks;

    @Polykube
    KubernetesClient client;

    @BeforeAll
    static void serveAndRegister(Cluster cluster) throws IOException {
        int port = SERVER.start(cluster.webhooks().certificate(SERVICE)); // valid for widget-webhook.widget-system.svc
        webhooks = cluster.webhooks().install(WebhookManifests.builder().classpath("widget-operator/webhooks.yaml")
                .throughServices().server(port).build());
    }

    @AfterAll
    static void unregister() {
        if (webhooks != null) {
            webhooks.close(); // the webhooks, their Service and EndpointSlice, and the namespace polykube made for them
        }
        SERVER.close();
    }

    @Test
    void theConfigurationKeepsItsServiceAndTheApiServerCallsThisJvmThroughIt() {
        WebhookClientConfig stored = client.admissionRegistration().v1().validatingWebhookConfigurations()
                .withName("widget-validation").get().getWebhooks().get(0).getClientConfig();
        assertThat(stored.getService().getNamespace()).isEqualTo("widget-system");
        assertThat(stored.getUrl()).isNull();

        ResourceDefinitionContext widgets = new ResourceDefinitionContext.Builder().withGroup("samples.polykube.io")
                .withVersion("v1").withKind("Widget").withPlural("widgets").withNamespaced(true).build();
        assertThatThrownBy(() -> client.genericKubernetesResources(widgets).inNamespace("default")
                .resource(new GenericKubernetesResourceBuilder().withApiVersion("samples.polykube.io/v1").withKind("Widget")
                        .withNewMetadata().withName("giant").endMetadata()
                        .addToAdditionalProperties("spec", Map.of("size", 40)).build()).create())
                .isInstanceOf(KubernetesClientException.class)
                .hasMessageContaining("widget giant has size 40; widgets go up to 10");
    }
}
