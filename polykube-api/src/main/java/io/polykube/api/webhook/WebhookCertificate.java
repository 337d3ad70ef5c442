package io.polykube.api.webhook;

import io.polykube.pki.Pem;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * The serving certificate of a webhook server that runs in the test JVM, signed by the cluster CA for the names the API
 * server calls it by ({@code 127.0.0.1}, {@code localhost}, {@code ::1}; or the services' names for webhooks installed
 * through their Services), and the {@link #address()} the server listens on. In the forms Java servers take:
 * <ul>
 *   <li>PEM files: {@link #certificate()} and {@link #privateKey()} (Spring Boot: {@code server.ssl.certificate} and
 *       {@code server.ssl.certificate-private-key}; Netty's {@code SslContextBuilder.forServer(cert, key)});</li>
 *   <li>a {@link #keyStore(char[])} (Jetty, Vert.x, Tomcat), or a PKCS#12 file from {@link #writeKeyStore(Path, char[])};</li>
 *   <li>an {@link #sslContext()} (the JDK's {@code HttpsServer}: {@code new HttpsConfigurator(certificate.sslContext())}).</li>
 * </ul>
 *
 * @param certificate   the server certificate (PEM)
 * @param privateKey    its private key (PEM, PKCS#8)
 * @param caCertificate the cluster CA that signed it: what the API server trusts ({@link #caBundle()})
 * @param names         the DNS names and IP addresses it is valid for
 * @param address       where a server with this certificate listens, for the API server to reach it: {@code 127.0.0.1},
 *                      or the node's address for webhooks called through their Services
 *                      ({@code HttpsServer.create(new InetSocketAddress(certificate.address(), 0), 0)})
 */
public record WebhookCertificate(Path certificate, Path privateKey, Path caCertificate, List<String> names,
        InetAddress address) {
    /** The alias of the key entry in {@link #keyStore(char[])}. */
    public static final String KEY_ALIAS = "webhook";

    public WebhookCertificate {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(caCertificate, "caCertificate");
        Objects.requireNonNull(address, "address");
        names = List.copyOf(names);
    }

    /** The CA certificate, base64-encoded PEM: the {@code caBundle} of a webhook's {@code clientConfig}. */
    public String caBundle() {
        try {
            return Base64.getEncoder().encodeToString(Files.readAllBytes(caCertificate));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the cluster CA " + caCertificate + ": " + e.getMessage(), e);
        }
    }

    /** A PKCS#12 key store with the key and its chain (certificate, CA) under {@link #KEY_ALIAS}. */
    public KeyStore keyStore(char[] password) {
        Objects.requireNonNull(password, "password");
        try {
            PrivateKey key = Pem.readPrivateKey(privateKey);
            X509Certificate cert = Pem.readCertificate(certificate);
            X509Certificate ca = Pem.readCertificate(caCertificate);
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(KEY_ALIAS, key, password, new Certificate[] {cert, ca});
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build a key store from " + certificate + " and " + privateKey + ": "
                    + e.getMessage(), e);
        }
    }

    /** Writes {@link #keyStore(char[])} as a PKCS#12 file (owner-only permissions) and returns {@code file}. */
    public Path writeKeyStore(Path file, char[] password) {
        KeyStore store = keyStore(password);
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, password);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot write the key store " + file + ": " + e.getMessage(), e);
        }
        try {
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        } catch (IOException | UnsupportedOperationException e) {
            throw new IllegalStateException("cannot make the key store " + file + " owner-only: " + e.getMessage(), e);
        }
        return file;
    }

    /** A TLS server context presenting this certificate (TLS 1.2 and 1.3, as the API server speaks). */
    public SSLContext sslContext() {
        char[] password = "polykube".toCharArray(); // in memory only
        try {
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(keyStore(password), password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, new SecureRandom());
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build a TLS context from " + certificate + ": " + e.getMessage(), e);
        }
    }
}
