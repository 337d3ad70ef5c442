package io.polykube.api.spec;

import java.util.List;

/**
 * Encryption at rest: whether kube-apiserver encrypts resources before they go to etcd, and which ones ({@code secrets}
 * always when on). The key is generated into the cluster's {@code pki/encryption.key} and kept across restarts.
 */
public record EncryptionOptions(boolean enabled, List<String> resources) {
    public EncryptionOptions {
        resources = List.copyOf(resources);
        if (!enabled && !resources.isEmpty()) {
            throw new IllegalArgumentException("apiServer encryption is off but resources " + resources + " are asked to be "
                    + "encrypted: drop encryptionAtRest(false) or the encrypt...() calls");
        }
    }
}
