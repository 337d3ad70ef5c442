package io.polykube.config.audit;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.polykube.config.ConfigException;
import io.polykube.config.internal.ConfigFiles;
import io.polykube.config.internal.Mappers;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An audit {@code Policy} ({@code audit.k8s.io/v1}) for kube-apiserver's {@code --audit-policy-file}: rules, the first
 * that matches a request decides its level. {@link #defaults()} records every request at {@code Metadata} except the
 * noisy ones of the cluster's own components.
 */
public record AuditPolicy(List<String> omitStages, List<Rule> rules) {
    /** How much of a request is recorded. */
    public enum Level {
        NONE("None"), METADATA("Metadata"), REQUEST("Request"), REQUEST_RESPONSE("RequestResponse");

        private final String value;

        Level(String value) {
            this.value = value;
        }

        public String value() {
            return value;
        }
    }

    /** Resources of one API group ({@code ""} is the core group); {@code pods/status} names a subresource. */
    public record GroupResources(String group, List<String> resources) {
        public GroupResources {
            Objects.requireNonNull(group, "group");
            resources = List.copyOf(resources);
        }
    }

    /**
     * One rule; empty lists match everything. Within a rule every non-empty list must match (users AND groups AND verbs
     * ...), as in Kubernetes.
     */
    public record Rule(Level level, List<String> users, List<String> userGroups, List<String> verbs,
            List<GroupResources> resources, List<String> namespaces, List<String> nonResourceUrls) {
        public Rule {
            Objects.requireNonNull(level, "level");
            users = List.copyOf(users);
            userGroups = List.copyOf(userGroups);
            verbs = List.copyOf(verbs);
            resources = List.copyOf(resources);
            namespaces = List.copyOf(namespaces);
            nonResourceUrls = List.copyOf(nonResourceUrls);
            if (!nonResourceUrls.isEmpty() && (!resources.isEmpty() || !namespaces.isEmpty())) {
                throw new ConfigException("audit policy rule", "a rule matches either resources/namespaces or "
                        + "nonResourceURLs, not both: split it in two rules");
            }
        }

        /** A rule matching every request at {@code level}; narrow it with the {@code with...} methods. */
        public static Rule level(Level level) {
            return new Rule(level, List.of(), List.of(), List.of(), List.of(), List.of(), List.of());
        }

        public Rule users(String... names) {
            return new Rule(level, List.of(names), userGroups, verbs, resources, namespaces, nonResourceUrls);
        }

        public Rule userGroups(String... groups) {
            return new Rule(level, users, List.of(groups), verbs, resources, namespaces, nonResourceUrls);
        }

        public Rule verbs(String... names) {
            return new Rule(level, users, userGroups, List.of(names), resources, namespaces, nonResourceUrls);
        }

        /** Adds resources of {@code group} ({@code ""} for the core group). */
        public Rule resources(String group, String... names) {
            List<GroupResources> more = new ArrayList<>(resources);
            more.add(new GroupResources(group, List.of(names)));
            return new Rule(level, users, userGroups, verbs, more, namespaces, nonResourceUrls);
        }

        public Rule namespaces(String... names) {
            return new Rule(level, users, userGroups, verbs, resources, List.of(names), nonResourceUrls);
        }

        /** Paths such as {@code /healthz*}. */
        public Rule nonResourceUrls(String... paths) {
            return new Rule(level, users, userGroups, verbs, resources, namespaces, List.of(paths));
        }
    }

    /** The users of the cluster's own control-plane components. */
    public static final List<String> COMPONENT_USERS = List.of("system:apiserver", "system:kube-controller-manager",
            "system:kube-scheduler", "system:kube-proxy");

    public AuditPolicy {
        omitStages = List.copyOf(omitStages);
        rules = List.copyOf(rules);
        if (rules.isEmpty()) {
            throw new ConfigException("audit policy", "has no rules: add at least one, e.g. Rule.level(Level.METADATA)");
        }
        for (String stage : omitStages) {
            if (!List.of("RequestReceived", "ResponseStarted", "ResponseComplete", "Panic").contains(stage)) {
                throw new ConfigException("audit policy omitStages", "'" + stage + "' is not a stage: use RequestReceived, "
                        + "ResponseStarted, ResponseComplete or Panic");
            }
        }
    }

    /** A policy with these rules (first match wins), recording every stage but {@code RequestReceived}. */
    public static AuditPolicy of(Rule... rules) {
        return new AuditPolicy(List.of("RequestReceived"), List.of(rules));
    }

    /**
     * polykube's default: {@code Metadata} for every request, except (level {@code None}) the API server's own loopback
     * requests, leases, events and reads of the control-plane components and the kubelet, node status updates of the
     * kubelet, and health checks. {@code RequestReceived} is omitted, so each request is one {@code ResponseComplete}
     * event (plus {@code ResponseStarted} for watches).
     */
    public static AuditPolicy defaults() {
        String[] components = COMPONENT_USERS.toArray(String[]::new);
        return of(
                Rule.level(Level.NONE).users("system:apiserver"),
                Rule.level(Level.NONE).users(components).resources("coordination.k8s.io", "leases"),
                Rule.level(Level.NONE).userGroups("system:nodes").resources("coordination.k8s.io", "leases"),
                Rule.level(Level.NONE).users(components).resources("", "events").resources("events.k8s.io", "events"),
                Rule.level(Level.NONE).userGroups("system:nodes", "system:serviceaccounts:kube-system")
                        .resources("", "events").resources("events.k8s.io", "events"),
                Rule.level(Level.NONE).userGroups("system:nodes").resources("", "nodes", "nodes/status"),
                Rule.level(Level.NONE).users(components).verbs("get", "list", "watch"),
                Rule.level(Level.NONE).userGroups("system:nodes", "system:serviceaccounts:kube-system").verbs("get", "list", "watch"),
                Rule.level(Level.NONE).nonResourceUrls("/healthz*", "/readyz*", "/livez*", "/version", "/version/"),
                Rule.level(Level.METADATA));
    }

    /** The policy as YAML. */
    public String render() {
        ObjectNode root = Mappers.object();
        root.put("apiVersion", "audit.k8s.io/v1");
        root.put("kind", "Policy");
        if (!omitStages.isEmpty()) {
            ArrayNode stages = root.putArray("omitStages");
            omitStages.forEach(stages::add);
        }
        ArrayNode list = root.putArray("rules");
        for (Rule r : rules) {
            ObjectNode rule = list.addObject();
            rule.put("level", r.level().value());
            strings(rule, "users", r.users());
            strings(rule, "userGroups", r.userGroups());
            strings(rule, "verbs", r.verbs());
            if (!r.resources().isEmpty()) {
                ArrayNode resources = rule.putArray("resources");
                for (GroupResources g : r.resources()) {
                    ObjectNode o = resources.addObject();
                    o.put("group", g.group());
                    strings(o, "resources", g.resources());
                }
            }
            strings(rule, "namespaces", r.namespaces());
            strings(rule, "nonResourceURLs", r.nonResourceUrls());
        }
        return Mappers.yaml(root);
    }

    private static void strings(ObjectNode node, String field, List<String> values) {
        if (!values.isEmpty()) {
            ArrayNode array = node.putArray(field);
            values.forEach(array::add);
        }
    }

    /** Writes {@link #render()} to {@code file} (0600, atomic). */
    public Path writeTo(Path file) {
        return ConfigFiles.writeAtomically(file, render(), ConfigFiles.PRIVATE);
    }
}
