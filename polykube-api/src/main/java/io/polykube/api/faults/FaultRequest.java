package io.polykube.api.faults;

import java.util.List;
import java.util.Objects;

/**
 * One request to the API server as a fault rule sees it, in the API server's own terms: {@code verb} is one of
 * {@code get list watch create update patch delete deletecollection} (or the HTTP method, lower case, for a path
 * outside {@code /api} and {@code /apis}); {@code group} is empty for the core group; absent parts are empty strings.
 *
 * @param verb the Kubernetes verb
 * @param group the API group ({@code ""} for core, {@code "apps"}, ...)
 * @param resource the resource ({@code configmaps}), empty for a path that names none
 * @param subresource the subresource ({@code status}, {@code log}, {@code exec}), or empty
 * @param namespace the namespace, or empty
 * @param name the object's name, or empty
 * @param user the caller's user name (from its client certificate), or empty when it authenticated otherwise
 * @param groups the caller's groups (from its client certificate)
 * @param path the request path, without the query
 */
public record FaultRequest(String verb, String group, String resource, String subresource, String namespace, String name,
        String user, List<String> groups, String path) {

    public FaultRequest {
        Objects.requireNonNull(verb, "verb");
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(subresource, "subresource");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(user, "user");
        groups = List.copyOf(groups);
        Objects.requireNonNull(path, "path");
    }

    /** Whether this is a watch (a long-running request whose events a watch fault can end, expire or delay). */
    public boolean isWatch() {
        return "watch".equals(verb);
    }

    /** For logs: {@code update configmaps demo/settings by alice}. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder(verb).append(' ');
        if (resource.isEmpty()) {
            out.append(path);
        } else {
            out.append(resource);
            if (!group.isEmpty()) {
                out.append('.').append(group);
            }
            if (!subresource.isEmpty()) {
                out.append('/').append(subresource);
            }
            if (!namespace.isEmpty() || !name.isEmpty()) {
                out.append(' ').append(namespace.isEmpty() ? name : name.isEmpty() ? namespace + "/" : namespace + "/" + name);
            }
        }
        if (!user.isEmpty()) {
            out.append(" by ").append(user);
        }
        return out.toString();
    }
}
