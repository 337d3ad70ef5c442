package io.polykube.api.internal.faults;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.polykube.api.faults.FaultAction;
import io.polykube.api.faults.FaultRequest;
import java.util.LinkedHashMap;
import java.util.Map;

/** The Kubernetes {@code Status} bodies the proxy answers with, worded as the API server words them. */
final class StatusBody {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String INJECTED = " [fault injected by polykube]";

    private StatusBody() {
    }

    /** The body of an injected error answer to {@code request}. */
    static String of(FaultAction action, FaultRequest request) {
        int code = action.code();
        Map<String, Object> details = new LinkedHashMap<>();
        if (!request.name().isEmpty()) {
            details.put("name", request.name());
        }
        if (!request.group().isEmpty()) {
            details.put("group", request.group());
        }
        if (!request.resource().isEmpty()) {
            details.put("kind", request.resource());
        }
        if (code == 429) {
            details.put("retryAfterSeconds", action.duration().toSeconds());
        }
        String message = action.message().orElseGet(() -> defaultMessage(code, request)) + INJECTED;
        return json(status(code, action.reason(), message, details));
    }

    /** A watch's error event for a resource version too old to watch from (410 Expired), one line with its newline. */
    static String expiredWatchEvent() {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("type", "ERROR");
        event.put("object", status(410, "Expired", "too old resource version" + INJECTED, Map.of()));
        return json(event) + "\n";
    }

    /** The answer when the API server cannot be reached. */
    static String badGateway(String cause) {
        return json(status(502, "", "the fault proxy could not reach the API server: " + cause, Map.of()));
    }

    private static Map<String, Object> status(int code, String reason, String message, Map<String, Object> details) {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("kind", "Status");
        status.put("apiVersion", "v1");
        status.put("metadata", Map.of());
        status.put("status", "Failure");
        status.put("message", message);
        if (!reason.isEmpty()) {
            status.put("reason", reason);
        }
        if (!details.isEmpty()) {
            status.put("details", details);
        }
        status.put("code", code);
        return status;
    }

    private static String defaultMessage(int code, FaultRequest request) {
        String what = request.resource() + (request.group().isEmpty() ? "" : "." + request.group());
        switch (code) {
            case 409:
                return "Operation cannot be fulfilled on " + what + " \"" + request.name() + "\": the object has been "
                        + "modified; please apply your changes to the latest version and try again";
            case 429:
                return "Too many requests, please try again later.";
            case 500:
                return "Internal error occurred";
            case 503:
                return "the server is currently unable to handle the request";
            case 504:
                return "the server was unable to return a response in the time allotted, but may still be processing the "
                        + "request";
            default:
                return "the server answered " + code;
        }
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
