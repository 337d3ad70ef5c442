package io.polykube.api.audit;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One event of the API server's audit log ({@code audit.k8s.io/v1 Event}): who did what to which object, with which
 * result. Fields the event lacks are empty strings (e.g. {@code namespace} of a cluster-scoped object) or 0
 * ({@code responseCode} of a {@code ResponseStarted} event).
 */
public record AuditEvent(String auditId, String stage, String level, String verb, String requestUri, String user,
        List<String> groups, String userAgent, String apiGroup, String apiVersion, String resource, String subresource,
        String namespace, String name, int responseCode, Instant requestReceived, Instant stageTimestamp) {
    private static final Set<String> WRITES = Set.of("create", "update", "patch", "delete", "deletecollection");

    public AuditEvent {
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(verb, "verb");
        Objects.requireNonNull(user, "user");
        groups = List.copyOf(groups);
    }

    /** Whether the verb changes state: create, update, patch, delete or deletecollection. */
    public boolean isWrite() {
        return WRITES.contains(verb);
    }

    /** {@code resource} or {@code resource/subresource}, e.g. {@code pods/status}. */
    public String resourcePath() {
        return subresource.isEmpty() ? resource : resource + "/" + subresource;
    }

    /** The time the request was received, if the event has it. */
    public Optional<Instant> received() {
        return Optional.ofNullable(requestReceived);
    }

    @Override
    public String toString() {
        String target = resource.isEmpty() ? requestUri
                : resourcePath() + (namespace.isEmpty() ? "" : " in " + namespace) + (name.isEmpty() ? "" : " " + name);
        return stage + " " + user + " " + verb + " " + target + " -> " + responseCode;
    }
}
