package io.polykube.runtime.probe;


import io.polykube.runtime.ProcessException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/** HTTP(S) GET expecting 2xx; HTTPS verifies the server against the given CA, with hostname check. */
final class HttpProbe implements Probe {
    private static final int SNIPPET = 200;

    private final URI uri;
    private final Predicate<String> bodyMatches;
    private final String bodyDescription;
    private final HttpClient client;

    HttpProbe(URI uri, TlsTrust trust, Predicate<String> bodyMatches, String bodyDescription) {
        this.uri = Objects.requireNonNull(uri, "uri");
        this.bodyMatches = Objects.requireNonNull(bodyMatches, "bodyMatches");
        this.bodyDescription = bodyDescription;
        String scheme = uri.getScheme();
        if (trust == null && !"http".equalsIgnoreCase(scheme)) {
            throw new ProcessException("Probe.http needs an http:// URI, got " + uri + " (use Probe.https with a TlsTrust for https)");
        }
        if (trust != null && !"https".equalsIgnoreCase(scheme)) {
            throw new ProcessException("Probe.https needs an https:// URI, got " + uri);
        }
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER);
        if (trust != null) {
            builder.sslContext(trust.sslContext());
        }
        this.client = builder.build();
    }

    @Override
    public ProbeResult check(ProbeContext context) {
        HttpRequest request = HttpRequest.newBuilder(uri).GET().timeout(context.attemptTimeout()).build();
        CompletableFuture<HttpResponse<String>> pending = client.sendAsync(request, HttpResponse.BodyHandlers.ofString());
        try {
            // the request timeout covers only the headers: bound the whole exchange, a probe must never hang
            HttpResponse<String> response = pending.get(context.attemptTimeout().toNanos(), TimeUnit.NANOSECONDS);
            int status = response.statusCode();
            String body = response.body() == null ? "" : response.body();
            String summary = "GET " + uri + " -> " + status + " " + snippet(body);
            if (status / 100 != 2) {
                return ProbeResult.notReady(summary);
            }
            if (!bodyMatches.test(body)) {
                return ProbeResult.notReady(summary + " (body does not match: " + bodyDescription + ")");
            }
            return ProbeResult.ready(summary);
        } catch (ExecutionException e) {
            return ProbeResult.notReady("GET " + uri + " failed: " + Failures.describe(e.getCause() == null ? e : e.getCause()));
        } catch (TimeoutException e) {
            pending.cancel(true);
            return ProbeResult.notReady("GET " + uri + " got no complete response within " + context.attemptTimeout());
        } catch (InterruptedException e) {
            pending.cancel(true);
            Thread.currentThread().interrupt();
            return ProbeResult.notReady("GET " + uri + " interrupted");
        }
    }

    private static String snippet(String body) {
        String flat = body.strip().replaceAll("\\s+", " ");
        return flat.length() > SNIPPET ? "'" + flat.substring(0, SNIPPET) + "...'" : "'" + flat + "'";
    }

    @Override
    public String description() {
        return "HTTP GET " + uri + " -> 2xx" + ("any body".equals(bodyDescription) ? "" : " with body " + bodyDescription);
    }
}
