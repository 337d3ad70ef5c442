package io.polykube.pki;

import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Objects;

/** A certificate and its private key, as issued by a {@link CertificateAuthority}. Immutable. */
public final class IssuedCertificate {

    private final X509Certificate certificate;
    private final PrivateKey privateKey;

    public IssuedCertificate(X509Certificate certificate, PrivateKey privateKey) {
        this.certificate = Objects.requireNonNull(certificate, "certificate");
        this.privateKey = Objects.requireNonNull(privateKey, "privateKey");
    }

    public X509Certificate certificate() {
        return certificate;
    }

    public PrivateKey privateKey() {
        return privateKey;
    }

    public String certificatePem() {
        return Pem.certificate(certificate);
    }

    /** The private key as PKCS#8 PEM. */
    public String privateKeyPem() {
        return Pem.privateKey(privateKey);
    }

    /**
     * Writes the key (mode 0600) and then the certificate (mode 0644), each atomically, creating
     * parent directories as needed.
     */
    public void write(Path certFile, Path keyFile) {
        write(certFile, keyFile, true);
    }

    /** See {@link SecureFiles#write(Path, String, java.util.Set, boolean)} for {@code durable}. */
    void write(Path certFile, Path keyFile, boolean durable) {
        SecureFiles.write(keyFile, privateKeyPem(), SecureFiles.PRIVATE, durable);
        SecureFiles.write(certFile, certificatePem(), SecureFiles.PUBLIC, durable);
    }

    @Override
    public String toString() {
        return "IssuedCertificate[" + certificate.getSubjectX500Principal().getName() + "]";
    }
}
