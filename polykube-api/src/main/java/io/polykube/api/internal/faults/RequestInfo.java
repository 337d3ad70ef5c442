package io.polykube.api.internal.faults;

import io.polykube.api.faults.FaultRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Reads a request's verb, group, resource, namespace and name from its method and path, as the API server does. */
final class RequestInfo {
    private static final Set<String> NAMESPACE_SUBRESOURCES = Set.of("status", "finalize");

    private RequestInfo() {
    }

    static FaultRequest parse(String method, String path, String query, String user, List<String> groups) {
        List<String> parts = new ArrayList<>();
        for (String part : path.split("/")) {
            if (!part.isEmpty()) {
                parts.add(part);
            }
        }
        String group;
        int rest;
        if (parts.size() >= 3 && parts.get(0).equals("api")) {
            group = "";
            rest = 2;
        } else if (parts.size() >= 4 && parts.get(0).equals("apis")) {
            group = parts.get(1);
            rest = 3;
        } else {
            return nonResource(method, path, user, groups);
        }
        List<String> resourceParts = new ArrayList<>(parts.subList(rest, parts.size()));
        boolean legacyWatch = false;
        if (resourceParts.get(0).equals("watch")) {
            legacyWatch = true;
            resourceParts.remove(0);
        }
        String namespace = "";
        if (!resourceParts.isEmpty() && resourceParts.get(0).equals("namespaces") && resourceParts.size() > 1) {
            namespace = resourceParts.get(1);
            if (resourceParts.size() > 2 && !NAMESPACE_SUBRESOURCES.contains(resourceParts.get(2))) {
                resourceParts = resourceParts.subList(2, resourceParts.size());
            }
        }
        if (resourceParts.isEmpty()) {
            return nonResource(method, path, user, groups);
        }
        String resource = resourceParts.get(0);
        String name = resourceParts.size() > 1 ? resourceParts.get(1) : "";
        String subresource = resourceParts.size() > 2 ? resourceParts.get(2) : "";
        String verb = verb(method.toUpperCase(Locale.ROOT), !name.isEmpty(), legacyWatch || watchParameter(query));
        return new FaultRequest(verb, group, resource, subresource, namespace, name, user, groups, path);
    }

    private static FaultRequest nonResource(String method, String path, String user, List<String> groups) {
        return new FaultRequest(method.toLowerCase(Locale.ROOT), "", "", "", "", "", user, groups, path);
    }

    private static String verb(String method, boolean named, boolean watch) {
        switch (method) {
            case "GET":
            case "HEAD":
                return watch ? "watch" : named ? "get" : "list";
            case "POST":
                return "create";
            case "PUT":
                return "update";
            case "PATCH":
                return "patch";
            case "DELETE":
                return named ? "delete" : "deletecollection";
            default:
                return method.toLowerCase(Locale.ROOT);
        }
    }

    private static boolean watchParameter(String query) {
        if (query == null || query.isEmpty()) {
            return false;
        }
        for (String pair : query.split("&")) {
            if (pair.equals("watch=true") || pair.equals("watch=1")) {
                return true;
            }
        }
        return false;
    }
}
