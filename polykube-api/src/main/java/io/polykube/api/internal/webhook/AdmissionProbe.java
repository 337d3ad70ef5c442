package io.polykube.api.internal.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A request that the API server sends through one admission webhook: a dry-run create ({@code dryRun=All}, so nothing
 * is stored) of a minimal object the webhook's first CREATE rule matches, named {@code polykube-webhook-probe-<n>} in
 * namespace {@code default}. A webhook server sees it as an ordinary AdmissionReview with {@code request.dryRun: true}.
 * Webhooks whose rules or selectors no such object can match ({@code matchConditions}, label expressions, no CREATE rule,
 * wildcards only) get no probe: {@link #forWebhook} says why.
 */
final class AdmissionProbe {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final String NAMESPACE = "default";

    private final String apiVersion;
    private final String kind;
    private final String resource;
    private final boolean namespaced;
    private final Map<String, String> labels;

    private AdmissionProbe(Discovered discovered, Map<String, String> labels) {
        this.apiVersion = discovered.apiVersion;
        this.kind = discovered.kind;
        this.resource = discovered.resource;
        this.namespaced = discovered.namespaced;
        this.labels = labels;
    }

    /** A probe for {@code webhook} (one entry of a configuration's {@code webhooks}), or why there is none. */
    static Result forWebhook(KubernetesClient client, JsonNode webhook) {
        if (webhook.path("matchConditions").size() > 0) {
            return Result.none("it has matchConditions, which a probe object cannot be made to meet");
        }
        JsonNode objectSelector = webhook.path("objectSelector");
        if (objectSelector.path("matchExpressions").size() > 0) {
            return Result.none("its objectSelector has matchExpressions");
        }
        Map<String, String> labels = new LinkedHashMap<>();
        objectSelector.path("matchLabels").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
        for (JsonNode rule : webhook.path("rules")) {
            if (!has(rule.path("operations"), "CREATE") && !has(rule.path("operations"), "*")) {
                continue;
            }
            String group = concrete(rule.path("apiGroups"));
            String version = concrete(rule.path("apiVersions"));
            String resource = concrete(rule.path("resources"));
            if (group == null || resource == null || resource.contains("/")) {
                continue;
            }
            Optional<Discovered> found = discover(client, group, version, resource);
            if (found.isEmpty()) {
                continue;
            }
            Discovered d = found.get();
            String scope = rule.path("scope").asText("*");
            if (("Cluster".equals(scope) && d.namespaced) || ("Namespaced".equals(scope) && !d.namespaced)) {
                continue;
            }
            if (d.namespaced && !namespaceMatches(client, webhook.path("namespaceSelector"))) {
                return Result.none("its namespaceSelector does not select namespace " + NAMESPACE);
            }
            return new Result(Optional.of(new AdmissionProbe(d, labels)), "", false);
        }
        return new Result(Optional.empty(), "none of its rules names a concrete resource on CREATE that the API server serves",
                true);
    }

    /** Sends the probe; returns the API server's refusal message, if any (a denial by a webhook is one). */
    Optional<String> send(KubernetesClient client) {
        GenericKubernetesResource object = new GenericKubernetesResource();
        object.setApiVersion(apiVersion);
        object.setKind(kind);
        object.setMetadata(new ObjectMetaBuilder().withName("polykube-webhook-probe-" + SEQUENCE.incrementAndGet())
                .withNamespace(namespaced ? NAMESPACE : null).withLabels(labels.isEmpty() ? null : labels).build());
        try {
            int slash = apiVersion.indexOf('/');
            var resources = client.genericKubernetesResources(new ResourceDefinitionContext.Builder()
                    .withGroup(slash < 0 ? "" : apiVersion.substring(0, slash)).withVersion(apiVersion.substring(slash + 1))
                    .withPlural(resource).withKind(kind).withNamespaced(namespaced).build());
            if (namespaced) {
                resources.inNamespace(NAMESPACE).resource(object).dryRun().create();
            } else {
                resources.resource(object).dryRun().create();
            }
            return Optional.empty();
        } catch (KubernetesClientException e) {
            return Optional.of(e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage()
                    : e.getMessage());
        }
    }

    @Override
    public String toString() {
        return "dry-run create of a " + kind + " (" + apiVersion + ")";
    }

    private static boolean namespaceMatches(KubernetesClient client, JsonNode selector) {
        if (selector.isMissingNode() || selector.isNull() || selector.isEmpty()) {
            return true;
        }
        if (selector.path("matchExpressions").size() > 0) {
            return false;
        }
        var namespace = client.namespaces().withName(NAMESPACE).get();
        Map<String, String> present = namespace == null || namespace.getMetadata().getLabels() == null ? Map.of()
                : namespace.getMetadata().getLabels();
        for (Map.Entry<String, JsonNode> e : selector.path("matchLabels").properties()) {
            if (!e.getValue().asText().equals(present.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    private static Optional<Discovered> discover(KubernetesClient client, String group, String version, String resource) {
        String groupVersion;
        if (version != null) {
            groupVersion = group.isEmpty() ? version : group + "/" + version;
        } else if (group.isEmpty()) {
            groupVersion = "v1";
        } else {
            JsonNode apiGroup = get(client, "/apis/" + group);
            groupVersion = apiGroup.path("preferredVersion").path("groupVersion").asText(null);
            if (groupVersion == null) {
                return Optional.empty();
            }
        }
        JsonNode list = get(client, groupVersion.contains("/") ? "/apis/" + groupVersion : "/api/" + groupVersion);
        for (JsonNode r : list.path("resources")) {
            if (resource.equals(r.path("name").asText()) && has(r.path("verbs"), "create")) {
                return Optional.of(new Discovered(groupVersion, resource, r.path("kind").asText(),
                        r.path("namespaced").asBoolean()));
            }
        }
        return Optional.empty();
    }

    private static JsonNode get(KubernetesClient client, String path) {
        try {
            String text = client.raw(path);
            return text == null ? JSON.missingNode() : JSON.readTree(text);
        } catch (Exception e) {
            return JSON.missingNode();
        }
    }

    private static String concrete(JsonNode values) {
        for (JsonNode v : values) {
            if (!"*".equals(v.asText()) && !v.asText().startsWith("*/")) {
                return v.asText();
            }
        }
        return null;
    }

    private static boolean has(JsonNode values, String wanted) {
        for (JsonNode v : values) {
            if (wanted.equals(v.asText())) {
                return true;
            }
        }
        return false;
    }

    private record Discovered(String apiVersion, String resource, String kind, boolean namespaced) {
    }

    /** A probe, or why a webhook has none. */
    record Result(Optional<AdmissionProbe> probe, String whyNone, boolean retryable) {
        static Result none(String why) {
            return new Result(Optional.empty(), why, false);
        }
    }
}
