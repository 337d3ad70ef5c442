package io.polykube.api.internal;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.polykube.api.error.PolykubeException;
import io.polykube.api.layout.ClusterLayout;
import io.polykube.api.status.Component;
import io.polykube.config.kubeconfig.Kubeconfig;
import io.polykube.pki.ClientCredentials;
import io.polykube.pki.Pem;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes the cluster's kubeconfigs: the admin's (self-contained), one per component, and one per extra user. */
public final class Kubeconfigs {
    private final ClusterLayout layout;
    private final String clusterName;
    private final URI server;
    private final Path caCert;

    public Kubeconfigs(ClusterLayout layout, String clusterName, URI server, Path caCert) {
        this.layout = layout;
        this.clusterName = clusterName;
        this.server = server;
        this.caCert = caCert;
    }

    /**
     * A kubeconfig with the CA and the client certificate embedded, so it can be copied anywhere on this host. An EC key
     * is embedded as SEC1, the form a plain fabric8 client recognizes ({@link Pem#privateKeyForClients}).
     */
    public Path writePortable(Path file, ClientCredentials credentials) {
        String context = credentials.user() + "@" + clusterName;
        String certificate;
        try {
            certificate = Files.readString(credentials.cert());
        } catch (IOException e) {
            throw new PolykubeException("cannot read the certificate " + credentials.cert() + ": " + e.getMessage(), e);
        }
        String key = Pem.privateKeyForClients(Pem.readPrivateKey(credentials.key()));
        return Kubeconfig.builder()
                .cluster(clusterName, c -> c.server(server).embedCertificateAuthority(caCert))
                .user(credentials.user(), u -> u.clientCertificateData(certificate, key))
                .context(context, clusterName, credentials.user())
                .currentContext(context)
                .build()
                .writeTo(file);
    }

    public Path writeAdmin(ClientCredentials admin) {
        return writePortable(layout.adminKubeconfig(), admin);
    }

    public Path writeUser(ClientCredentials user) {
        return writePortable(layout.userKubeconfig(user.user()), user);
    }

    /** A component's kubeconfig, pointing at the certificate files in the cluster's PKI directory. */
    public Path writeComponent(Component component, ClientCredentials credentials) {
        return Kubeconfig.forClientCertificate(clusterName, server, caCert, credentials.user(), credentials.cert(), credentials.key())
                .writeTo(layout.kubeconfig(component));
    }

    /**
     * A new fabric8 client for a kubeconfig written by {@link #writePortable} (its key embedded in a form fabric8 reads as
     * it is), without loading the PKI; the caller closes it.
     */
    public static KubernetesClient client(Path kubeconfig) {
        try {
            return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(null, Files.readString(kubeconfig),
                    kubeconfig.toString())).build();
        } catch (IOException e) {
            throw new PolykubeException("cannot read the kubeconfig " + kubeconfig + ": " + e.getMessage(), e);
        }
    }

    /** A new fabric8 client for {@code kubeconfig}, whose user holds {@code credentials}; the caller closes it. */
    public static KubernetesClient client(Path kubeconfig, ClientCredentials credentials) {
        try {
            Config config = Config.fromKubeconfig(null, Files.readString(kubeconfig), kubeconfig.toString());
            // fabric8 reads a PKCS#8 key as RSA unless told the algorithm.
            config.setClientKeyAlgo(Pem.readPrivateKey(credentials.key()).getAlgorithm());
            return new KubernetesClientBuilder().withConfig(config).build();
        } catch (IOException e) {
            throw new PolykubeException("cannot read the kubeconfig " + kubeconfig + ": " + e.getMessage(), e);
        }
    }
}
