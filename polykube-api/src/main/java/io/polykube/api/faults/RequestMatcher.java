package io.polykube.api.faults;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Which requests a {@link Fault} applies to: every condition set must hold. Start from a verb and a resource and narrow
 * it, for example {@code update("configmaps").in("demo").named("settings")}, {@code watch("deployments.apps")},
 * {@code get("pods/log")} or {@code anyRequest().by("alice")}.
 *
 * <p>A resource is written {@code resource[.group][/subresource]}: {@code configmaps} (any group),
 * {@code deployments.apps}, {@code pods/status}, {@code deployments.apps/scale}. A matcher without a subresource matches
 * only requests to the resource itself.
 */
public final class RequestMatcher implements Predicate<FaultRequest> {
    private static final Set<String> VERBS = Set.of("get", "list", "watch", "create", "update", "patch", "delete",
            "deletecollection");
    private static final RequestMatcher ANY = new RequestMatcher(Set.of(), null, null, null, null, null, null);

    private final Set<String> verbs;
    private final String resource;
    private final String group;
    private final String subresource;
    private final String namespace;
    private final String name;
    private final String user;

    private RequestMatcher(Set<String> verbs, String resource, String group, String subresource, String namespace, String name,
            String user) {
        this.verbs = verbs;
        this.resource = resource;
        this.group = group;
        this.subresource = subresource;
        this.namespace = namespace;
        this.name = name;
        this.user = user;
    }

    /** Every request (narrow it with {@link #in}, {@link #by} ...). */
    public static RequestMatcher anyRequest() {
        return ANY;
    }

    /** Every verb on {@code resource}. */
    public static RequestMatcher requests(String resource) {
        return ANY.resource(resource);
    }

    /** {@code get} of one object of {@code resource}. */
    public static RequestMatcher get(String resource) {
        return requests(resource).verbs("get");
    }

    /** {@code list} of {@code resource}. */
    public static RequestMatcher list(String resource) {
        return requests(resource).verbs("list");
    }

    /** {@code watch} of {@code resource}. */
    public static RequestMatcher watch(String resource) {
        return requests(resource).verbs("watch");
    }

    /** {@code create} of {@code resource}. */
    public static RequestMatcher create(String resource) {
        return requests(resource).verbs("create");
    }

    /** {@code update} (PUT) of {@code resource}. */
    public static RequestMatcher update(String resource) {
        return requests(resource).verbs("update");
    }

    /** {@code patch} of {@code resource} (server-side apply included). */
    public static RequestMatcher patch(String resource) {
        return requests(resource).verbs("patch");
    }

    /** {@code delete} of one object of {@code resource}. */
    public static RequestMatcher delete(String resource) {
        return requests(resource).verbs("delete");
    }

    /** Requests with one of these verbs ({@code get list watch create update patch delete deletecollection}). */
    public RequestMatcher verbs(String... names) {
        List<String> list = Arrays.asList(names);
        if (list.isEmpty()) {
            throw new IllegalArgumentException("verbs: name at least one verb, e.g. verbs(\"create\", \"update\")");
        }
        for (String verb : list) {
            if (verb == null || !VERBS.contains(verb)) {
                throw new IllegalArgumentException("verbs: '" + verb + "' is not a Kubernetes verb; use one of " + VERBS);
            }
        }
        return new RequestMatcher(Set.copyOf(list), resource, group, subresource, namespace, name, user);
    }

    /** Requests to {@code resourcePath} ({@code resource[.group][/subresource]}). */
    public RequestMatcher resource(String resourcePath) {
        notBlank("resource", resourcePath);
        String path = resourcePath;
        String sub = "";
        int slash = path.indexOf('/');
        if (slash >= 0) {
            sub = path.substring(slash + 1);
            path = path.substring(0, slash);
        }
        String apiGroup = null;
        int dot = path.indexOf('.');
        if (dot >= 0) {
            apiGroup = path.substring(dot + 1);
            path = path.substring(0, dot);
        }
        if (path.isEmpty() || sub.contains("/") || (apiGroup != null && apiGroup.isEmpty()) || (slash >= 0 && sub.isEmpty())) {
            throw new IllegalArgumentException("resource: '" + resourcePath + "' is not resource[.group][/subresource], "
                    + "e.g. configmaps, deployments.apps or pods/log");
        }
        return new RequestMatcher(verbs, path, apiGroup, sub, namespace, name, user);
    }

    /** Requests in {@code namespace}. */
    public RequestMatcher in(String namespace) {
        return new RequestMatcher(verbs, resource, group, subresource, notBlank("namespace", namespace), name, user);
    }

    /** Requests for the object {@code name}. */
    public RequestMatcher named(String name) {
        return new RequestMatcher(verbs, resource, group, subresource, namespace, notBlank("name", name), user);
    }

    /** Requests made by {@code user} (the CN of its client certificate), e.g. the operator's own user. */
    public RequestMatcher by(String user) {
        return new RequestMatcher(verbs, resource, group, subresource, namespace, name, notBlank("user", user));
    }

    @Override
    public boolean test(FaultRequest request) {
        return (verbs.isEmpty() || verbs.contains(request.verb()))
                && (resource == null || (resource.equals(request.resource()) && subresource.equals(request.subresource())))
                && (group == null || group.equals(request.group()))
                && (namespace == null || namespace.equals(request.namespace()))
                && (name == null || name.equals(request.name()))
                && (user == null || user.equals(request.user()));
    }

    /** Whether every request this matcher accepts is a watch. */
    boolean watchesOnly() {
        return verbs.equals(Set.of("watch"));
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder(verbs.isEmpty() ? "any verb" : String.join("|", new java.util.TreeSet<>(verbs)));
        out.append(' ').append(resource == null ? "any resource" : resource + (group == null ? "" : "." + group)
                + (subresource.isEmpty() ? "" : "/" + subresource));
        if (namespace != null) {
            out.append(" in ").append(namespace);
        }
        if (name != null) {
            out.append(" named ").append(name);
        }
        if (user != null) {
            out.append(" by ").append(user);
        }
        return out.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RequestMatcher m && verbs.equals(m.verbs) && Objects.equals(resource, m.resource)
                && Objects.equals(group, m.group) && Objects.equals(subresource, m.subresource)
                && Objects.equals(namespace, m.namespace) && Objects.equals(name, m.name) && Objects.equals(user, m.user);
    }

    @Override
    public int hashCode() {
        return Objects.hash(verbs, resource, group, subresource, namespace, name, user);
    }

    private static String notBlank(String what, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + ": must not be blank");
        }
        return value;
    }
}
