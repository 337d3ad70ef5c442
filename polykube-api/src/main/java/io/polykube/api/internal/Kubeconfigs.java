package io.polykube.api.internal;

import io.polykube.api.layout.ClusterLayout;
import io.polykube.api.status.Component;
import io.polykube.config.kubeconfig.Kubeconfig;
import io.polykube.pki.ClientCredentials;
import java.net.URI;
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

    /** A kubeconfig with the CA and the client certificate embedded, so it can be copied anywhere on this host. */
    public Path writePortable(Path file, ClientCredentials credentials) {
        String context = credentials.user() + "@" + clusterName;
        return Kubeconfig.builder()
                .cluster(clusterName, c -> c.server(server).embedCertificateAuthority(caCert))
                .user(credentials.user(), u -> u.embedClientCertificate(credentials.cert(), credentials.key()))
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
}
