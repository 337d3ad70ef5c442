package io.polykube.api.internal.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.polykube.api.error.PolykubeException;
import io.polykube.api.internal.Await;
import io.polykube.api.spec.WebhookManifests;
import io.polykube.api.spec.WebhookManifests.ServiceRoute;
import io.polykube.api.spec.WebhookManifests.Target;
import io.polykube.api.spec.WebhookManifests.Type;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers webhooks with the API server: checks each server (TLS, as the API server will), applies the rewritten
 * configurations and CRDs (server-side apply), then waits until the API server has really called each admission webhook
 * ({@link AdmissionProbe}, counted in its metrics). {@link #remove} puts back what was there before.
 */
public final class WebhookInstaller {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookInstaller.class);
    private static final String FIELD_MANAGER = "polykube-webhooks";
    private static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration POLL = Duration.ofMillis(20);
    private static final Duration DISCOVERY_GRACE = Duration.ofSeconds(5);
    private static final Duration REMOVAL_TIMEOUT = Duration.ofSeconds(60);

    private static final Duration ROUTE_GRACE = Duration.ofSeconds(15);

    private final KubernetesClient client;
    private final String clusterName;
    private final WebhookServerCheck serverCheck;
    private final Optional<InetAddress> nodeAddress;

    /**
     * @param nodeAddress the node's address, where servers reached through Services listen (mode {@code FULL}); empty in
     *                    mode {@code CONTROL_PLANE}
     */
    public WebhookInstaller(KubernetesClient client, String clusterName, Path caCertificate, Optional<InetAddress> nodeAddress) {
        this.client = client;
        this.clusterName = clusterName;
        this.serverCheck = new WebhookServerCheck(caCertificate, clusterName);
        this.nodeAddress = nodeAddress;
    }

    /** What an install applied, to remove it again; and what it proved. */
    public record Installed(List<Target> targets, List<Applied> objects, Duration readyIn, Map<String, String> unproven) {
    }

    /** One applied object and what it replaced ({@code null}: it did not exist). */
    public record Applied(HasMetadata object, HasMetadata previous) {
    }

    /**
     * Installs and waits until every admission webhook has been called by the API server, or {@code deadlineNanos}.
     *
     * @throws PolykubeException naming the webhook and URL when a server does not answer, presents another certificate, or
     *                           the API server's call to it fails
     */
    public Installed install(WebhookManifests install, String caBundle, long deadlineNanos) {
        long t0 = System.nanoTime();
        List<ServiceRoute> services = install.services();
        if (!services.isEmpty() && nodeAddress.isEmpty()) {
            throw new PolykubeException("cluster '" + clusterName + "' runs in mode CONTROL_PLANE: webhooks reach the test "
                    + "JVM through their Services (throughServices()) in mode FULL only, where kube-proxy routes them; here "
                    + "leave out throughServices(), and the services become local URLs: " + install.targets());
        }
        checkServers(serverCheck, install, nodeAddress);
        long checked = System.nanoTime();

        List<String> objects = install.objects(caBundle);
        List<Applied> applied = new ArrayList<>();
        try {
            for (ServiceRoute service : services) {
                applyRoute(service, nodeAddress.orElseThrow(), applied);
            }
            for (String json : objects) {
                applied.add(apply(client.getKubernetesSerialization().unmarshal(json, HasMetadata.class)));
            }
            long appliedAt = System.nanoTime();
            for (Applied a : applied) {
                if (a.object() instanceof CustomResourceDefinition crd) {
                    awaitEstablished(crd.getMetadata().getName(), deadlineNanos);
                }
            }
            long establishedAt = System.nanoTime();
            Map<String, String> unproven;
            try (KubernetesClient probes = withoutRetries(client)) {
                unproven = awaitCalled(probes, install.targets(), objects, deadlineNanos);
            }
            long end = System.nanoTime();
            Duration readyIn = Duration.ofNanos(end - t0);
            LOG.info("Cluster '{}': {} webhook(s) installed and called by the API server in {} ms (servers checked {} ms, "
                    + "applied {} ms, CRDs established {} ms, probes {} ms){}", clusterName,
                    install.targets().size() - unproven.size(), readyIn.toMillis(), millis(checked - t0),
                    millis(appliedAt - checked), millis(establishedAt - appliedAt), millis(end - establishedAt),
                    unproven.isEmpty() ? "" : "; not probed: " + unproven);
            return new Installed(install.targets(), List.copyOf(applied), readyIn, unproven);
        } catch (RuntimeException e) {
            try {
                remove(applied);
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    /**
     * Checks, before the cluster starts, that the server of each webhook listens and presents a certificate of the CA at
     * {@code caCertificate}, as the API server will.
     *
     * @throws PolykubeException naming the webhook, its URL and what to do when not
     */
    public static void checkServers(WebhookManifests webhooks, Path caCertificate, String clusterName) {
        if (!java.nio.file.Files.isRegularFile(caCertificate)) {
            throw new PolykubeException("cluster '" + clusterName + "' registers webhooks at start, but has no CA yet to "
                    + "check their servers against: get the servers' certificate with cluster.webhooks().certificate() "
                    + "before start() (it issues the cluster's CA), and start the servers with it");
        }
        checkServers(new WebhookServerCheck(caCertificate, clusterName), webhooks, Optional.empty());
    }

    private static void checkServers(WebhookServerCheck check, WebhookManifests webhooks, Optional<InetAddress> nodeAddress) {
        Map<URI, List<Target>> byServer = new LinkedHashMap<>();
        for (Target t : webhooks.targets()) {
            byServer.computeIfAbsent(URI.create(t.url().getScheme() + "://" + t.url().getAuthority()), k -> new ArrayList<>()).add(t);
        }
        byServer.forEach((url, targets) -> {
            Target first = targets.get(0);
            if (first.throughService()) {
                check.check(new InetSocketAddress(nodeAddress.orElseThrow(), first.serverPort()), url.getHost(), url, targets);
            } else {
                check.check(url, targets);
            }
        });
    }

    /**
     * Makes the route of one service to the server in this JVM: its namespace when missing, the Service (no selector;
     * one port per port the webhooks call) and an EndpointSlice to {@code nodeAddress} at the server's port.
     */
    private void applyRoute(ServiceRoute route, InetAddress nodeAddress, List<Applied> applied) {
        Service existing = client.services().inNamespace(route.namespace()).withName(route.name()).get();
        if (existing != null && existing.getSpec().getSelector() != null && !existing.getSpec().getSelector().isEmpty()) {
            throw new PolykubeException("cluster '" + clusterName + "': the webhooks call the service " + route.namespace()
                    + "/" + route.name() + ", which exists with a selector " + existing.getSpec().getSelector() + " (its pods "
                    + "would answer some calls): delete it before installing, or install without throughServices()");
        }
        if (client.namespaces().withName(route.namespace()).get() == null) {
            applied.add(apply(new NamespaceBuilder().withNewMetadata().withName(route.namespace())
                    .addToLabels(MANAGED_BY, "polykube").endMetadata().build()));
        }
        List<ServicePort> ports = new ArrayList<>();
        List<EndpointPort> slicePorts = new ArrayList<>();
        for (int port : route.ports()) {
            ports.add(new ServicePortBuilder().withName("https-" + port).withProtocol("TCP").withPort(port)
                    .withTargetPort(new IntOrString(route.serverPort())).build());
            slicePorts.add(new EndpointPortBuilder().withName("https-" + port).withProtocol("TCP").withPort(route.serverPort())
                    .build());
        }
        applied.add(apply(new ServiceBuilder().withNewMetadata().withName(route.name()).withNamespace(route.namespace())
                .addToLabels(MANAGED_BY, "polykube").endMetadata()
                .withNewSpec().withType("ClusterIP").withPorts(ports).endSpec().build()));
        applied.add(apply(new EndpointSliceBuilder().withNewMetadata().withName(route.name() + "-polykube")
                .withNamespace(route.namespace()).addToLabels("kubernetes.io/service-name", route.name())
                .addToLabels("endpointslice.kubernetes.io/managed-by", "polykube.io").addToLabels(MANAGED_BY, "polykube")
                .endMetadata().withAddressType("IPv4")
                .withEndpoints(new EndpointBuilder().withAddresses(nodeAddress.getHostAddress())
                        .withNewConditions().withReady(true).endConditions().build())
                .withPorts(slicePorts).build()));
    }

    /**
     * Deletes the objects an install made and puts back those it changed, last first; returns once the deleted ones are
     * gone (a CRD takes a moment: its objects go first), so the same webhooks can be installed again at once.
     */
    public void remove(List<Applied> applied) {
        removeNow(applied);
        long deadline = System.nanoTime() + REMOVAL_TIMEOUT.toNanos();
        for (Applied a : applied) {
            if (a.previous() == null) {
                Await.until(a.object().getKind() + " " + a.object().getMetadata().getName() + " to be gone", deadline, POLL,
                        Await.when(() -> client.resource(a.object()).get() == null), () -> { },
                        last -> new PolykubeException("cluster '" + clusterName + "': the webhook object "
                                + a.object().getKind() + " " + a.object().getMetadata().getName() + " was still there "
                                + REMOVAL_TIMEOUT.toSeconds() + " s after its deletion (last: " + last + ")"));
            }
        }
    }

    private void removeNow(List<Applied> applied) {
        for (int i = applied.size() - 1; i >= 0; i--) {
            Applied a = applied.get(i);
            try {
                if (a.previous() == null) {
                    client.resource(a.object()).withGracePeriod(0).delete();
                } else {
                    HasMetadata current = client.resource(a.object()).get();
                    HasMetadata back = a.previous();
                    if (current == null) {
                        back.getMetadata().setResourceVersion(null);
                        client.resource(back).create();
                    } else {
                        back.getMetadata().setResourceVersion(current.getMetadata().getResourceVersion());
                        client.resource(back).update();
                    }
                }
            } catch (KubernetesClientException e) {
                throw new PolykubeException("cluster '" + clusterName + "': cannot remove the webhook object "
                        + a.object().getKind() + " " + a.object().getMetadata().getName() + ": " + e.getMessage(), e);
            }
        }
    }

    private Applied apply(HasMetadata object) {
        String what = object.getKind() + " " + object.getMetadata().getName();
        try {
            HasMetadata previous = client.resource(object).get();
            HasMetadata result = client.resource(object).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
            return new Applied(result, previous);
        } catch (KubernetesClientException e) {
            String message = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage();
            throw new PolykubeException("cluster '" + clusterName + "': the webhook object " + what + " was refused by the API "
                    + "server: " + message + "; fix the manifest", e);
        }
    }

    private void awaitEstablished(String name, long deadlineNanos) {
        Await.until("CRD " + name + " to be Established", deadlineNanos, POLL, Await.when(() -> {
            CustomResourceDefinition crd = client.apiextensions().v1().customResourceDefinitions().withName(name).get();
            return crd != null && crd.getStatus() != null && crd.getStatus().getConditions() != null
                    && crd.getStatus().getConditions().stream()
                    .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
        }), () -> { }, last -> new PolykubeException("cluster '" + clusterName + "': CRD " + name + " with a conversion "
                + "webhook did not become Established in time (last: " + last + ")"));
    }

    /** Waits until the API server has called each admission webhook; returns those it could not probe, and why. */
    private Map<String, String> awaitCalled(KubernetesClient probes, List<Target> targets, List<String> objects,
            long deadlineNanos) {
        Map<String, String> unproven = new LinkedHashMap<>();
        for (Target target : targets) {
            if (target.type() == Type.CONVERSION) {
                unproven.put(target.webhook(), "conversion webhooks are called on the first read or write of another "
                        + "version (the server's TLS was checked)");
                continue;
            }
            JsonNode webhook = webhookEntry(target, objects);
            // a CRD applied by this very install may take a moment to appear in discovery
            long discoveryDeadline = Math.min(deadlineNanos, System.nanoTime() + DISCOVERY_GRACE.toNanos());
            AdmissionProbe.Result result = AdmissionProbe.forWebhook(probes, webhook);
            while (result.probe().isEmpty() && result.retryable() && servesNewGroup(webhook, objects)
                    && System.nanoTime() - discoveryDeadline < 0) {
                LOG.debug("no probe for {} yet: {}", target.webhook(), result.whyNone());
                pause();
                result = AdmissionProbe.forWebhook(probes, webhook);
            }
            if (result.probe().isEmpty()) {
                unproven.put(target.webhook(), result.whyNone());
                continue;
            }
            awaitCalled(probes, target, result.probe().get(), deadlineNanos,
                    target.throughService() ? System.nanoTime() + ROUTE_GRACE.toNanos() : System.nanoTime());
        }
        return unproven;
    }

    /**
     * Sends the probe until the API server's call to the webhook shows in its metrics. A failed call is reported at once,
     * except until {@code routeGraceNanos} (a Service kube-proxy has not routed yet).
     */
    private void awaitCalled(KubernetesClient probes, Target target, AdmissionProbe probe, long deadlineNanos,
            long routeGraceNanos) {
        AdmissionMetrics metrics = new AdmissionMetrics(probes);
        AdmissionMetrics.Counts before = metrics.of(target.webhook());
        Await.until(target.describe() + " to be called", deadlineNanos, POLL, () -> {
            Optional<String> refusal = probe.send(probes);
            LOG.debug("probe of {}: {}", target.webhook(), refusal.orElse("allowed"));
            boolean failedCall = refusal.isPresent()
                    && refusal.get().contains("failed calling webhook \"" + target.webhook() + "\"");
            if (failedCall && System.nanoTime() - routeGraceNanos < 0) {
                return "its Service is not routed yet (" + refusal.get() + ")";
            }
            if (failedCall) {
                throw new PolykubeException("cluster '" + clusterName + "': the API server could not call the "
                        + target.describe() + ": " + refusal.get() + " (" + target.origin() + ")");
            }
            if (refusal.isPresent() && refusal.get().contains("\"" + target.webhook() + "\"")
                    && refusal.get().contains("dry run")) {
                return null; // active, but its sideEffects forbid dry-run calls: as far as a probe can go
            }
            AdmissionMetrics.Counts now = metrics.of(target.webhook());
            if (now.failedOpen() > before.failedOpen()) {
                throw new PolykubeException("cluster '" + clusterName + "': the API server's call to the " + target.describe()
                        + " failed (its failurePolicy Ignore let the request through); the API server's log says why: "
                        + "check the path and the certificate (" + target.origin() + ")");
            }
            return now.calls() > before.calls() ? null : "not called yet (probe: " + probe + ", last answer: "
                    + refusal.orElse("allowed") + ")";
        }, () -> { }, last -> new PolykubeException("cluster '" + clusterName + "': the API server did not call the "
                + target.describe() + " in time (" + last + ")"));
    }

    /**
     * A client like {@code client} that never retries: a probe the API server refuses with a 500 (a webhook it cannot call)
     * must be seen at once, not after fabric8's backoff.
     */
    private static KubernetesClient withoutRetries(KubernetesClient client) {
        return new KubernetesClientBuilder().withConfig(new ConfigBuilder(client.getConfiguration())
                .withRequestRetryBackoffLimit(0).build()).build();
    }

    private static long millis(long nanos) {
        return nanos / 1_000_000;
    }

    private static void pause() {
        try {
            Thread.sleep(POLL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PolykubeException("interrupted while installing webhooks", e);
        }
    }

    /** Whether one of the webhook's rules names the group of a CRD this install applies (discovery may lag behind it). */
    private static boolean servesNewGroup(JsonNode webhook, List<String> objects) {
        for (String json : objects) {
            try {
                JsonNode object = JSON.readTree(json);
                if (!"CustomResourceDefinition".equals(object.path("kind").asText())) {
                    continue;
                }
                String group = object.path("spec").path("group").asText();
                for (JsonNode rule : webhook.path("rules")) {
                    for (JsonNode g : rule.path("apiGroups")) {
                        if (group.equals(g.asText()) || "*".equals(g.asText())) {
                            return true;
                        }
                    }
                }
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot read back a rewritten webhook object: " + e.getMessage(), e);
            }
        }
        return false;
    }

    private static JsonNode webhookEntry(Target target, List<String> objects) {
        for (String json : objects) {
            try {
                JsonNode object = JSON.readTree(json);
                if (!target.kind().equals(object.path("kind").asText())
                        || !target.object().equals(object.path("metadata").path("name").asText())) {
                    continue;
                }
                for (JsonNode webhook : object.path("webhooks")) {
                    if (target.webhook().equals(webhook.path("name").asText())) {
                        return webhook;
                    }
                }
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot read back a rewritten webhook object: " + e.getMessage(), e);
            }
        }
        throw new IllegalStateException("no webhook " + target.webhook() + " in the rewritten objects");
    }
}
