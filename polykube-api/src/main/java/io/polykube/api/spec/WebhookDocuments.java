package io.polykube.api.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.polykube.api.spec.WebhookManifests.Route;
import io.polykube.api.spec.WebhookManifests.ServiceRoute;
import io.polykube.api.spec.WebhookManifests.Target;
import io.polykube.api.spec.WebhookManifests.Type;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/** The webhook objects of some manifests: where each calls, checked, and the objects rewritten to call the test JVM. */
final class WebhookDocuments {
    private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "::1", "[::1]");
    private static final String LOCAL_HOST = "127.0.0.1";

    private final List<Manifest.Document> webhookObjects;
    private final List<Target> targets;
    private final List<String> skipped;

    private WebhookDocuments(List<Manifest.Document> webhookObjects, List<Target> targets, List<String> skipped) {
        this.webhookObjects = webhookObjects;
        this.targets = targets;
        this.skipped = skipped;
    }

    static WebhookDocuments read(List<Manifest> manifests, Route route, OptionalInt defaultPort,
            Map<String, Integer> servicePorts) {
        List<Manifest.Document> objects = new ArrayList<>();
        List<Target> targets = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        Set<String> servedServices = new LinkedHashSet<>();
        for (Manifest manifest : manifests) {
            for (Manifest.Document doc : manifest.documents()) {
                Type type = typeOf(doc);
                if (type == null) {
                    skipped.add(doc.describe());
                    continue;
                }
                objects.add(doc);
                if (type == Type.CONVERSION) {
                    JsonNode clientConfig = doc.object().path("spec").path("conversion").path("webhook").path("clientConfig");
                    targets.add(target(doc, type, doc.name(), clientConfig, route, defaultPort, servicePorts, servedServices));
                } else {
                    JsonNode webhooks = doc.object().path("webhooks");
                    if (!webhooks.isArray() || webhooks.isEmpty()) {
                        throw new IllegalArgumentException("webhook manifest " + doc.describe() + " has no webhooks: list them "
                                + "under webhooks:, or leave the object out");
                    }
                    for (JsonNode webhook : webhooks) {
                        String name = webhook.path("name").asText();
                        if (name.isBlank()) {
                            throw new IllegalArgumentException("webhook manifest " + doc.describe() + " has a webhook without a "
                                    + "name: give each webhook a name (e.g. validate.widgets.example.com)");
                        }
                        targets.add(target(doc, type, name, webhook.path("clientConfig"), route, defaultPort,
                                servicePorts, servedServices));
                    }
                }
            }
        }
        List<String> origins = manifests.stream().map(Manifest::origin).toList();
        if (objects.isEmpty()) {
            throw new IllegalArgumentException("the webhook manifests " + origins + " hold no ValidatingWebhookConfiguration, "
                    + "MutatingWebhookConfiguration or CustomResourceDefinition with conversion strategy Webhook: give the "
                    + "manifests that declare the webhooks");
        }
        for (String service : servicePorts.keySet()) {
            if (!servedServices.contains(service)) {
                throw new IllegalArgumentException("server(\"" + service + "\", " + servicePorts.get(service) + "): no webhook in "
                        + origins + " calls the service " + service + "; the services they call are " + servedServices
                        + ": fix the name or drop the server");
            }
        }
        return new WebhookDocuments(List.copyOf(objects), List.copyOf(targets), List.copyOf(skipped));
    }

    private static Type typeOf(Manifest.Document doc) {
        String group = doc.object().path("apiVersion").asText();
        if (group.startsWith("admissionregistration.k8s.io/")) {
            if ("ValidatingWebhookConfiguration".equals(doc.kind())) {
                return Type.VALIDATING;
            }
            if ("MutatingWebhookConfiguration".equals(doc.kind())) {
                return Type.MUTATING;
            }
        }
        if (group.startsWith("apiextensions.k8s.io/") && "CustomResourceDefinition".equals(doc.kind())
                && "Webhook".equals(doc.object().path("spec").path("conversion").path("strategy").asText())) {
            return Type.CONVERSION;
        }
        return null;
    }

    private static Target target(Manifest.Document doc, Type type, String webhook, JsonNode clientConfig, Route route,
            OptionalInt defaultPort, Map<String, Integer> servicePorts, Set<String> servedServices) {
        String where = type.name().toLowerCase() + " webhook \"" + webhook + "\" in " + doc.describe();
        JsonNode service = clientConfig.path("service");
        if (service.isObject()) {
            String namespace = service.path("namespace").asText();
            String name = service.path("name").asText();
            if (namespace.isBlank() || name.isBlank()) {
                throw new IllegalArgumentException(where + ": clientConfig.service needs a namespace and a name");
            }
            String key = namespace + "/" + name;
            servedServices.add(key);
            Integer port = servicePorts.get(key);
            if (port == null && defaultPort.isEmpty()) {
                throw new IllegalArgumentException(where + " calls the service " + key + ", which has no server: give its "
                        + "local port with server(\"" + key + "\", port), or server(port) for every service");
            }
            String path = service.path("path").asText("");
            if (!path.isEmpty() && !path.startsWith("/")) {
                throw new IllegalArgumentException(where + ": clientConfig.service.path '" + path + "' must start with /");
            }
            int serverPort = port != null ? port : defaultPort.getAsInt();
            URI url;
            if (route == Route.SERVICE) {
                int servicePort = service.path("port").asInt(443);
                if (servicePort < 1 || servicePort > 65535) {
                    throw new IllegalArgumentException(where + ": clientConfig.service.port " + servicePort + " is not a port");
                }
                url = URI.create("https://" + name + "." + namespace + ".svc:" + servicePort + path);
            } else {
                url = URI.create("https://" + LOCAL_HOST + ":" + serverPort + path);
            }
            return new Target(type, doc.kind(), doc.name(), webhook, key, url, serverPort, doc.describe());
        }
        String text = clientConfig.path("url").asText("");
        if (text.isBlank()) {
            throw new IllegalArgumentException(where + ": clientConfig has neither service nor url; name the service the "
                    + "webhook runs behind");
        }
        URI url;
        try {
            url = URI.create(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": clientConfig.url '" + text + "' is not a URL", e);
        }
        if (!"https".equals(url.getScheme()) || url.getHost() == null || !LOOPBACK.contains(url.getHost())) {
            throw new IllegalArgumentException(where + ": clientConfig.url " + text + " is not an https URL on this machine; "
                    + "polykube's API server calls only servers on this machine: use a clientConfig.service and give its local "
                    + "port with server(...), or an https://127.0.0.1:<port>/ url");
        }
        return new Target(type, doc.kind(), doc.name(), webhook, "", url, url.getPort() < 0 ? 443 : url.getPort(),
                doc.describe());
    }

    List<Target> targets() {
        return targets;
    }

    List<String> skipped() {
        return skipped;
    }

    /** The Services the webhooks call, with their ports, for {@link Route#SERVICE}. */
    List<ServiceRoute> services() {
        Map<String, List<Integer>> ports = new LinkedHashMap<>();
        Map<String, Integer> serverPorts = new LinkedHashMap<>();
        for (Target t : targets) {
            if (t.throughService()) {
                List<Integer> list = ports.computeIfAbsent(t.service(), k -> new ArrayList<>());
                if (!list.contains(t.url().getPort())) {
                    list.add(t.url().getPort());
                }
                serverPorts.put(t.service(), t.serverPort());
            }
        }
        List<ServiceRoute> out = new ArrayList<>();
        ports.forEach((key, list) -> {
            String[] parts = key.split("/", 2);
            out.add(new ServiceRoute(parts[0], parts[1], list, serverPorts.get(key)));
        });
        return List.copyOf(out);
    }

    List<String> rewritten(String caBundle) {
        List<String> out = new ArrayList<>();
        int next = 0;
        for (Manifest.Document doc : webhookObjects) {
            ObjectNode copy = doc.object().deepCopy();
            ObjectNode metadata = (ObjectNode) copy.path("metadata");
            metadata.remove(List.of("resourceVersion", "uid", "creationTimestamp", "managedFields", "generation"));
            copy.remove("status");
            if ("CustomResourceDefinition".equals(doc.kind())) {
                ObjectNode clientConfig = (ObjectNode) copy.path("spec").path("conversion").path("webhook").path("clientConfig");
                point(clientConfig, targets.get(next++), caBundle);
            } else {
                for (JsonNode webhook : copy.path("webhooks")) {
                    point((ObjectNode) webhook.path("clientConfig"), targets.get(next++), caBundle);
                }
            }
            out.add(copy.toString());
        }
        return out;
    }

    private static void point(ObjectNode clientConfig, Target target, String caBundle) {
        if (!target.throughService()) {
            clientConfig.remove("service");
            clientConfig.put("url", target.url().toString());
        }
        clientConfig.put("caBundle", caBundle);
    }
}
