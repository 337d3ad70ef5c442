package io.polykube.api;

import io.polykube.api.error.PolykubeException;
import io.polykube.api.internal.run.RunningCluster;
import io.polykube.api.internal.webhook.WebhookInstaller;
import io.polykube.api.webhook.WebhookCertificate;
import io.polykube.api.spec.WebhookManifests;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Webhooks served from the test JVM: a serving certificate the API server trusts, and registration of the operator's own
 * webhook manifests, pointed at local servers. From {@link Cluster#webhooks()}:
 *
 * <pre>{@code
 * WebhookCertificate certificate = cluster.webhooks().certificate();
 * HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
 * server.setHttpsConfigurator(new HttpsConfigurator(certificate.sslContext()));
 * ... server.start();
 * try (InstalledWebhooks installed = cluster.webhooks().install(WebhookManifests.builder()
 *         .classpath("webhooks.yaml").server(server.getAddress().getPort()).build())) {
 *     // the API server calls the webhooks now
 * }
 * }</pre>
 */
public final class Webhooks {
    private final Cluster cluster;

    Webhooks(Cluster cluster) {
        this.cluster = cluster;
    }

    /**
     * The serving certificate for webhook servers in this JVM, signed by the cluster CA for {@code 127.0.0.1},
     * {@code localhost} and {@code ::1}; issued on first use and kept in the cluster directory. A cluster not started yet
     * issues its CA now (the start then uses it), so servers for the webhooks of its spec can listen before
     * {@code start()}.
     *
     * @throws PolykubeException when the cluster is closed, or its directory is held by another running cluster
     */
    public WebhookCertificate certificate() {
        return cluster.webhookCertificate(List.of());
    }

    /**
     * The serving certificate for a webhook server reached through its Services
     * ({@link WebhookManifests.Builder#throughServices()}, mode {@code FULL}): signed by the cluster CA for each service's
     * {@code <name>.<namespace>.svc}, the name the API server verifies, and for the node's address, which is
     * {@link WebhookCertificate#address()}: where the server listens (it exists while the cluster runs).
     *
     * @param services the services the webhooks call, as {@code namespace/name} (the manifests' {@code clientConfig.service})
     * @throws IllegalArgumentException when no service is given or one is not {@code namespace/name}
     * @throws PolykubeException        when the cluster is not in mode {@code FULL}, or is closed
     */
    public WebhookCertificate certificate(String... services) {
        if (services.length == 0) {
            throw new IllegalArgumentException("certificate(services...) needs the services the webhooks call, as "
                    + "namespace/name (e.g. \"operators/widget-webhook\"); certificate() is the one for local URLs");
        }
        List<String> hostNames = new ArrayList<>();
        for (String service : services) {
            if (service == null || !service.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?/[a-z0-9]([-a-z0-9]*[a-z0-9])?")) {
                throw new IllegalArgumentException("certificate(\"" + service + "\"): name the service as namespace/name, "
                        + "as in the manifest's clientConfig.service (e.g. \"operators/widget-webhook\")");
            }
            String[] parts = service.split("/");
            hostNames.add(parts[1] + "." + parts[0] + ".svc");
        }
        return cluster.webhookCertificate(hostNames);
    }

    /**
     * Registers the webhooks of {@code install}: checks each server answers TLS with {@link #certificate()}, applies the
     * configurations (every {@code clientConfig.service} replaced by its local URL, {@code caBundle} set), and returns
     * once the API server has really called each admission webhook (a dry-run request it sends through the webhook,
     * named {@code polykube-webhook-probe-<n>}). A {@code reset()} removes them, as every object made after start;
     * {@link InstalledWebhooks#close()} removes them sooner.
     *
     * <p>With {@link WebhookManifests.Builder#throughServices()} (mode {@code FULL}), the configurations keep their
     * {@code clientConfig.service}; polykube makes each Service (without a selector, in its namespace, made too if need
     * be) and an EndpointSlice to the server's port on the node's address, and {@link InstalledWebhooks#close()} removes
     * them with the webhooks.
     *
     * @throws PolykubeException naming the webhook and its URL when its server does not listen, presents another
     *                           certificate, or the API server's call to it fails; nothing stays registered then
     */
    public InstalledWebhooks install(WebhookManifests install) {
        Objects.requireNonNull(install, "install");
        RunningCluster run = cluster.runOf();
        WebhookInstaller installer = run.webhookInstaller();
        WebhookCertificate certificate = run.webhookCertificate();
        WebhookInstaller.Installed installed = installer.install(install, certificate.caBundle(), run.deadlineFromNow());
        return new InstalledWebhooks(installed, installer);
    }
}
