package io.polykube.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.polykube.api.Cluster;
import io.polykube.api.InstalledWebhooks;
import io.polykube.api.spec.ClusterSpec;
import io.polykube.api.spec.Mode;
import io.polykube.api.spec.WebhookManifests;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What webhooks served from the JVM cost: the time from {@code install} to "the API server called it" (a webhook on
 * config maps, and one on a CRD the install itself creates), and the latency a validating webhook adds to a create
 * (p50 and p99 of 200 creates with and without it). A control plane, the JDK's HttpsServer answering "allowed".
 */
final class WebhookBench {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CREATES = 200;
    private static final String CONFIGMAP_WEBHOOK = """
            apiVersion: admissionregistration.k8s.io/v1
            kind: ValidatingWebhookConfiguration
            metadata: {name: bench-configmaps}
            webhooks:
              - name: validate.configmaps.bench.polykube.io
                admissionReviewVersions: ["v1"]
                sideEffects: None
                failurePolicy: Fail
                clientConfig:
                  service: {namespace: bench, name: bench-webhook, path: /allow}
                rules:
                  - {apiGroups: [""], apiVersions: ["v1"], resources: ["configmaps"], operations: ["CREATE"]}
            """;
    private static final String CRD_WEBHOOK = """
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata: {name: gizmos.bench.polykube.io}
            spec:
              group: bench.polykube.io
              scope: Namespaced
              names: {plural: gizmos, singular: gizmo, kind: Gizmo}
              conversion:
                strategy: Webhook
                webhook:
                  conversionReviewVersions: ["v1"]
                  clientConfig:
                    service: {namespace: bench, name: bench-webhook, path: /convert}
              versions:
                - name: v1alpha1
                  served: true
                  storage: false
                  schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
                - name: v1
                  served: true
                  storage: true
                  schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
            ---
            apiVersion: admissionregistration.k8s.io/v1
            kind: ValidatingWebhookConfiguration
            metadata: {name: bench-gizmos}
            webhooks:
              - name: validate.gizmos.bench.polykube.io
                admissionReviewVersions: ["v1"]
                sideEffects: None
                clientConfig:
                  service: {namespace: bench, name: bench-webhook, path: /allow}
                rules:
                  - {apiGroups: ["bench.polykube.io"], apiVersions: ["v1"], resources: ["gizmos"], operations: ["CREATE"]}
            """;

    private final int runs;

    WebhookBench(int runs) {
        this.runs = runs;
    }

    void run(Path work) throws IOException {
        // the JDK's server writes headers and body apart: without TCP_NODELAY, Nagle and the API server's delayed ACK add
        // 40 ms to every call (read once, when the server's configuration class loads)
        System.setProperty("sun.net.httpserver.nodelay", "true");
        ClusterSpec spec = ClusterSpec.builder().name("bench-webhooks").directory(work).mode(Mode.CONTROL_PLANE)
                .etcd(e -> e.unsafeNoFsync(true)).build();
        try (Cluster cluster = Cluster.start(spec)) {
            HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.setHttpsConfigurator(new HttpsConfigurator(cluster.webhooks().certificate().sslContext()));
            server.createContext("/allow", WebhookBench::allow);
            server.start();
            try {
                int port = server.getAddress().getPort();
                installTimes(cluster, "on config maps (a resource the cluster serves)", manifests("configmaps.yaml",
                        CONFIGMAP_WEBHOOK, port));
                installTimes(cluster, "with the CRD it validates and converts (created by the install)", manifests("gizmos.yaml",
                        CRD_WEBHOOK, port));
                latency(cluster, port);
            } finally {
                server.stop(0);
            }
        }
    }

    private static WebhookManifests manifests(String origin, String yaml, int port) {
        return WebhookManifests.builder().manifest(origin, yaml).server(port).build();
    }

    private void installTimes(Cluster cluster, String what, WebhookManifests manifests) {
        List<Long> times = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            try (InstalledWebhooks installed = cluster.webhooks().install(manifests)) {
                times.add(installed.readyIn().toMillis());
                if (i == 0 && !installed.notProbed().isEmpty()) {
                    System.out.println("[bench] not probed: " + installed.notProbed());
                }
            }
        }
        Collections.sort(times);
        System.out.printf("[bench] %-90s median %d ms (min %d, max %d, n=%d)%n", "webhook install until the API server "
                + "called it, " + what, BenchCommand.percentile(times, 50), times.get(0), times.get(times.size() - 1),
                times.size());
    }

    private static void latency(Cluster cluster, int port) {
        KubernetesClient client = cluster.client();
        List<Long> without = creates(client, "plain");
        List<Long> with;
        try (InstalledWebhooks installed = cluster.webhooks().install(manifests("configmaps.yaml", CONFIGMAP_WEBHOOK, port))) {
            with = creates(client, "checked");
        }
        System.out.printf("[bench] %-90s p50 %.2f ms, p99 %.2f ms (without: p50 %.2f, p99 %.2f; n=%d each)%n",
                "config map create through a validating webhook in this JVM", BenchCommand.percentile(with, 50) / 1000.0,
                BenchCommand.percentile(with, 99) / 1000.0, BenchCommand.percentile(without, 50) / 1000.0,
                BenchCommand.percentile(without, 99) / 1000.0, CREATES);
        System.out.printf("[bench] %-90s p50 %.2f ms, p99 %.2f ms%n", "latency a webhook call adds to a create",
                (BenchCommand.percentile(with, 50) - BenchCommand.percentile(without, 50)) / 1000.0,
                (BenchCommand.percentile(with, 99) - BenchCommand.percentile(without, 99)) / 1000.0);
    }

    /** Microseconds of each of {@link #CREATES} creates (after 20 unmeasured ones), sorted. */
    private static List<Long> creates(KubernetesClient client, String prefix) {
        List<Long> micros = new ArrayList<>();
        for (int i = -20; i < CREATES; i++) {
            long t0 = System.nanoTime();
            client.configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata()
                    .withName(prefix + "-" + (i + 20)).endMetadata().addToData("k", "v").build()).create();
            if (i >= 0) {
                micros.add((System.nanoTime() - t0) / 1_000);
            }
        }
        Collections.sort(micros);
        return micros;
    }

    private static void allow(HttpExchange exchange) throws IOException {
        try (exchange) {
            JsonNode review = JSON.readTree(exchange.getRequestBody());
            ObjectNode out = JSON.createObjectNode().put("apiVersion", "admission.k8s.io/v1").put("kind", "AdmissionReview");
            out.putObject("response").put("uid", review.path("request").path("uid").asText()).put("allowed", true);
            byte[] body = JSON.writeValueAsBytes(out);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(body);
            }
        }
    }
}
