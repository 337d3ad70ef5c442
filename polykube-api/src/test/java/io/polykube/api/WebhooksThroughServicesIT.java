package io.polykube.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.WebhookClientConfig;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.polykube.api.error.PolykubeException;
import io.polykube.api.spec.Mode;
import io.polykube.api.spec.WebhookManifests;
import io.polykube.api.webhook.WebhookCertificate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The unchanged route, in mode FULL: the operator's webhook configurations keep their {@code clientConfig.service}, and
 * the API server reaches the server in this JVM through that Service (made by polykube, without a selector) and an
 * EndpointSlice to the node's address, translated by kube-proxy.
 */
@EnabledIfSystemProperty(named = "user.name", matches = "root")
class WebhooksThroughServicesIT {
    private static final String SERVICE = "gadget-system/gadget-webhook";

    static Cluster cluster;
    static WebhookTestServer server;
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory(Path.of("/tmp"), "pkwebhooksvc");
        cluster = Cluster.builder().name("webhooksvc").directory(dir).mode(Mode.FULL).node(n -> n.dns(false))
                .etcd(e -> e.unsafeNoFsync(true)).startTimeout(Duration.ofMinutes(2)).build().start();
        WebhookCertificate certificate = cluster.webhooks().certificate(SERVICE);
        assertThat(certificate.names()).contains("gadget-webhook.gadget-system.svc");
        assertThat(certificate.address()).isEqualTo(cluster.networkGuard().gateway());
        server = new WebhookTestServer(certificate.sslContext(), certificate.address())
                .handle("/validate", WebhooksIT::validate)
                .handle("/mutate", WebhooksIT::mutate)
                .handle("/convert", WebhooksIT::convert)
                .start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (cluster != null) {
            cluster.close();
        }
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    @Test
    void theApiServerCallsValidationMutationAndConversionThroughTheManifestsOwnServiceAndCloseRemovesTheRoute() {
        KubernetesClient client = cluster.client();
        try (InstalledWebhooks installed = cluster.webhooks().install(throughServices(server.port()))) {
            assertThat(installed.targets()).allMatch(t -> t.url().getHost().equals("gadget-webhook.gadget-system.svc"));

            WebhookClientConfig stored = client.admissionRegistration().v1().validatingWebhookConfigurations()
                    .withName("gadget-policy").get().getWebhooks().get(0).getClientConfig();
            assertThat(stored.getUrl()).isNull();
            assertThat(stored.getService().getName()).isEqualTo("gadget-webhook");
            assertThat(stored.getCaBundle()).isNotBlank();
            Service service = client.services().inNamespace("gadget-system").withName("gadget-webhook").get();
            assertThat(service.getSpec().getSelector()).isNullOrEmpty();
            EndpointSlice slice = client.discovery().v1().endpointSlices().inNamespace("gadget-system")
                    .withName("gadget-webhook-polykube").get();
            assertThat(slice.getEndpoints().get(0).getAddresses())
                    .containsExactly(cluster.networkGuard().gateway().getHostAddress());

            assertThatThrownBy(() -> client.genericKubernetesResources(WebhooksIT.GADGETS_V1).inNamespace("default")
                    .resource(WebhooksIT.gadget("v1", "too-big", "replicas", 12)).create())
                    .isInstanceOf(KubernetesClientException.class)
                    .hasMessageContaining("gadget too-big asks for 12 replicas; the limit is 10");
            client.genericKubernetesResources(WebhooksIT.GADGETS_V1).inNamespace("default")
                    .resource(WebhooksIT.gadget("v1", "small", "replicas", 2)).create();
            GenericKubernetesResource stored2 = client.genericKubernetesResources(WebhooksIT.GADGETS_V1).inNamespace("default")
                    .withName("small").get();
            assertThat(stored2.getMetadata().getLabels()).containsEntry("webhooks.polykube.test/defaulted", "true");
            assertThat(server.calls("/validate", false)).isPositive();

            client.genericKubernetesResources(WebhooksIT.GADGETS_V1ALPHA1).inNamespace("default")
                    .resource(WebhooksIT.gadget("v1alpha1", "old-style", "size", 4)).create();
            assertThat(client.genericKubernetesResources(WebhooksIT.GADGETS_V1).inNamespace("default").withName("old-style")
                    .get().getAdditionalProperties().get("spec")).isEqualTo(Map.of("replicas", 4));
            assertThat(server.requests).anyMatch(r -> "/convert".equals(r.path("path").asText()));
        }
        assertThat(client.services().inNamespace("gadget-system").withName("gadget-webhook").get()).isNull();
        assertThat(client.namespaces().withName("gadget-system").get()).isNull();
        assertThat(client.admissionRegistration().v1().validatingWebhookConfigurations().withName("gadget-policy").get())
                .isNull();
    }

    @Test
    void aServerWithTheLoopbackCertificateFailsInstallNamingTheServiceAndTheCertificateToUse() throws Exception {
        WebhookCertificate loopback = cluster.webhooks().certificate();
        try (WebhookTestServer wrong = new WebhookTestServer(loopback.sslContext(), cluster.networkGuard().gateway())
                .handle("/", r -> WebhookTestServer.JSON.createObjectNode().put("allowed", true)).start()) {
            assertThatThrownBy(() -> cluster.webhooks().install(throughServices(wrong.port())))
                    .isInstanceOf(PolykubeException.class)
                    .hasMessageContaining("https://gadget-webhook.gadget-system.svc:443")
                    .hasMessageContaining("TLS handshake failed")
                    .hasMessageContaining("certificate(\"<namespace>/<name>\")");
            assertThat(wrong.requests).isEmpty();
        }
        assertThat(cluster.client().services().inNamespace("gadget-system").list().getItems()).isEmpty();
    }

    private static WebhookManifests throughServices(int port) {
        return WebhookManifests.builder().classpath("webhooks/gadgets.yaml").throughServices().server(SERVICE, port).build();
    }
}
