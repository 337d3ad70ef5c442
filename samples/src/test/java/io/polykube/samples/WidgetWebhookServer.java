package io.polykube.samples;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequest;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponseBuilder;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ConversionResponseBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ConversionReview;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.polykube.api.junit.WebhookServer;
import io.polykube.api.webhook.WebhookCertificate;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The widget operator's webhooks, with no framework: the JDK's {@code HttpsServer} and fabric8's review models.
 * <ul>
 *   <li>{@code /validate} refuses a widget bigger than 10;</li>
 *   <li>{@code /mutate} gives a widget without a color the color {@code blue};</li>
 *   <li>{@code /convert} converts between v1alpha1 ({@code spec.colour}) and v1 ({@code spec.color}).</li>
 * </ul>
 * polykube starts it with the cluster's webhook certificate and points the webhooks at its port.
 */
public final class WidgetWebhookServer implements WebhookServer {
    private static final KubernetesSerialization JSON = new KubernetesSerialization();
    private HttpsServer server;

    @Override
    public int start(WebhookCertificate certificate) throws IOException {
        // the JDK's server writes headers and body apart: without TCP_NODELAY each call waits 40 ms for a delayed ACK
        System.setProperty("sun.net.httpserver.nodelay", "true");
        server = HttpsServer.create(new InetSocketAddress(certificate.address(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(certificate.sslContext()));
        server.createContext("/validate", exchange -> admission(exchange, WidgetWebhookServer::validate));
        server.createContext("/mutate", exchange -> admission(exchange, WidgetWebhookServer::mutate));
        server.createContext("/convert", WidgetWebhookServer::convert);
        server.start();
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private static AdmissionResponse validate(AdmissionRequest request) {
        GenericKubernetesResource widget = (GenericKubernetesResource) request.getObject();
        Object size = spec(widget).get("size");
        if (size instanceof Number n && n.intValue() > 10) {
            return new AdmissionResponseBuilder().withAllowed(false).withStatus(new StatusBuilder().withCode(422)
                    .withMessage("widget " + widget.getMetadata().getName() + " has size " + n + "; widgets go up to 10")
                    .build()).build();
        }
        return new AdmissionResponseBuilder().withAllowed(true).build();
    }

    private static AdmissionResponse mutate(AdmissionRequest request) {
        GenericKubernetesResource widget = (GenericKubernetesResource) request.getObject();
        if (spec(widget).containsKey("color")) {
            return new AdmissionResponseBuilder().withAllowed(true).build();
        }
        String patch = widget.getAdditionalProperties().containsKey("spec")
                ? "[{\"op\":\"add\",\"path\":\"/spec/color\",\"value\":\"blue\"}]"
                : "[{\"op\":\"add\",\"path\":\"/spec\",\"value\":{\"color\":\"blue\"}}]";
        return new AdmissionResponseBuilder().withAllowed(true).withPatchType("JSONPatch")
                .withPatch(Base64.getEncoder().encodeToString(patch.getBytes(StandardCharsets.UTF_8))).build();
    }

    private static void admission(HttpExchange exchange, Function<AdmissionRequest, AdmissionResponse> handler)
            throws IOException {
        AdmissionReview review = JSON.unmarshal(exchange.getRequestBody(), AdmissionReview.class);
        AdmissionResponse response = handler.apply(review.getRequest());
        response.setUid(review.getRequest().getUid());
        review.setRequest(null);
        review.setResponse(response);
        answer(exchange, JSON.asJson(review));
    }

    /** v1alpha1 spelt it {@code colour}; v1 says {@code color}. */
    @SuppressWarnings("unchecked")
    private static void convert(HttpExchange exchange) throws IOException {
        ConversionReview review = JSON.unmarshal(exchange.getRequestBody(), ConversionReview.class);
        String desired = review.getRequest().getDesiredAPIVersion();
        List<Object> converted = new ArrayList<>();
        for (Object object : review.getRequest().getObjects()) {
            GenericKubernetesResource widget = JSON.convertValue(object, GenericKubernetesResource.class);
            Map<String, Object> spec = (Map<String, Object>) widget.getAdditionalProperties().get("spec");
            if (spec != null) {
                String from = desired.endsWith("/v1") ? "colour" : "color";
                String to = desired.endsWith("/v1") ? "color" : "colour";
                if (spec.containsKey(from)) {
                    spec.put(to, spec.remove(from));
                }
            }
            widget.setApiVersion(desired);
            converted.add(widget);
        }
        review.setResponse(new ConversionResponseBuilder().withUid(review.getRequest().getUid())
                .withConvertedObjects(converted).withResult(new StatusBuilder().withStatus("Success").build()).build());
        review.setRequest(null);
        answer(exchange, JSON.asJson(review));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> spec(GenericKubernetesResource widget) {
        Object spec = widget.getAdditionalProperties().get("spec");
        return spec instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    private static void answer(HttpExchange exchange, String json) throws IOException {
        try (exchange) {
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
