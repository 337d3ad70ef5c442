package io.polykube.runtime.probe;


import io.polykube.runtime.ProcessException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS material for an HTTPS probe, as PEM files: the CA that must have signed the server
 * certificate, and optionally a client certificate with its PKCS#8 private key. There is no
 * trust-all option on purpose.
 *
 * @param caCertificate     PEM file with one or more CA certificates
 * @param clientCertificate PEM file with the client certificate (chain), if any
 * @param clientKey         PEM file with the client's PKCS#8 key ({@code BEGIN PRIVATE KEY}), if any
 */
public record TlsTrust(Path caCertificate, Optional<Path> clientCertificate, Optional<Path> clientKey) {

    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

    public TlsTrust {
        Objects.requireNonNull(caCertificate, "caCertificate");
        Objects.requireNonNull(clientCertificate, "clientCertificate");
        Objects.requireNonNull(clientKey, "clientKey");
        if (clientCertificate.isPresent() != clientKey.isPresent()) {
            throw new ProcessException("TlsTrust: a client certificate needs its key and vice versa (got certificate="
                    + clientCertificate.orElse(null) + ", key=" + clientKey.orElse(null) + ")");
        }
    }

    /** Verify the server against this CA; no client certificate. */
    public static TlsTrust ca(Path caCertificate) {
        return new TlsTrust(caCertificate, Optional.empty(), Optional.empty());
    }

    /** The same trust, presenting a client certificate and its PKCS#8 key. */
    public TlsTrust withClientCertificate(Path certificate, Path privateKey) {
        return new TlsTrust(caCertificate, Optional.of(certificate), Optional.of(privateKey));
    }

    /**
     * Builds an SSLContext from the PEM files.
     *
     * @throws ProcessException if a file is missing or not valid PEM
     */
    public SSLContext sslContext() {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            List<Certificate> cas = readCertificates(caCertificate, "CA certificate");
            for (int i = 0; i < cas.size(); i++) {
                trust.setCertificateEntry("ca-" + i, cas.get(i));
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);

            KeyManagerFactory kmf = null;
            if (clientCertificate.isPresent()) {
                List<Certificate> chain = readCertificates(clientCertificate.get(), "client certificate");
                PrivateKey key = readPrivateKey(clientKey.orElseThrow());
                KeyStore keys = KeyStore.getInstance("PKCS12");
                keys.load(null, null);
                char[] password = new char[0];
                keys.setKeyEntry("client", key, password, chain.toArray(new Certificate[0]));
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(keys, password);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new ProcessException("Cannot build TLS context from CA " + caCertificate
                    + clientCertificate.map(c -> ", client certificate " + c + ", key " + clientKey.orElseThrow()).orElse("")
                    + ": " + e.getMessage(), e);
        }
    }

    private static List<Certificate> readCertificates(Path file, String what) throws IOException, GeneralSecurityException {
        if (!Files.isReadable(file)) {
            throw new ProcessException("TlsTrust: " + what + " file " + file + " does not exist or is not readable");
        }
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        try (InputStream in = Files.newInputStream(file)) {
            Collection<? extends Certificate> certs = factory.generateCertificates(in);
            if (certs.isEmpty()) {
                throw new ProcessException("TlsTrust: " + what + " file " + file + " holds no PEM certificate");
            }
            return new ArrayList<>(certs);
        }
    }

    static PrivateKey readPrivateKey(Path file) throws IOException {
        if (!Files.isReadable(file)) {
            throw new ProcessException("TlsTrust: private key file " + file + " does not exist or is not readable");
        }
        String pem = Files.readString(file, StandardCharsets.US_ASCII);
        Matcher m = PEM.matcher(pem);
        while (m.find()) {
            if (m.group(1).equals("PRIVATE KEY")) {
                byte[] der = Base64.getMimeDecoder().decode(m.group(2).replaceAll("\\s", ""));
                PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
                for (String algorithm : List.of("RSA", "EC", "Ed25519", "Ed448")) {
                    try {
                        return KeyFactory.getInstance(algorithm).generatePrivate(spec);
                    } catch (GeneralSecurityException ignored) {
                        // try the next algorithm
                    }
                }
                throw new ProcessException("TlsTrust: " + file + " holds a PKCS#8 key of an unsupported algorithm (RSA, EC, Ed25519 work)");
            }
            if (m.group(1).endsWith("PRIVATE KEY")) {
                throw new ProcessException("TlsTrust: " + file + " holds a '" + m.group(1)
                        + "' key; write keys as PKCS#8 ('BEGIN PRIVATE KEY'), e.g. openssl pkcs8 -topk8 -nocrypt");
            }
        }
        throw new ProcessException("TlsTrust: " + file + " holds no '-----BEGIN PRIVATE KEY-----' block");
    }
}
