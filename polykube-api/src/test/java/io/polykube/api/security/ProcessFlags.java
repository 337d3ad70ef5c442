package io.polykube.api.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.polykube.api.Cluster;
import io.polykube.api.status.Component;
import io.polykube.api.status.ComponentStatus;
import io.polykube.runtime.probe.TlsTrust;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The flags a running component was started with, read from {@code /proc/<pid>/cmdline}; and raw reads from etcd. */
final class ProcessFlags {
    private ProcessFlags() {
    }

    static Map<String, String> of(Cluster cluster, Component component) {
        ComponentStatus status = cluster.status().stream().filter(s -> s.component() == component).findFirst()
                .orElseThrow(() -> new AssertionError(component + " is not running: " + cluster.status()));
        long pid = status.pid().orElseThrow(() -> new AssertionError(component + " has no pid: " + status));
        byte[] raw;
        try {
            raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
        } catch (IOException e) {
            throw new AssertionError("cannot read the command line of " + component + " (pid " + pid + "): " + e, e);
        }
        Map<String, String> flags = new LinkedHashMap<>();
        for (String arg : new String(raw, StandardCharsets.UTF_8).split("\0")) {
            if (arg.startsWith("--")) {
                int eq = arg.indexOf('=');
                flags.put(eq < 0 ? arg.substring(2) : arg.substring(2, eq), eq < 0 ? "true" : arg.substring(eq + 1));
            }
        }
        assertThat(flags).as("flags of %s (pid %d)", component, pid).isNotEmpty();
        return flags;
    }

    /**
     * The value etcd stores under {@code key}, read through etcd's JSON gateway with the API server's own etcd client
     * certificate (taken from its command line): no etcdctl, no gRPC.
     */
    static Optional<byte[]> etcdValue(Cluster cluster, String key) throws Exception {
        Map<String, String> api = of(cluster, Component.KUBE_APISERVER);
        TlsTrust trust = TlsTrust.ca(Path.of(api.get("etcd-cafile")))
                .withClientCertificate(Path.of(api.get("etcd-certfile")), Path.of(api.get("etcd-keyfile")));
        HttpClient http = HttpClient.newBuilder().sslContext(trust.sslContext()).connectTimeout(Duration.ofSeconds(5)).build();
        String body = "{\"key\":\"" + Base64.getEncoder().encodeToString(key.getBytes(StandardCharsets.UTF_8)) + "\"}";
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(api.get("etcd-servers").split(",")[0]
                + "/v3/kv/range")).timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("etcd range %s: %s", key, response.body()).isEqualTo(200);
        JsonNode kvs = new ObjectMapper().readTree(response.body()).path("kvs");
        if (!kvs.isArray() || kvs.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(Base64.getDecoder().decode(kvs.get(0).path("value").asText()));
    }
}
