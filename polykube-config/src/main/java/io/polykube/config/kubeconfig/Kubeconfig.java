package io.polykube.config.kubeconfig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.polykube.config.ConfigException;
import io.polykube.config.internal.Check;
import io.polykube.config.internal.ConfigFiles;
import io.polykube.config.internal.Mappers;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * An immutable kubeconfig ({@code apiVersion: v1, kind: Config}): clusters, users, contexts and the
 * current context. Built with {@link #builder()}, validated at {@code build()}; rendered with
 * {@link #render()}, written with {@link #writeTo(Path)} (mode 0600, atomic), read back with
 * {@link #read(Path)}, and merged into an existing file (such as {@code ~/.kube/config}) only when
 * {@link #mergeInto(Path, CurrentContext)} is called.
 *
 * <p>File paths must be absolute. {@code insecure-skip-tls-verify} is never written unless a
 * cluster asks for it with {@link ClusterBuilder#insecureSkipTlsVerify()}.
 */
public final class Kubeconfig {

    /** What {@link #mergeInto(Path, CurrentContext)} does with the target's {@code current-context}. */
    public enum CurrentContext {
        /** Keep the target's current context; set ours only if the target has none. */
        KEEP,
        /** Switch the target to this kubeconfig's current context. */
        SWITCH
    }

    /** A named cluster: API server URL and how to verify it. */
    public record Cluster(String name, URI server, Optional<PemSource> certificateAuthority,
                          boolean insecureSkipTlsVerify, Optional<String> tlsServerName) {
        public Cluster {
            Objects.requireNonNull(certificateAuthority, "certificateAuthority");
            Objects.requireNonNull(tlsServerName, "tlsServerName");
        }
    }

    /** A named user: a client certificate and key, and/or a bearer token. */
    public record User(String name, Optional<PemSource> clientCertificate, Optional<PemSource> clientKey,
                       Optional<String> token) {
        public User {
            Objects.requireNonNull(clientCertificate, "clientCertificate");
            Objects.requireNonNull(clientKey, "clientKey");
            Objects.requireNonNull(token, "token");
        }

        @Override
        public String toString() {
            return "User[name=" + name + ", clientCertificate=" + clientCertificate + ", clientKey="
                    + clientKey.map(k -> k instanceof PemSource.File ? k.toString() : "<embedded>")
                    + ", token=" + token.map(t -> "<redacted>") + "]";
        }
    }

    /** A named context: a cluster, a user and an optional default namespace. */
    public record Context(String name, String cluster, String user, Optional<String> namespace) {
        public Context {
            Objects.requireNonNull(namespace, "namespace");
        }
    }

    private final List<Cluster> clusters;
    private final List<User> users;
    private final List<Context> contexts;
    private final Optional<String> currentContext;

    private Kubeconfig(List<Cluster> clusters, List<User> users, List<Context> contexts,
                       Optional<String> currentContext) {
        this.clusters = List.copyOf(clusters);
        this.users = List.copyOf(users);
        this.contexts = List.copyOf(contexts);
        this.currentContext = currentContext;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The common case: one cluster verified with a CA file, one user with a client certificate and
     * key (files, not embedded), one context named {@code user@clusterName} that is current.
     */
    public static Kubeconfig forClientCertificate(String clusterName, URI server, Path caFile, String user,
                                                  Path certFile, Path keyFile) {
        String context = user + "@" + clusterName;
        return builder()
                .cluster(clusterName, c -> c.server(server).certificateAuthority(caFile))
                .user(user, u -> u.clientCertificate(certFile, keyFile))
                .context(context, clusterName, user)
                .currentContext(context)
                .build();
    }

    public List<Cluster> clusters() {
        return clusters;
    }

    public List<User> users() {
        return users;
    }

    public List<Context> contexts() {
        return contexts;
    }

    public Optional<String> currentContext() {
        return currentContext;
    }

    public Optional<Cluster> cluster(String name) {
        return clusters.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    public Optional<User> user(String name) {
        return users.stream().filter(u -> u.name().equals(name)).findFirst();
    }

    public Optional<Context> context(String name) {
        return contexts.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    /** The kubeconfig as YAML, in the key order kubectl writes. */
    public String render() {
        return Mappers.yaml(toTree());
    }

    /** Writes {@link #render()} to {@code file} atomically with mode 0600 (it may hold keys or tokens). */
    public Path writeTo(Path file) {
        return ConfigFiles.writeAtomically(file, render(), ConfigFiles.PRIVATE);
    }

    /**
     * Adds this kubeconfig's clusters, users and contexts to {@code target} (created if missing),
     * replacing entries of the same name and keeping every other entry and field as it is (comments
     * and formatting are not kept). Writes atomically with mode 0600.
     */
    public Path mergeInto(Path target, CurrentContext currentContextPolicy) {
        Objects.requireNonNull(currentContextPolicy, "currentContextPolicy");
        Path file = Check.absolute("target", target.toAbsolutePath());
        ObjectNode existing;
        if (Files.exists(file)) {
            JsonNode read = Mappers.readYaml(file.toString(), ConfigFiles.read(file));
            if (!read.isObject()) {
                throw new ConfigException(file.toString(), "is not a kubeconfig (not a YAML mapping)");
            }
            existing = (ObjectNode) read;
        } else {
            existing = Mappers.object();
        }
        ObjectNode mine = toTree();
        ObjectNode merged = Mappers.object();
        merged.put("apiVersion", "v1");
        merged.put("kind", "Config");
        merged.setAll(existing);
        for (String section : List.of("clusters", "contexts", "users")) {
            merged.set(section, mergeNamed(file + ": " + section, existing.get(section), (ArrayNode) mine.get(section)));
        }
        boolean hasCurrent = existing.hasNonNull("current-context") && !existing.get("current-context").asText().isEmpty();
        if (currentContext.isPresent() && (currentContextPolicy == CurrentContext.SWITCH || !hasCurrent)) {
            merged.put("current-context", currentContext.get());
        }
        return ConfigFiles.writeAtomically(file, Mappers.yaml(merged), ConfigFiles.PRIVATE);
    }

    private static ArrayNode mergeNamed(String where, JsonNode existing, ArrayNode mine) {
        ArrayNode out = Mappers.object().arrayNode();
        Map<String, JsonNode> byName = new LinkedHashMap<>();
        for (JsonNode entry : mine) {
            byName.put(entry.get("name").asText(), entry);
        }
        if (existing != null && !existing.isNull()) {
            if (!existing.isArray()) {
                throw new ConfigException(where, "is not a list; fix or remove the file");
            }
            for (JsonNode entry : existing) {
                JsonNode replacement = byName.remove(entry.path("name").asText());
                out.add(replacement != null ? replacement : entry);
            }
        }
        byName.values().forEach(out::add);
        return out;
    }

    /** Reads a kubeconfig file; relative paths in it are resolved against the file's directory. */
    public static Kubeconfig read(Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        return parse(ConfigFiles.read(absolute), absolute.getParent());
    }

    /** Parses kubeconfig YAML; relative paths are resolved against {@code baseDir}. */
    public static Kubeconfig parse(String yaml, Path baseDir) {
        JsonNode root = Mappers.readYaml("kubeconfig", yaml);
        Builder b = builder();
        for (JsonNode entry : root.path("clusters")) {
            String name = entry.path("name").asText();
            JsonNode c = entry.path("cluster");
            String field = "clusters[" + name + "]";
            b.cluster(name, cb -> {
                cb.server(URI.create(c.path("server").asText()));
                pemSource(field + ".certificate-authority", c, "certificate-authority", baseDir)
                        .ifPresent(cb::certificateAuthority);
                if (c.path("insecure-skip-tls-verify").asBoolean(false)) {
                    cb.insecureSkipTlsVerify();
                }
                if (c.hasNonNull("tls-server-name")) {
                    cb.tlsServerName(c.get("tls-server-name").asText());
                }
            });
        }
        for (JsonNode entry : root.path("users")) {
            String name = entry.path("name").asText();
            JsonNode u = entry.path("user");
            String field = "users[" + name + "]";
            b.user(name, ub -> {
                Optional<PemSource> cert = pemSource(field + ".client-certificate", u, "client-certificate", baseDir);
                Optional<PemSource> key = pemSource(field + ".client-key", u, "client-key", baseDir);
                if (cert.isPresent() || key.isPresent()) {
                    ub.clientCertificate(cert.orElse(null), key.orElse(null));
                }
                if (u.hasNonNull("token")) {
                    ub.token(u.get("token").asText());
                }
            });
        }
        for (JsonNode entry : root.path("contexts")) {
            JsonNode c = entry.path("context");
            b.context(entry.path("name").asText(), cb -> {
                cb.cluster(c.path("cluster").asText()).user(c.path("user").asText());
                if (c.hasNonNull("namespace")) {
                    cb.namespace(c.get("namespace").asText());
                }
            });
        }
        String current = root.path("current-context").asText("");
        if (!current.isEmpty()) {
            b.currentContext(current);
        }
        return b.build();
    }

    private static Optional<PemSource> pemSource(String field, JsonNode node, String key, Path baseDir) {
        if (node.hasNonNull(key + "-data")) {
            try {
                byte[] pem = Base64.getDecoder().decode(node.get(key + "-data").asText().trim());
                return Optional.of(PemSource.data(new String(pem, StandardCharsets.US_ASCII)));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(field + "-data", "is not valid base64", e);
            }
        }
        if (node.hasNonNull(key)) {
            Path path = Path.of(node.get(key).asText());
            return Optional.of(PemSource.file(path.isAbsolute() || baseDir == null ? path : baseDir.resolve(path)));
        }
        return Optional.empty();
    }

    private ObjectNode toTree() {
        ObjectNode root = Mappers.object();
        root.put("apiVersion", "v1");
        root.put("kind", "Config");
        ArrayNode clusterList = root.putArray("clusters");
        for (Cluster c : clusters) {
            ObjectNode entry = clusterList.addObject();
            entry.put("name", c.name());
            ObjectNode cluster = entry.putObject("cluster");
            cluster.put("server", c.server().toString());
            c.certificateAuthority().ifPresent(ca -> putPem(cluster, "certificate-authority", ca));
            c.tlsServerName().ifPresent(n -> cluster.put("tls-server-name", n));
            if (c.insecureSkipTlsVerify()) {
                cluster.put("insecure-skip-tls-verify", true);
            }
        }
        ArrayNode contextList = root.putArray("contexts");
        for (Context c : contexts) {
            ObjectNode entry = contextList.addObject();
            entry.put("name", c.name());
            ObjectNode context = entry.putObject("context");
            context.put("cluster", c.cluster());
            context.put("user", c.user());
            c.namespace().ifPresent(ns -> context.put("namespace", ns));
        }
        currentContext.ifPresent(cc -> root.put("current-context", cc));
        root.putObject("preferences");
        ArrayNode userList = root.putArray("users");
        for (User u : users) {
            ObjectNode entry = userList.addObject();
            entry.put("name", u.name());
            ObjectNode user = entry.putObject("user");
            u.clientCertificate().ifPresent(cert -> putPem(user, "client-certificate", cert));
            u.clientKey().ifPresent(key -> putPem(user, "client-key", key));
            u.token().ifPresent(t -> user.put("token", t));
        }
        return root;
    }

    private static void putPem(ObjectNode node, String key, PemSource source) {
        if (source instanceof PemSource.File f) {
            node.put(key, f.path().toString());
        } else if (source instanceof PemSource.Data d) {
            node.put(key + "-data", Base64.getEncoder().encodeToString(d.pem().getBytes(StandardCharsets.US_ASCII)));
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Kubeconfig k && k.clusters.equals(clusters) && k.users.equals(users)
                && k.contexts.equals(contexts) && k.currentContext.equals(currentContext);
    }

    @Override
    public int hashCode() {
        return Objects.hash(clusters, users, contexts, currentContext);
    }

    @Override
    public String toString() {
        return "Kubeconfig[clusters=" + clusters + ", users=" + users + ", contexts=" + contexts
                + ", currentContext=" + currentContext.orElse("") + "]";
    }

    /** Collects entries; {@link #build()} validates names, references, URLs and files. */
    public static final class Builder {
        private final List<ClusterBuilder> clusters = new ArrayList<>();
        private final List<UserBuilder> users = new ArrayList<>();
        private final List<ContextBuilder> contexts = new ArrayList<>();
        private String currentContext;

        private Builder() {
        }

        public Builder cluster(String name, Consumer<ClusterBuilder> spec) {
            ClusterBuilder b = new ClusterBuilder(name);
            spec.accept(b);
            clusters.add(b);
            return this;
        }

        public Builder user(String name, Consumer<UserBuilder> spec) {
            UserBuilder b = new UserBuilder(name);
            spec.accept(b);
            users.add(b);
            return this;
        }

        public Builder context(String name, Consumer<ContextBuilder> spec) {
            ContextBuilder b = new ContextBuilder(name);
            spec.accept(b);
            contexts.add(b);
            return this;
        }

        /** A context without a namespace. */
        public Builder context(String name, String cluster, String user) {
            return context(name, c -> c.cluster(cluster).user(user));
        }

        /** The context kubectl uses by default; if unset and there is exactly one context, that one. */
        public Builder currentContext(String name) {
            this.currentContext = name;
            return this;
        }

        public Kubeconfig build() {
            List<Cluster> builtClusters = new ArrayList<>();
            Set<String> names = new HashSet<>();
            for (ClusterBuilder c : clusters) {
                Cluster built = c.build();
                if (!names.add(built.name())) {
                    throw new ConfigException("clusters[" + built.name() + "]", "the name is used twice");
                }
                builtClusters.add(built);
            }
            List<User> builtUsers = new ArrayList<>();
            names.clear();
            for (UserBuilder u : users) {
                User built = u.build();
                if (!names.add(built.name())) {
                    throw new ConfigException("users[" + built.name() + "]", "the name is used twice");
                }
                builtUsers.add(built);
            }
            List<Context> builtContexts = new ArrayList<>();
            names.clear();
            for (ContextBuilder c : contexts) {
                Context built = c.build();
                String field = "contexts[" + built.name() + "]";
                if (!names.add(built.name())) {
                    throw new ConfigException(field, "the name is used twice");
                }
                if (builtClusters.stream().noneMatch(x -> x.name().equals(built.cluster()))) {
                    throw new ConfigException(field + ".cluster", "no cluster named '" + built.cluster() + "'");
                }
                if (builtUsers.stream().noneMatch(x -> x.name().equals(built.user()))) {
                    throw new ConfigException(field + ".user", "no user named '" + built.user() + "'");
                }
                builtContexts.add(built);
            }
            String current = currentContext;
            if (current == null && builtContexts.size() == 1) {
                current = builtContexts.get(0).name();
            }
            if (current != null && !names.contains(current)) {
                throw new ConfigException("current-context", "no context named '" + current + "'");
            }
            return new Kubeconfig(builtClusters, builtUsers, builtContexts, Optional.ofNullable(current));
        }
    }

    /** One cluster entry. */
    public static final class ClusterBuilder {
        private final String name;
        private URI server;
        private PemSource ca;
        private Path caToEmbed;
        private boolean insecure;
        private String tlsServerName;

        private ClusterBuilder(String name) {
            this.name = name;
        }

        /** The API server URL, e.g. {@code https://127.0.0.1:6443}. */
        public ClusterBuilder server(URI server) {
            this.server = server;
            return this;
        }

        /** Verify the server against this CA file (referenced by path). */
        public ClusterBuilder certificateAuthority(Path caFile) {
            return certificateAuthority(PemSource.file(
                    Check.absolute("clusters[" + name + "].certificate-authority", caFile)));
        }

        public ClusterBuilder certificateAuthority(PemSource source) {
            this.ca = source;
            this.caToEmbed = null;
            return this;
        }

        /** Verify the server against this CA, read from the file now and embedded. */
        public ClusterBuilder embedCertificateAuthority(Path caFile) {
            this.caToEmbed = caFile;
            this.ca = null;
            return this;
        }

        /** Verify the server against this CA PEM text, embedded. */
        public ClusterBuilder certificateAuthorityData(String pem) {
            return certificateAuthority(PemSource.data(pem));
        }

        /** The name to verify the server certificate against, if it differs from the URL's host. */
        public ClusterBuilder tlsServerName(String name) {
            this.tlsServerName = name;
            return this;
        }

        /** Do not verify the server at all. Only for throwaway setups; never the default. */
        public ClusterBuilder insecureSkipTlsVerify() {
            this.insecure = true;
            return this;
        }

        private Cluster build() {
            String field = "clusters[" + name + "]";
            Check.notBlank("clusters[].name", name);
            Check.required(field + ".server", server);
            if (!server.isAbsolute() || server.getHost() == null
                    || !("https".equals(server.getScheme()) || "http".equals(server.getScheme()))) {
                throw new ConfigException(field + ".server",
                        "'" + server + "' must be an absolute http(s) URL with a host, e.g. https://127.0.0.1:6443");
            }
            PemSource source = ca;
            if (caToEmbed != null) {
                source = PemSource.data(Check.readPem(field + ".certificate-authority", caToEmbed));
            }
            if (source instanceof PemSource.File f) {
                Check.absolute(field + ".certificate-authority", f.path());
            }
            if (insecure && source != null) {
                throw new ConfigException(field + ".insecure-skip-tls-verify",
                        "cannot be combined with a certificate authority (kubectl refuses it): choose one");
            }
            return new Cluster(name, server, Optional.ofNullable(source), insecure, Optional.ofNullable(tlsServerName));
        }
    }

    /** One user entry. */
    public static final class UserBuilder {
        private final String name;
        private PemSource cert;
        private PemSource key;
        private Path certToEmbed;
        private Path keyToEmbed;
        private String token;

        private UserBuilder(String name) {
            this.name = name;
        }

        /** Client certificate and PKCS#8 key, referenced by path. */
        public UserBuilder clientCertificate(Path certFile, Path keyFile) {
            String field = "users[" + name + "]";
            return clientCertificate(
                    certFile == null ? null : PemSource.file(Check.absolute(field + ".client-certificate", certFile)),
                    keyFile == null ? null : PemSource.file(Check.absolute(field + ".client-key", keyFile)));
        }

        public UserBuilder clientCertificate(PemSource certificate, PemSource key) {
            this.cert = certificate;
            this.key = key;
            this.certToEmbed = null;
            this.keyToEmbed = null;
            return this;
        }

        /** Client certificate and key read from the files now and embedded. */
        public UserBuilder embedClientCertificate(Path certFile, Path keyFile) {
            this.certToEmbed = Check.required("users[" + name + "].client-certificate", certFile);
            this.keyToEmbed = Check.required("users[" + name + "].client-key", keyFile);
            this.cert = null;
            this.key = null;
            return this;
        }

        /** Client certificate and key PEM text, embedded. */
        public UserBuilder clientCertificateData(String certificatePem, String keyPem) {
            return clientCertificate(PemSource.data(certificatePem), PemSource.data(keyPem));
        }

        /** A bearer token. */
        public UserBuilder token(String token) {
            this.token = token;
            return this;
        }

        private User build() {
            String field = "users[" + name + "]";
            Check.notBlank("users[].name", name);
            PemSource c = cert;
            PemSource k = key;
            if (certToEmbed != null) {
                c = PemSource.data(Check.readPem(field + ".client-certificate", certToEmbed));
                k = PemSource.data(Check.readPem(field + ".client-key", keyToEmbed));
            }
            if ((c == null) != (k == null)) {
                throw new ConfigException(field + (c == null ? ".client-certificate" : ".client-key"),
                        "a client certificate needs its key and a key its certificate: give both");
            }
            if (c == null && (token == null || token.isBlank())) {
                throw new ConfigException(field, "has no credentials: give a client certificate and key, or a token");
            }
            if (k instanceof PemSource.Data d && !d.pem().contains("PRIVATE KEY")) {
                throw new ConfigException(field + ".client-key", "the PEM data holds no private key");
            }
            return new User(name, Optional.ofNullable(c), Optional.ofNullable(k), Optional.ofNullable(token));
        }
    }

    /** One context entry. */
    public static final class ContextBuilder {
        private final String name;
        private String cluster;
        private String user;
        private String namespace;

        private ContextBuilder(String name) {
            this.name = name;
        }

        public ContextBuilder cluster(String cluster) {
            this.cluster = cluster;
            return this;
        }

        public ContextBuilder user(String user) {
            this.user = user;
            return this;
        }

        public ContextBuilder namespace(String namespace) {
            this.namespace = namespace;
            return this;
        }

        private Context build() {
            String field = "contexts[" + name + "]";
            Check.notBlank("contexts[].name", name);
            Check.notBlank(field + ".cluster", cluster);
            Check.notBlank(field + ".user", user);
            if (namespace != null) {
                Check.dnsSubdomain(field + ".namespace", namespace);
            }
            return new Context(name, cluster, user, Optional.ofNullable(namespace));
        }
    }
}
