package io.polykube.api.audit;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * An immutable filter over {@link AuditEvent}s: every condition set must hold. Start from {@link #all()} and narrow it:
 * {@code AuditQuery.all().user("alice").verbs("create", "update").resource("configmaps").namespace("demo")}.
 */
public final class AuditQuery implements Predicate<AuditEvent> {
    private static final AuditQuery ALL = new AuditQuery(null, Set.of(), null, null, null, null);

    private final String user;
    private final Set<String> verbs;
    private final String resource;
    private final String subresource;
    private final String namespace;
    private final String stage;

    private AuditQuery(String user, Set<String> verbs, String resource, String subresource, String namespace, String stage) {
        this.user = user;
        this.verbs = verbs;
        this.resource = resource;
        this.subresource = subresource;
        this.namespace = namespace;
        this.stage = stage;
    }

    /** Every event. */
    public static AuditQuery all() {
        return ALL;
    }

    /** Events of this user name, e.g. {@code alice} or {@code system:serviceaccount:demo:operator}. */
    public AuditQuery user(String name) {
        return new AuditQuery(notBlank("user", name), verbs, resource, subresource, namespace, stage);
    }

    /** Events with one of these verbs ({@code get list watch create update patch delete deletecollection}). */
    public AuditQuery verbs(String... names) {
        List<String> list = List.of(names);
        if (list.isEmpty()) {
            throw new IllegalArgumentException("verbs: name at least one verb, e.g. verbs(\"create\", \"update\")");
        }
        list.forEach(v -> notBlank("verb", v));
        return new AuditQuery(user, Set.copyOf(list), resource, subresource, namespace, stage);
    }

    /** Events that change state: create, update, patch, delete, deletecollection. */
    public AuditQuery writes() {
        return verbs("create", "update", "patch", "delete", "deletecollection");
    }

    /** Events on this resource ({@code configmaps}) or subresource ({@code pods/status}). */
    public AuditQuery resource(String resourcePath) {
        notBlank("resource", resourcePath);
        int slash = resourcePath.indexOf('/');
        return slash < 0
                ? new AuditQuery(user, verbs, resourcePath, null, namespace, stage)
                : new AuditQuery(user, verbs, resourcePath.substring(0, slash), resourcePath.substring(slash + 1), namespace, stage);
    }

    /** Events in this namespace (cluster-wide requests, such as a LIST of all Secrets, have none and do not match). */
    public AuditQuery namespace(String name) {
        return new AuditQuery(user, verbs, resource, subresource, notBlank("namespace", name), stage);
    }

    /** Events of one stage, e.g. {@code ResponseComplete}. */
    public AuditQuery stage(String name) {
        return new AuditQuery(user, verbs, resource, subresource, namespace, notBlank("stage", name));
    }

    @Override
    public boolean test(AuditEvent e) {
        return (user == null || user.equals(e.user()))
                && (verbs.isEmpty() || verbs.contains(e.verb()))
                && (resource == null || resource.equals(e.resource()) && (subresource == null ? e.subresource().isEmpty()
                        : subresource.equals(e.subresource())))
                && (namespace == null || namespace.equals(e.namespace()))
                && (stage == null || stage.equals(e.stage()));
    }

    private static String notBlank(String what, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AuditQuery q && Objects.equals(user, q.user) && verbs.equals(q.verbs)
                && Objects.equals(resource, q.resource) && Objects.equals(subresource, q.subresource)
                && Objects.equals(namespace, q.namespace) && Objects.equals(stage, q.stage);
    }

    @Override
    public int hashCode() {
        return Objects.hash(user, verbs, resource, subresource, namespace, stage);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("AuditQuery[");
        if (user != null) {
            b.append("user=").append(user).append(' ');
        }
        if (!verbs.isEmpty()) {
            b.append("verbs=").append(verbs.stream().sorted().toList()).append(' ');
        }
        if (resource != null) {
            b.append("resource=").append(resource).append(subresource == null ? "" : "/" + subresource).append(' ');
        }
        if (namespace != null) {
            b.append("namespace=").append(namespace).append(' ');
        }
        if (stage != null) {
            b.append("stage=").append(stage).append(' ');
        }
        return b.toString().strip() + "]";
    }
}
