package io.polykube.api.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.polykube.api.spec.WebhookManifests.Target;
import io.polykube.api.spec.WebhookManifests.Type;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class WebhookManifestsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String VALIDATING = """
            apiVersion: admissionregistration.k8s.io/v1
            kind: ValidatingWebhookConfiguration
            metadata:
              name: policy
              resourceVersion: "42"
            webhooks:
              - name: a.example.com
                clientConfig:
                  service: {namespace: ops, name: hooks, path: /a}
              - name: b.example.com
                clientConfig:
                  service: {namespace: ops, name: other}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: hooks, namespace: ops}
            """;

    @Test
    void everyServiceReferenceBecomesTheUrlOfItsLocalServerWithTheCaBundle() throws Exception {
        WebhookManifests webhooks = WebhookManifests.builder().manifest("hooks.yaml", VALIDATING)
                .server(9443).server("ops/other", 9444).build();

        assertThat(webhooks.targets()).extracting(Target::webhook, Target::type, Target::service, Target::url).containsExactly(
                org.assertj.core.groups.Tuple.tuple("a.example.com", Type.VALIDATING, "ops/hooks", URI.create("https://127.0.0.1:9443/a")),
                org.assertj.core.groups.Tuple.tuple("b.example.com", Type.VALIDATING, "ops/other", URI.create("https://127.0.0.1:9444")));
        assertThat(webhooks.skipped()).containsExactly("hooks.yaml, document 2 (Service hooks)");

        List<String> objects = webhooks.objects("Q0E=");
        assertThat(objects).hasSize(1);
        JsonNode policy = JSON.readTree(objects.get(0));
        assertThat(policy.path("metadata").has("resourceVersion")).isFalse();
        JsonNode first = policy.path("webhooks").get(0).path("clientConfig");
        assertThat(first.has("service")).isFalse();
        assertThat(first.path("url").asText()).isEqualTo("https://127.0.0.1:9443/a");
        assertThat(first.path("caBundle").asText()).isEqualTo("Q0E=");
        assertThat(policy.path("webhooks").get(1).path("clientConfig").path("url").asText()).isEqualTo("https://127.0.0.1:9444");
    }

    @Test
    void aConversionWebhookOfACrdIsPointedAtItsServerToo() throws Exception {
        WebhookManifests webhooks = WebhookManifests.builder().manifest("crd.yaml", """
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata: {name: things.example.com}
                spec:
                  conversion:
                    strategy: Webhook
                    webhook:
                      clientConfig:
                        service: {namespace: ops, name: hooks, path: /convert}
                """).server(8443).build();
        assertThat(webhooks.targets()).singleElement().satisfies(t -> {
            assertThat(t.type()).isEqualTo(Type.CONVERSION);
            assertThat(t.webhook()).isEqualTo("things.example.com");
        });
        JsonNode crd = JSON.readTree(webhooks.objects("Q0E=").get(0));
        assertThat(crd.at("/spec/conversion/webhook/clientConfig/url").asText()).isEqualTo("https://127.0.0.1:8443/convert");
    }

    @Test
    void aServiceWithoutServerIsRefusedNamingItAndTheFix() {
        assertThatThrownBy(() -> WebhookManifests.builder().manifest("hooks.yaml", VALIDATING).server("ops/hooks", 9443).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("b.example.com")
                .hasMessageContaining("calls the service ops/other, which has no server")
                .hasMessageContaining("server(\"ops/other\", port)");
    }

    @Test
    void aServerNoWebhookCallsIsRefusedAsATypo() {
        assertThatThrownBy(() -> WebhookManifests.builder().manifest("hooks.yaml", VALIDATING).server(9443)
                .server("ops/hookz", 9445).build())
                .hasMessageContaining("no webhook in [hooks.yaml] calls the service ops/hookz")
                .hasMessageContaining("[ops/hooks, ops/other]");
    }

    @Test
    void aUrlOffThisMachineIsRefused() {
        assertThatThrownBy(() -> WebhookManifests.builder().manifest("hooks.yaml", """
                apiVersion: admissionregistration.k8s.io/v1
                kind: MutatingWebhookConfiguration
                metadata: {name: m}
                webhooks:
                  - name: m.example.com
                    clientConfig: {url: "https://hooks.example.com/mutate"}
                """).build())
                .hasMessageContaining("mutating webhook \"m.example.com\"")
                .hasMessageContaining("is not an https URL on this machine");
    }

    @Test
    void aLoopbackUrlIsKeptAndGetsTheCaBundle() throws Exception {
        WebhookManifests webhooks = WebhookManifests.builder().manifest("hooks.yaml", """
                apiVersion: admissionregistration.k8s.io/v1
                kind: MutatingWebhookConfiguration
                metadata: {name: m}
                webhooks:
                  - name: m.example.com
                    clientConfig: {url: "https://127.0.0.1:7443/mutate"}
                """).build();
        assertThat(webhooks.targets()).extracting(Target::url).containsExactly(URI.create("https://127.0.0.1:7443/mutate"));
        assertThat(JSON.readTree(webhooks.objects("Q0E=").get(0)).at("/webhooks/0/clientConfig/caBundle").asText())
                .isEqualTo("Q0E=");
    }

    @Test
    void manifestsWithoutWebhooksAndBadPortsAreRefused() {
        assertThatThrownBy(() -> WebhookManifests.builder().manifest("app.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: c}
                """).server(1).build()).hasMessageContaining("hold no ValidatingWebhookConfiguration");
        assertThatThrownBy(() -> WebhookManifests.builder().build()).hasMessageContaining("need manifests");
        assertThatThrownBy(() -> WebhookManifests.builder().server(0)).hasMessageContaining("a port is 1 to 65535");
        assertThatThrownBy(() -> WebhookManifests.builder().server("hooks", 8443)).hasMessageContaining("namespace/name");
        assertThatThrownBy(() -> WebhookManifests.builder().classpath("no/such.yaml"))
                .hasMessageContaining("is not on the class path");
    }

    @Test
    void throughServicesKeepsEachServiceReferenceAndSetsOnlyTheCaBundle() throws Exception {
        WebhookManifests webhooks = WebhookManifests.builder().manifest("hooks.yaml", VALIDATING + """
                ---
                apiVersion: admissionregistration.k8s.io/v1
                kind: MutatingWebhookConfiguration
                metadata: {name: defaults}
                webhooks:
                  - name: c.example.com
                    clientConfig:
                      service: {namespace: ops, name: hooks, port: 8443, path: /c}
                """).throughServices().server(9443).server("ops/other", 9444).build();

        assertThat(webhooks.route()).isEqualTo(WebhookManifests.Route.SERVICE);
        assertThat(webhooks.targets()).extracting(Target::webhook, Target::url, Target::serverPort, Target::throughService)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("a.example.com", URI.create("https://hooks.ops.svc:443/a"), 9443, true),
                        org.assertj.core.groups.Tuple.tuple("b.example.com", URI.create("https://other.ops.svc:443"), 9444, true),
                        org.assertj.core.groups.Tuple.tuple("c.example.com", URI.create("https://hooks.ops.svc:8443/c"), 9443, true));
        assertThat(webhooks.services()).containsExactly(
                new WebhookManifests.ServiceRoute("ops", "hooks", List.of(443, 8443), 9443),
                new WebhookManifests.ServiceRoute("ops", "other", List.of(443), 9444));
        assertThat(webhooks.services().get(0).hostName()).isEqualTo("hooks.ops.svc");

        JsonNode first = JSON.readTree(webhooks.objects("Q0E=").get(0)).path("webhooks").get(0).path("clientConfig");
        assertThat(first.has("url")).isFalse();
        assertThat(first.path("service").path("name").asText()).isEqualTo("hooks");
        assertThat(first.path("service").path("path").asText()).isEqualTo("/a");
        assertThat(first.path("caBundle").asText()).isEqualTo("Q0E=");
    }

    @Test
    void theLocalUrlRouteMakesNoService() {
        WebhookManifests webhooks = WebhookManifests.builder().manifest("hooks.yaml", VALIDATING).server(9443).build();
        assertThat(webhooks.route()).isEqualTo(WebhookManifests.Route.LOCAL_URL);
        assertThat(webhooks.services()).isEmpty();
        assertThat(webhooks.targets()).noneMatch(Target::throughService);
    }

    @Test
    void aClusterSpecRefusesWebhooksThroughServicesBeforeStartWithTheWayToInstallThem() {
        WebhookManifests webhooks = WebhookManifests.builder().manifest("hooks.yaml", VALIDATING).throughServices()
                .server(9443).build();
        assertThatThrownBy(() -> ClusterSpec.builder().webhooks(webhooks))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cluster.webhooks().install(...)")
                .hasMessageContaining("throughServices()");
    }
}
