package io.polykube.api.junit;

import io.polykube.api.webhook.WebhookCertificate;

/**
 * The webhook server of {@link WithPolykube#webhooks()}: the extension creates it (no-argument constructor), starts it
 * with the cluster's webhook certificate before the cluster starts, registers the webhooks against the port it returns,
 * and closes it after the cluster stopped. It lives as long as the cluster, which classes asking for the same spec,
 * webhooks and server class share.
 *
 * <pre>{@code
 * public class GadgetWebhookServer implements WebhookServer {
 *     private HttpsServer server;
 *
 *     public int start(WebhookCertificate certificate) throws IOException {
 *         server = HttpsServer.create(new InetSocketAddress(certificate.address(), 0), 0);
 *         server.setHttpsConfigurator(new HttpsConfigurator(certificate.sslContext()));
 *         server.createContext("/validate", ...);
 *         server.start();
 *         return server.getAddress().getPort();
 *     }
 *
 *     public void close() {
 *         server.stop(0);
 *     }
 * }
 * }</pre>
 */
public interface WebhookServer extends AutoCloseable {

    /**
     * Starts serving HTTPS on {@code certificate.address()} ({@code 127.0.0.1}) with {@code certificate} and returns the
     * port; every service the webhook manifests name is pointed at it.
     */
    int start(WebhookCertificate certificate) throws Exception;

    /** Stops serving; called once the cluster has stopped. */
    @Override
    void close() throws Exception;
}
