package io.polykube.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.polykube.api.error.PolykubeException;
import io.polykube.api.spec.Mode;
import io.polykube.api.webhook.WebhookCertificate;
import io.polykube.api.spec.WebhookManifests;
import io.polykube.pki.CertificateAuthority;
import io.polykube.pki.CertificateSpec;
import io.polykube.pki.KeyAlgorithm;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Admission and conversion webhooks served from this JVM (a JDK HttpsServer), registered from an operator's unchanged
 * manifests: denials carry the webhook's message, mutations are stored, v1alpha1 objects read back as v1, a reset removes
 * a run-time install, and a server that does not answer or presents another certificate fails install naming its URL.
 */
class WebhooksIT {
    private static final String GROUP = "webhooks.polykube.test";
    static final ResourceDefinitionContext GADGETS_V1 = gadgets("v1");
    static final ResourceDefinitionContext GADGETS_V1ALPHA1 = gadgets("v1alpha1");

    static Cluster cluster;
    static WebhookTestServer server;
    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        cluster = Cluster.builder().name("webhooks-it").directory(dir.resolve("cluster")).mode(Mode.CONTROL_PLANE)
                .etcd(e -> e.unsafeNoFsync(true)).build().start();
        server = new WebhookTestServer(cluster.webhooks().certificate().sslContext())
                .handle("/validate", WebhooksIT::validate)
                .handle("/mutate", WebhooksIT::mutate)
                .handle("/convert", WebhooksIT::convert)
                .start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @AfterEach
    void reset() {
        cluster.reset();
    }

    @Test
    void aDeniedCreateCarriesTheWebhooksMessageAndAnAllowedOneIsMutated() {
        try (InstalledWebhooks installed = cluster.webhooks().install(gadgetWebhooks(server.port()))) {
            assertThat(installed.targets()).extracting(WebhookManifests.Target::webhook).containsExactly(
                    "gadgets.webhooks.polykube.test", "validate.gadgets.webhooks.polykube.test",
                    "default.gadgets.webhooks.polykube.test");
            assertThat(installed.notProbed()).containsOnlyKeys("gadgets.webhooks.polykube.test");
            // install returned once the API server had sent its probes through both admission webhooks
            assertThat(server.calls("/validate", true)).isPositive();
            assertThat(server.calls("/mutate", true)).isPositive();

            KubernetesClient client = cluster.client();
            assertThatThrownBy(() -> client.genericKubernetesResources(GADGETS_V1).inNamespace("default")
                    .resource(gadget("v1", "too-big", "replicas", 11)).create())
                    .isInstanceOf(KubernetesClientException.class)
                    .hasMessageContaining("admission webhook \"validate.gadgets.webhooks.polykube.test\" denied the request")
                    .hasMessageContaining("gadget too-big asks for 11 replicas; the limit is 10");

            client.genericKubernetesResources(GADGETS_V1).inNamespace("default").resource(gadget("v1", "small", "replicas", 2))
                    .create();
            GenericKubernetesResource stored = client.genericKubernetesResources(GADGETS_V1).inNamespace("default")
                    .withName("small").get();
            assertThat(stored.getMetadata().getLabels()).containsEntry(GROUP + "/defaulted", "true");
        }
    }

    @Test
    void anObjectStoredAsV1alpha1ReadsBackAsV1ThroughTheConversionWebhook() {
        try (InstalledWebhooks installed = cluster.webhooks().install(gadgetWebhooks(server.port()))) {
            KubernetesClient client = cluster.client();
            client.genericKubernetesResources(GADGETS_V1ALPHA1).inNamespace("default")
                    .resource(gadget("v1alpha1", "old-style", "size", 4)).create();

            GenericKubernetesResource asV1 = client.genericKubernetesResources(GADGETS_V1).inNamespace("default")
                    .withName("old-style").get();
            assertThat(asV1.getApiVersion()).isEqualTo(GROUP + "/v1");
            assertThat(asV1.getAdditionalProperties().get("spec")).isEqualTo(Map.of("replicas", 4));
            GenericKubernetesResource asV1alpha1 = client.genericKubernetesResources(GADGETS_V1ALPHA1).inNamespace("default")
                    .withName("old-style").get();
            assertThat(asV1alpha1.getAdditionalProperties().get("spec")).isEqualTo(Map.of("size", 4));
            assertThat(server.requests).anyMatch(r -> "/convert".equals(r.path("path").asText()));
        }
    }

    @Test
    void aResetRemovesWebhooksInstalledAtRunTime() {
        cluster.webhooks().install(gadgetWebhooks(server.port()));
        KubernetesClient client = cluster.client();
        assertThat(client.admissionRegistration().v1().validatingWebhookConfigurations().withName("gadget-policy").get())
                .isNotNull();

        cluster.reset();

        assertThat(client.admissionRegistration().v1().validatingWebhookConfigurations().withName("gadget-policy").get())
                .isNull();
        assertThat(client.admissionRegistration().v1().mutatingWebhookConfigurations().withName("gadget-defaults").get())
                .isNull();
        assertThat(client.apiextensions().v1().customResourceDefinitions().withName("gadgets." + GROUP).get()).isNull();
    }

    @Test
    void closeRemovesTheWebhooks() {
        InstalledWebhooks installed = cluster.webhooks().install(gadgetWebhooks(server.port()));
        installed.close();
        installed.close();
        KubernetesClient client = cluster.client();
        assertThat(client.admissionRegistration().v1().validatingWebhookConfigurations().withName("gadget-policy").get())
                .isNull();
        assertThat(client.apiextensions().v1().customResourceDefinitions().withName("gadgets." + GROUP).get()).isNull();
    }

    @Test
    void aServerThatDoesNotListenFailsInstallNamingTheWebhookAndUrlAndLeavesNothingRegistered() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        assertThatThrownBy(() -> cluster.webhooks().install(gadgetWebhooks(closedPort)))
                .isInstanceOf(PolykubeException.class)
                .hasMessageContaining("https://127.0.0.1:" + closedPort + "/validate")
                .hasMessageContaining("validate.gadgets.webhooks.polykube.test")
                .hasMessageContaining("nothing listens there")
                .hasMessageContaining("start the webhook server");
        assertThat(cluster.client().admissionRegistration().v1().validatingWebhookConfigurations().withName("gadget-policy")
                .get()).isNull();
    }

    @Test
    void aServerWithAnotherCertificateFailsInstallWithTheTlsError(@TempDir Path tmp) throws Exception {
        CertificateAuthority other = CertificateAuthority.generate("someone-else", Duration.ofDays(1), KeyAlgorithm.ECDSA_P256);
        other.issue(CertificateSpec.builder("impostor").dnsNames("localhost").ipAddresses(InetAddress.getLoopbackAddress())
                .server().validity(Duration.ofDays(1)).keyAlgorithm(KeyAlgorithm.ECDSA_P256).build())
                .write(tmp.resolve("tls.crt"), tmp.resolve("tls.key"));
        other.write(tmp.resolve("ca.crt"), tmp.resolve("ca.key"));
        WebhookCertificate foreign = new WebhookCertificate(tmp.resolve("tls.crt"), tmp.resolve("tls.key"),
                tmp.resolve("ca.crt"), List.of("localhost"), InetAddress.getLoopbackAddress());
        try (WebhookTestServer impostor = new WebhookTestServer(foreign.sslContext()).handle("/", r -> allowed()).start()) {
            assertThatThrownBy(() -> cluster.webhooks().install(gadgetWebhooks(impostor.port())))
                    .isInstanceOf(PolykubeException.class)
                    .hasMessageContaining("https://127.0.0.1:" + impostor.port() + "/validate")
                    .hasMessageContaining("TLS handshake failed")
                    .hasMessageContaining("cluster.webhooks().certificate()");
            assertThat(impostor.requests).isEmpty();
        }
    }

    @Test
    void aWebhookTheApiServerCannotCallFailsInstallWithTheApiServersError() {
        WebhookManifests wrongPath = WebhookManifests.builder().manifest("wrong-path.yaml", """
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingWebhookConfiguration
                metadata:
                  name: configmap-policy
                webhooks:
                  - name: validate.configmaps.polykube.test
                    admissionReviewVersions: ["v1"]
                    sideEffects: None
                    clientConfig:
                      service: {namespace: policy, name: policy-webhook, path: /no-such-path}
                    rules:
                      - apiGroups: [""]
                        apiVersions: ["v1"]
                        resources: ["configmaps"]
                        operations: ["CREATE"]
                """).server(server.port()).build();
        assertThatThrownBy(() -> cluster.webhooks().install(wrongPath))
                .isInstanceOf(PolykubeException.class)
                .hasMessageContaining("could not call the validating webhook \"validate.configmaps.polykube.test\"")
                .hasMessageContaining("https://127.0.0.1:" + server.port() + "/no-such-path");
        assertThat(cluster.client().admissionRegistration().v1().validatingWebhookConfigurations()
                .withName("configmap-policy").get()).isNull();
    }

    @Test
    void webhooksOfTheSpecAreRegisteredAtStartAndSurviveAReset() throws Exception {
        Cluster withWebhooks = null;
        try {
            // the server's certificate comes before start, from the cluster's own CA
            Cluster notStarted = Cluster.builder().name("webhooks-spec-it").directory(dir.resolve("spec-cluster"))
                    .mode(Mode.CONTROL_PLANE).etcd(e -> e.unsafeNoFsync(true))
                    .webhooks(WebhookManifests.builder().classpath("webhooks/gadgets.yaml").server(0xFFFF).build()).build();
            WebhookCertificate certificate = notStarted.webhooks().certificate();
            notStarted.close();
            try (WebhookTestServer specServer = new WebhookTestServer(certificate.sslContext())
                    .handle("/validate", WebhooksIT::validate).handle("/mutate", WebhooksIT::mutate)
                    .handle("/convert", WebhooksIT::convert).start()) {
                withWebhooks = Cluster.builder().name("webhooks-spec-it").directory(dir.resolve("spec-cluster"))
                        .mode(Mode.CONTROL_PLANE).etcd(e -> e.unsafeNoFsync(true))
                        .webhooks(gadgetWebhooks(specServer.port())).build().start();
                KubernetesClient client = withWebhooks.client();
                assertThat(specServer.calls("/validate", true)).isPositive();

                withWebhooks.reset();

                assertThat(client.admissionRegistration().v1().validatingWebhookConfigurations().withName("gadget-policy")
                        .get()).isNotNull();
                assertThatThrownBy(() -> client.genericKubernetesResources(GADGETS_V1).inNamespace("default")
                        .resource(gadget("v1", "too-big", "replicas", 12)).create())
                        .hasMessageContaining("gadget too-big asks for 12 replicas; the limit is 10");
                assertThat(specServer.calls("/validate", false)).isPositive();
            }
        } finally {
            if (withWebhooks != null) {
                withWebhooks.close();
            }
        }
    }

    @Test
    void aSpecWebhookWhoseServerIsNotListeningFailsStartBeforeAnyProcess() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        Path directory = dir.resolve("no-server-cluster");
        Cluster noCa = Cluster.builder().name("webhooks-none-it").directory(directory).mode(Mode.CONTROL_PLANE)
                .webhooks(gadgetWebhooks(closedPort)).build();
        assertThatThrownBy(noCa::start).isInstanceOf(PolykubeException.class)
                .hasMessageContaining("cluster.webhooks().certificate() before start()");
        assertThat(noCa.status()).isEmpty();

        Cluster noServer = Cluster.builder().name("webhooks-none-it").directory(directory).mode(Mode.CONTROL_PLANE)
                .webhooks(gadgetWebhooks(closedPort)).build();
        noServer.webhooks().certificate();
        assertThatThrownBy(noServer::start).isInstanceOf(PolykubeException.class)
                .hasMessageContaining("https://127.0.0.1:" + closedPort + "/validate")
                .hasMessageContaining("nothing listens there");
        assertThat(noServer.status()).isEmpty();
        assertThat(directory.resolve("logs/etcd.log")).doesNotExist();
    }

    @Test
    void theServiceRouteIsRefusedInControlPlaneModeNamingTheLocalRoute() {
        assertThatThrownBy(() -> cluster.webhooks().certificate("gadget-system/gadget-webhook"))
                .isInstanceOf(PolykubeException.class).hasMessageContaining("mode FULL only");
        WebhookManifests throughServices = WebhookManifests.builder().classpath("webhooks/gadgets.yaml").throughServices()
                .server(server.port()).build();
        assertThatThrownBy(() -> cluster.webhooks().install(throughServices))
                .isInstanceOf(PolykubeException.class)
                .hasMessageContaining("mode FULL only")
                .hasMessageContaining("leave out throughServices()");
        assertThat(cluster.client().admissionRegistration().v1().validatingWebhookConfigurations()
                .withName("gadget-policy").get()).isNull();
    }

    private static WebhookManifests gadgetWebhooks(int port) {
        return WebhookManifests.builder().classpath("webhooks/gadgets.yaml").server("gadget-system/gadget-webhook", port).build();
    }

    private static ResourceDefinitionContext gadgets(String version) {
        return new ResourceDefinitionContext.Builder().withGroup(GROUP).withVersion(version).withKind("Gadget")
                .withPlural("gadgets").withNamespaced(true).build();
    }

    static GenericKubernetesResource gadget(String version, String name, String field, int value) {
        return new GenericKubernetesResourceBuilder().withApiVersion(GROUP + "/" + version).withKind("Gadget")
                .withNewMetadata().withName(name).endMetadata()
                .addToAdditionalProperties("spec", Map.of(field, value)).build();
    }

    static JsonNode validate(JsonNode request) {
        JsonNode object = request.path("object");
        int replicas = object.path("spec").path("replicas").asInt(0);
        if (replicas <= 10) {
            return allowed();
        }
        ObjectNode response = WebhookTestServer.JSON.createObjectNode().put("allowed", false);
        response.putObject("status").put("code", 403).put("message", "gadget " + object.path("metadata").path("name").asText()
                + " asks for " + replicas + " replicas; the limit is 10");
        return response;
    }

    static JsonNode mutate(JsonNode request) {
        String patch = "[{\"op\":\"add\",\"path\":\"/metadata/labels\",\"value\":{\"" + GROUP + "/defaulted\":\"true\"}}]";
        return allowed().put("patchType", "JSONPatch")
                .put("patch", Base64.getEncoder().encodeToString(patch.getBytes(StandardCharsets.UTF_8)));
    }

    /** v1alpha1's spec.size is v1's spec.replicas. */
    static JsonNode convert(JsonNode request) {
        String desired = request.path("desiredAPIVersion").asText();
        ObjectNode response = WebhookTestServer.JSON.createObjectNode();
        var converted = response.putArray("convertedObjects");
        for (JsonNode object : request.path("objects")) {
            ObjectNode copy = object.deepCopy();
            ObjectNode spec = copy.with("spec");
            if (desired.endsWith("/v1")) {
                if (spec.has("size")) {
                    spec.set("replicas", spec.remove("size"));
                }
            } else if (spec.has("replicas")) {
                spec.set("size", spec.remove("replicas"));
            }
            copy.put("apiVersion", desired);
            converted.add(copy);
        }
        response.putObject("result").put("status", "Success");
        return response;
    }

    private static ObjectNode allowed() {
        return WebhookTestServer.JSON.createObjectNode().put("allowed", true);
    }
}
