package io.polykube.api.spec;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * Which webhooks to register and where their servers listen: the operator's own manifests, unchanged
 * ({@code ValidatingWebhookConfiguration}, {@code MutatingWebhookConfiguration}, and CustomResourceDefinitions with
 * {@code conversion.strategy: Webhook}), and the local port of the server behind each {@code clientConfig.service}:
 *
 * <pre>{@code
 * cluster.webhooks().install(WebhookManifests.builder()
 *         .manifests(Path.of("deploy/webhooks.yaml"))
 *         .server(8443)                               // every service reference goes to https://127.0.0.1:8443<path>
 *         .build());
 * }</pre>
 *
 * <p>Other objects in the manifests (the webhook's Deployment, Service, RBAC) are skipped: {@link #skipped()} lists them.
 * {@code build()} checks every reference: a service with no server, a server no webhook names, or a {@code url} off this
 * machine is refused there, before anything is applied.
 *
 * <p>In mode {@code FULL}, {@link Builder#throughServices()} keeps the configurations exactly as the manifests have them
 * (only {@code caBundle} is set): polykube makes each named Service, without a selector, and an EndpointSlice that sends
 * it to the server's port on the node's address, so the API server calls {@code https://<name>.<namespace>.svc} as in
 * production. The server then listens on {@code cluster.webhooks().certificate("<namespace>/<name>").address()}.
 */
public final class WebhookManifests {
    private final List<Manifest> manifests;
    private final Route route;
    private final OptionalInt defaultPort;
    private final Map<String, Integer> servicePorts;
    private final WebhookDocuments documents;

    private WebhookManifests(Builder builder) {
        this.manifests = List.copyOf(builder.manifests);
        this.route = builder.route;
        this.defaultPort = builder.defaultPort;
        this.servicePorts = Map.copyOf(builder.servicePorts);
        this.documents = WebhookDocuments.read(manifests, route, defaultPort, servicePorts);
    }

    public static Builder builder() {
        return new Builder();
    }

    public List<Manifest> manifests() {
        return manifests;
    }

    /** How the API server reaches the servers: a local URL (the default) or the manifests' own services. */
    public Route route() {
        return route;
    }

    /**
     * The Services to make for {@link Route#SERVICE} (one per {@code namespace/name} the webhooks call, with every port
     * they call it on); empty for {@link Route#LOCAL_URL}.
     */
    public List<ServiceRoute> services() {
        return documents.services();
    }

    /** The port that serves every service not named in {@link #servicePorts()}. */
    public OptionalInt defaultPort() {
        return defaultPort;
    }

    /** The port of each named service ({@code namespace/name}). */
    public Map<String, Integer> servicePorts() {
        return servicePorts;
    }

    /** Each webhook to register, with the URL the API server will call. */
    public List<Target> targets() {
        return documents.targets();
    }

    /** The objects of the manifests that are not webhooks, skipped ({@code <origin>, document <n> (<kind> <name>)}). */
    public List<String> skipped() {
        return documents.skipped();
    }

    /**
     * The objects to apply, as JSON: every {@code caBundle} set to {@code caBundle}, and for {@link Route#LOCAL_URL} every
     * {@code clientConfig.service} replaced by its local {@code url}.
     */
    public List<String> objects(String caBundle) {
        return documents.rewritten(caBundle);
    }

    @Override
    public String toString() {
        return "WebhookManifests" + targets();
    }

    /** How the API server reaches a webhook server in the test JVM. */
    public enum Route {
        /** Each {@code clientConfig.service} becomes {@code https://127.0.0.1:<port><path>}; any mode. */
        LOCAL_URL,
        /**
         * Each {@code clientConfig.service} stays as it is; the Service and an EndpointSlice to the node's address send
         * it to the server. Mode {@code FULL} only (kube-proxy routes it), installed after start.
         */
        SERVICE
    }

    /**
     * A Service that {@link Route#SERVICE} makes: {@code ports} are the ports the webhooks call it on, all sent to
     * {@code serverPort}.
     */
    public record ServiceRoute(String namespace, String name, List<Integer> ports, int serverPort) {
        public ServiceRoute {
            ports = List.copyOf(ports);
        }

        /** The name the API server verifies the server's certificate against: {@code <name>.<namespace>.svc}. */
        public String hostName() {
            return name + "." + namespace + ".svc";
        }
    }

    /** What a webhook is: validating, mutating (admission) or conversion (a CRD's). */
    public enum Type {
        VALIDATING, MUTATING, CONVERSION
    }

    /**
     * One webhook to register.
     *
     * @param type    validating, mutating or conversion
     * @param kind    the kind of the object that declares it
     * @param object  that object's name (the configuration, or the CRD)
     * @param webhook the webhook's name (for a conversion webhook, the CRD's name)
     * @param service    the {@code namespace/name} of the service the manifest names, or empty for a {@code url}
     * @param url        where the API server will call it
     * @param serverPort the local port of the server behind it
     * @param origin     the manifest and document it comes from
     */
    public record Target(Type type, String kind, String object, String webhook, String service, URI url, int serverPort,
            String origin) {
        public Target {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(url, "url");
        }

        /** Whether the API server reaches it through its Service ({@link Route#SERVICE}). */
        public boolean throughService() {
            return !service.isEmpty() && url.getHost().endsWith(".svc");
        }

        /** {@code validating webhook "v.widgets.example.com" (ValidatingWebhookConfiguration widgets) at https://...}. */
        public String describe() {
            return type.name().toLowerCase() + " webhook \"" + webhook + "\" (" + kind + " " + object + ") at " + url;
        }
    }

    /** Collects manifests and servers; {@link #build()} validates them. */
    public static final class Builder {
        private final List<Manifest> manifests = new ArrayList<>();
        private Route route = Route.LOCAL_URL;
        private OptionalInt defaultPort = OptionalInt.empty();
        private final Map<String, Integer> servicePorts = new LinkedHashMap<>();

        private Builder() {
        }

        /** Manifest files, read now. */
        public Builder manifests(Path... files) {
            for (Path file : files) {
                manifests.add(Manifest.read(file));
            }
            return this;
        }

        /** A manifest on the class path of the calling thread ({@code webhooks/manifests.yaml}), read now. */
        public Builder classpath(String resource) {
            String name = resource.replaceFirst("^classpath:", "").replaceFirst("^/", "");
            ClassLoader loader = Objects.requireNonNullElse(Thread.currentThread().getContextClassLoader(),
                    WebhookManifests.class.getClassLoader());
            try (InputStream in = loader.getResourceAsStream(name)) {
                if (in == null) {
                    throw new IllegalArgumentException("webhook manifest classpath:" + name + " is not on the class path: put it "
                            + "under src/test/resources/" + name + " or give a file with manifests(Path)");
                }
                manifests.add(new Manifest("classpath:" + name, new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new IllegalArgumentException("webhook manifest classpath:" + name + " cannot be read: " + e.getMessage(), e);
            }
            return this;
        }

        /** A manifest given as YAML text; {@code origin} names it in messages. */
        public Builder manifest(String origin, String yaml) {
            manifests.add(new Manifest(origin, yaml));
            return this;
        }

        /**
         * Keeps each {@code clientConfig.service} as the manifest has it ({@link Route#SERVICE}, mode {@code FULL}, with
         * {@code cluster.webhooks().install(...)} after start): polykube makes the Service and an EndpointSlice to the
         * server's port on the node's address, where the server listens with
         * {@code cluster.webhooks().certificate("<namespace>/<name>")}.
         */
        public Builder throughServices() {
            route = Route.SERVICE;
            return this;
        }

        /** The local port that serves every webhook whose service is not given its own port. */
        public Builder server(int port) {
            defaultPort = OptionalInt.of(checkPort(port, "server(" + port + ")"));
            return this;
        }

        /** The local port serving the webhooks of one service, {@code namespace/name}. */
        public Builder server(String service, int port) {
            Objects.requireNonNull(service, "service");
            if (!service.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?/[a-z0-9]([-a-z0-9]*[a-z0-9])?")) {
                throw new IllegalArgumentException("server(\"" + service + "\", " + port + "): name the service as "
                        + "namespace/name, as in the manifest's clientConfig.service (e.g. \"operators/widget-webhook\")");
            }
            servicePorts.put(service, checkPort(port, "server(\"" + service + "\", " + port + ")"));
            return this;
        }

        private static int checkPort(int port, String call) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException(call + ": a port is 1 to 65535; give the port your webhook server listens on");
            }
            return port;
        }

        /**
         * The install, checked.
         *
         * @throws IllegalArgumentException naming the manifest and webhook when a manifest holds no webhook, a service has no
         *                                  server, a server serves no webhook, or a {@code url} points off this machine
         */
        public WebhookManifests build() {
            if (manifests.isEmpty()) {
                throw new IllegalArgumentException("WebhookManifests need manifests: give them with manifests(Path...), "
                        + "classpath(String) or manifest(origin, yaml)");
            }
            return new WebhookManifests(this);
        }
    }
}
