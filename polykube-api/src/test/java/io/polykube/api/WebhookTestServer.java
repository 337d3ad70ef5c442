package io.polykube.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLContext;

/**
 * A webhook server for tests, on the JDK's HttpsServer: each path answers a review (AdmissionReview or ConversionReview,
 * as JSON) with what its handler makes of the request; every request is kept.
 */
final class WebhookTestServer implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpsServer server;
    final List<JsonNode> requests = new CopyOnWriteArrayList<>();

    WebhookTestServer(SSLContext tls) throws IOException {
        this(tls, InetAddress.getLoopbackAddress());
    }

    WebhookTestServer(SSLContext tls, InetAddress address) throws IOException {
        System.setProperty("sun.net.httpserver.nodelay", "true"); // else each call waits 40 ms for a delayed ACK
        server = HttpsServer.create(new InetSocketAddress(address, 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
    }

    /** Answers POSTs to {@code path}: the handler turns the review's {@code request} into its {@code response}. */
    WebhookTestServer handle(String path, UnaryOperator<JsonNode> handler) {
        server.createContext(path, exchange -> answer(exchange, handler));
        return this;
    }

    WebhookTestServer start() {
        server.start();
        return this;
    }

    int port() {
        return server.getAddress().getPort();
    }

    long calls(String path, boolean dryRun) {
        return requests.stream().filter(r -> path.equals(r.path("path").asText())
                && r.path("review").path("request").path("dryRun").asBoolean(false) == dryRun).count();
    }

    private void answer(HttpExchange exchange, UnaryOperator<JsonNode> handler) throws IOException {
        try (exchange) {
            JsonNode review = JSON.readTree(exchange.getRequestBody());
            ObjectNode seen = JSON.createObjectNode();
            seen.put("path", exchange.getRequestURI().getPath());
            seen.set("review", review);
            requests.add(seen);
            ObjectNode out = JSON.createObjectNode();
            out.put("apiVersion", review.path("apiVersion").asText());
            out.put("kind", review.path("kind").asText());
            JsonNode response = handler.apply(review.path("request"));
            ((ObjectNode) response).put("uid", review.path("request").path("uid").asText());
            out.set("response", response);
            byte[] body = JSON.writeValueAsBytes(out);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
