package io.polykube.pki;

import java.nio.file.Path;
import java.util.List;

/**
 * A client identity and where its certificate and PKCS#8 key live: what a kubeconfig needs.
 *
 * @param user   the user name Kubernetes sees (certificate CN)
 * @param groups the groups Kubernetes sees (certificate O)
 * @param cert   the PEM certificate file
 * @param key    the PEM private key file (mode 0600)
 */
public record ClientCredentials(String user, List<String> groups, Path cert, Path key) {

    public ClientCredentials {
        groups = List.copyOf(groups);
    }
}
