package io.polykube.api.internal.webhook;

import io.polykube.api.error.PolykubeException;
import io.polykube.api.spec.WebhookManifests.Target;
import io.polykube.pki.Pem;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.stream.Collectors;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * Checks, as the API server will, that a webhook server listens and presents a certificate the cluster CA signed for the
 * URL's host: a TCP connect and a TLS handshake with host name verification, no request sent.
 */
final class WebhookServerCheck {
    private static final int CONNECT_TIMEOUT_MS = 2_000;
    private static final int HANDSHAKE_TIMEOUT_MS = 5_000;

    private final SSLContext trustingClusterCa;
    private final String clusterName;

    WebhookServerCheck(Path caCertificate, String clusterName) {
        this.clusterName = clusterName;
        try {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            trust.setCertificateEntry("cluster-ca", Pem.readCertificate(caCertificate));
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            trustingClusterCa = SSLContext.getInstance("TLS");
            trustingClusterCa.init(null, factory.getTrustManagers(), null);
        } catch (GeneralSecurityException | IOException e) {
            throw new PolykubeException("cannot load the cluster CA " + caCertificate + " to check webhook servers: "
                    + e.getMessage(), e);
        }
    }

    /** Checks the server behind {@code url}, which serves {@code targets}; throws naming them, the URL and the error. */
    void check(URI url, List<Target> targets) {
        int port = url.getPort() < 0 ? 443 : url.getPort();
        String host = url.getHost().replaceAll("^\\[|\\]$", "");
        check(new InetSocketAddress(host, port), host, url, targets);
    }

    /**
     * Checks the server at {@code address} as the API server does when it calls {@code url}: TLS for {@code hostName} (the
     * name its certificate must hold, and the SNI name sent).
     */
    void check(InetSocketAddress address, String hostName, URI url, List<Target> targets) {
        int port = address.getPort();
        try (Socket plain = new Socket()) {
            try {
                plain.connect(address, CONNECT_TIMEOUT_MS);
            } catch (ConnectException | SocketTimeoutException e) {
                throw failure(url, targets, "nothing listens there (" + address.getAddress().getHostAddress() + ":" + port
                        + ": " + e.getMessage() + "): start the webhook server there before installing its webhooks, or give "
                        + "the port it listens on to server(...)", e);
            }
            SSLSocket socket = (SSLSocket) trustingClusterCa.getSocketFactory().createSocket(plain, hostName, port, false);
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            if (!hostName.contains(":") && !hostName.matches("[0-9.]+")) {
                parameters.setServerNames(List.of(new SNIHostName(hostName)));
            }
            socket.setSSLParameters(parameters);
            socket.setSoTimeout(HANDSHAKE_TIMEOUT_MS);
            try {
                socket.startHandshake();
            } catch (SocketTimeoutException e) {
                throw failure(url, targets, "the server accepted the connection but did not complete a TLS handshake in "
                        + HANDSHAKE_TIMEOUT_MS + " ms: serve HTTPS there, with cluster.webhooks().certificate()", e);
            } catch (SSLException e) {
                throw failure(url, targets, "its TLS handshake failed (" + e.getMessage() + "): the API server trusts only "
                        + "certificates of the cluster CA for " + hostName + "; serve "
                        + (hostName.endsWith(".svc") ? "cluster.webhooks().certificate(\"<namespace>/<name>\") of each "
                        + "service it serves" : "cluster.webhooks().certificate()")
                        + " (its sslContext(), keyStore(...) or PEM files)", e);
            } finally {
                socket.close();
            }
        } catch (IOException e) {
            throw failure(url, targets, "it cannot be reached: " + e, e);
        }
    }

    private PolykubeException failure(URI url, List<Target> targets, String why, Exception cause) {
        String names = targets.stream().map(t -> t.type().name().toLowerCase() + " webhook \"" + t.webhook() + "\" at "
                + t.url() + " (" + t.origin() + ")").collect(Collectors.joining(", "));
        return new PolykubeException("cluster '" + clusterName + "': the webhook server " + url + " is not usable for the "
                + names + ": " + why, cause);
    }
}
