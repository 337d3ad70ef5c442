package io.polykube.api.internal.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.polykube.api.error.PolykubeException;
import io.polykube.runtime.probe.TlsTrust;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * etcd's key-value API, reached through the JSON gateway etcd serves on its client port ({@code /v3/kv/range},
 * {@code /v3/kv/txn}): ranges over a prefix and transactions of puts and deletes, with the API server's etcd client
 * certificate. No etcd client library: three JSON calls are all a reset needs.
 */
final class EtcdKeyspace {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder B64 = Base64.getEncoder();
    private static final Base64.Decoder B64D = Base64.getDecoder();

    /** One key as a range returns it; {@code value} is empty for a keys-only range. */
    record Entry(Key key, long modRevision, long lease, byte[] value) {
    }

    /** A key's bytes, comparable and usable in maps. */
    record Key(byte[] bytes) implements Comparable<Key> {
        static Key of(String key) {
            return new Key(key.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Arrays.equals(bytes, k.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        @Override
        public int compareTo(Key o) {
            return Arrays.compareUnsigned(bytes, o.bytes);
        }

        @Override
        public String toString() {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    /** Every key under a prefix at one revision. */
    record Range(long revision, List<Entry> entries) {
    }

    /** One operation of a transaction: a put of {@code value}, or a delete when {@code value} is null. */
    record Change(Key key, byte[] value) {
        static Change put(Key key, byte[] value) {
            return new Change(key, value);
        }

        static Change delete(Key key) {
            return new Change(key, null);
        }

        boolean isDelete() {
            return value == null;
        }

        int size() {
            return key.bytes().length + (value == null ? 0 : value.length);
        }
    }

    private final URI endpoint;
    private final HttpClient http;

    EtcdKeyspace(URI endpoint, TlsTrust trust) {
        this.endpoint = endpoint;
        this.http = HttpClient.newBuilder().sslContext(trust.sslContext()).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(TIMEOUT).build();
    }

    /** Every key starting with {@code prefix}, with its value unless {@code keysOnly}. */
    Range range(String prefix, boolean keysOnly) {
        byte[] start = prefix.getBytes(StandardCharsets.UTF_8);
        ObjectNode body = JSON.createObjectNode()
                .put("key", B64.encodeToString(start))
                .put("range_end", B64.encodeToString(prefixEnd(start)))
                .put("keys_only", keysOnly);
        JsonNode response = post("/v3/kv/range", body, "read the keys under " + prefix);
        List<Entry> entries = new ArrayList<>();
        for (JsonNode kv : response.path("kvs")) {
            entries.add(new Entry(new Key(B64D.decode(kv.path("key").asText())), kv.path("mod_revision").asLong(),
                    kv.path("lease").asLong(), B64D.decode(kv.path("value").asText(""))));
        }
        return new Range(response.path("header").path("revision").asLong(), entries);
    }

    /** Applies the changes in one transaction (etcd refuses one with more operations than its {@code --max-txn-ops}). */
    void apply(List<Change> changes) {
        ArrayNode success = JSON.createArrayNode();
        for (Change c : changes) {
            ObjectNode op = success.addObject();
            if (c.isDelete()) {
                op.putObject("request_delete_range").put("key", B64.encodeToString(c.key().bytes()));
            } else {
                op.putObject("request_put").put("key", B64.encodeToString(c.key().bytes()))
                        .put("value", B64.encodeToString(c.value()));
            }
        }
        ObjectNode body = JSON.createObjectNode();
        body.set("success", success);
        post("/v3/kv/txn", body, "write " + changes.size() + " keys");
    }

    /**
     * Compacts etcd's history up to {@code revision} (not physically: the freed pages are reused); a revision already
     * compacted, by the API server's own compactor, is no error.
     */
    void compact(long revision) {
        try {
            post("/v3/kv/compaction", JSON.createObjectNode().put("revision", revision).put("physical", false),
                    "compact the history up to revision " + revision);
        } catch (PolykubeException e) {
            if (!String.valueOf(e.getMessage()).contains("compacted")) {
                throw e;
            }
        }
    }

    /** The end of the range of every key that starts with {@code prefix}: the prefix with its last byte raised by one. */
    static byte[] prefixEnd(byte[] prefix) {
        byte[] end = Arrays.copyOf(prefix, prefix.length);
        for (int i = end.length - 1; i >= 0; i--) {
            if (end[i] != (byte) 0xff) {
                end[i]++;
                return Arrays.copyOf(end, i + 1);
            }
        }
        return new byte[] {0}; // every key
    }

    private JsonNode post(String path, JsonNode body, String what) {
        HttpRequest request = HttpRequest.newBuilder(endpoint.resolve(path)).timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new PolykubeException("cannot " + what + " in etcd (" + endpoint + path + "): HTTP " + response.statusCode()
                        + ": " + response.body().strip() + "; see etcd's log, or stop the cluster and start it again");
            }
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new PolykubeException("cannot " + what + " in etcd (" + endpoint + path + "): " + e.getMessage()
                    + "; is etcd running? See its log", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PolykubeException("interrupted while trying to " + what + " in etcd", e);
        }
    }
}
