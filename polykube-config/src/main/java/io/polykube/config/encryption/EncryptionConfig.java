package io.polykube.config.encryption;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.polykube.config.ConfigException;
import io.polykube.config.internal.ConfigFiles;
import io.polykube.config.internal.Mappers;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;

/**
 * An {@code EncryptionConfiguration} ({@code apiserver.config.k8s.io/v1}) for kube-apiserver's
 * {@code --encryption-provider-config}: the listed resources are written with the {@code secretbox} provider (XSalsa20 +
 * Poly1305: authenticated, fast, no key rotation needed after a number of writes, unlike {@code aesgcm}, and without the
 * padding-oracle weakness of {@code aescbc}); {@code identity} comes last so data written before encryption was on stays
 * readable. The rendered file holds the key: it is written 0600.
 */
public final class EncryptionConfig {
    private static final Pattern RESOURCE = Pattern.compile("[a-z0-9]+(\\.[a-z0-9.-]+)?|\\*\\.[a-z0-9.-]*|\\*\\.\\*");

    private final List<String> resources;
    private final String keyName;
    private final String keyBase64;

    private EncryptionConfig(List<String> resources, String keyName, String keyBase64) {
        this.resources = resources;
        this.keyName = keyName;
        this.keyBase64 = keyBase64;
    }

    public static Builder builder() {
        return new Builder();
    }

    public List<String> resources() {
        return resources;
    }

    public String keyName() {
        return keyName;
    }

    /** The prefix the API server puts before every value it encrypts with this configuration. */
    public String storedPrefix() {
        return "k8s:enc:secretbox:v1:" + keyName + ":";
    }

    /** The configuration as YAML (it holds the key). */
    public String render() {
        ObjectNode root = Mappers.object();
        root.put("apiVersion", "apiserver.config.k8s.io/v1");
        root.put("kind", "EncryptionConfiguration");
        ObjectNode entry = root.putArray("resources").addObject();
        ArrayNode names = entry.putArray("resources");
        resources.forEach(names::add);
        ArrayNode providers = entry.putArray("providers");
        ObjectNode key = providers.addObject().putObject("secretbox").putArray("keys").addObject();
        key.put("name", keyName);
        key.put("secret", keyBase64);
        providers.addObject().putObject("identity");
        return Mappers.yaml(root);
    }

    /** Writes {@link #render()} to {@code file} (0600, atomic). */
    public Path writeTo(Path file) {
        return ConfigFiles.writeAtomically(file, render(), ConfigFiles.PRIVATE);
    }

    /** Builds an {@link EncryptionConfig}; a key is required, resources default to {@code secrets}. */
    public static final class Builder {
        private final List<String> resources = new ArrayList<>();
        private String keyName = "polykube-1";
        private String keyBase64;

        private Builder() {
        }

        /** A resource to encrypt, e.g. {@code secrets} or {@code configmaps}. */
        public Builder resource(String resource) {
            if (resource == null || !RESOURCE.matcher(resource).matches()) {
                throw new ConfigException("encryption resources", "'" + resource + "' is not a resource name such as "
                        + "secrets, configmaps or widgets.example.com");
            }
            if (!resources.contains(resource)) {
                resources.add(resource);
            }
            return this;
        }

        /** The secretbox key: base64 of 32 bytes, named {@code name}. */
        public Builder key(String name, String base64) {
            this.keyName = name;
            this.keyBase64 = base64;
            return this;
        }

        public EncryptionConfig build() {
            if (keyName == null || !keyName.matches("[a-z0-9][a-z0-9-]*")) {
                throw new ConfigException("encryption key name", "'" + keyName + "' must be lower case letters, digits and '-'");
            }
            byte[] key;
            try {
                key = Base64.getDecoder().decode(keyBase64 == null ? "" : keyBase64);
            } catch (IllegalArgumentException e) {
                throw new ConfigException("encryption key", "is not base64: pass base64 of 32 random bytes", e);
            }
            if (key.length != 32) {
                throw new ConfigException("encryption key", "holds " + key.length + " bytes: secretbox needs 32");
            }
            List<String> list = resources.isEmpty() ? List.of("secrets") : List.copyOf(resources);
            return new EncryptionConfig(list, keyName, keyBase64);
        }
    }
}
