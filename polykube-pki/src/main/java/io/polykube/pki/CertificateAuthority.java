package io.polykube.pki;

import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A certificate authority: a CA certificate and its private key. Generate a new one or load one
 * from PEM; {@link #issue(CertificateSpec)} signs leaf certificates with fresh keys. Immutable and
 * thread-safe.
 */
public final class CertificateAuthority {

    private static final Duration CA_BACKDATE = CertificateSpec.DEFAULT_BACKDATE;

    private final IssuedCertificate credentials;
    private final Clock clock;
    private final SecureRandom random;

    private CertificateAuthority(X509Certificate certificate, PrivateKey privateKey, Clock clock, SecureRandom random) {
        this.credentials = new IssuedCertificate(certificate, privateKey);
        this.clock = clock;
        this.random = random;
    }

    /** Generates a self-signed CA with subject {@code CN=name}, valid for {@code validity} from now. */
    public static CertificateAuthority generate(String name, Duration validity, KeyAlgorithm algorithm) {
        return generate(name, validity, algorithm, Clock.systemUTC());
    }

    static CertificateAuthority generate(String name, Duration validity, KeyAlgorithm algorithm, Clock clock) {
        if (name == null || name.isBlank()) {
            throw new PkiException("CA name must not be blank");
        }
        if (validity == null || validity.isNegative() || validity.isZero()) {
            throw new PkiException("CA validity must be positive, got " + validity);
        }
        Objects.requireNonNull(algorithm, "algorithm");
        SecureRandom random = new SecureRandom();
        KeyPair keyPair = algorithm.generateKeyPair(random);
        Instant now = clock.instant();
        X509Certificate cert = Certificates.selfSignedCa(name, keyPair.getPublic(), keyPair.getPrivate(),
                now.minus(CA_BACKDATE), now.plus(validity), random);
        return new CertificateAuthority(cert, keyPair.getPrivate(), clock, random);
    }

    /**
     * Loads a CA from PEM text. Fails if the certificate is not a CA certificate or the key does
     * not belong to it.
     */
    public static CertificateAuthority load(String certPem, String keyPem) {
        return load(Pem.parseCertificate(certPem, "CA certificate PEM"), Pem.parsePrivateKey(keyPem, "CA key PEM"),
                "CA certificate PEM", "CA key PEM", Clock.systemUTC());
    }

    /** Loads a CA from PEM files; see {@link #load(String, String)}. */
    public static CertificateAuthority load(Path certFile, Path keyFile) {
        return load(certFile, keyFile, Clock.systemUTC());
    }

    static CertificateAuthority load(Path certFile, Path keyFile, Clock clock) {
        return load(Pem.readCertificate(certFile), Pem.readPrivateKey(keyFile),
                certFile.toAbsolutePath().toString(), keyFile.toAbsolutePath().toString(), clock);
    }

    private static CertificateAuthority load(X509Certificate cert, PrivateKey key, String certSource,
                                             String keySource, Clock clock) {
        if (cert.getBasicConstraints() < 0) {
            throw new PkiException(certSource + " (" + cert.getSubjectX500Principal().getName()
                    + ") is not a CA certificate (basicConstraints CA:true is missing): give the CA's certificate");
        }
        boolean[] keyUsage = cert.getKeyUsage();
        if (keyUsage != null && !keyUsage[5]) {
            throw new PkiException(certSource + " may not sign certificates (keyCertSign is missing from its key usage)");
        }
        if (!KeyPairs.matches(cert.getPublicKey(), key)) {
            throw new PkiException("CA key " + keySource + " does not match CA certificate " + certSource
                    + ": give the key that belongs to this certificate (compare 'openssl x509 -noout -pubkey' "
                    + "with 'openssl pkey -pubout')");
        }
        KeyAlgorithm.signatureAlgorithm(key);
        return new CertificateAuthority(cert, key, clock, new SecureRandom());
    }

    /**
     * Issues a leaf certificate with a new key of {@code spec.keyAlgorithm()}. notBefore is now
     * minus the backdate; notAfter is now plus the validity, but never after the CA's own notAfter.
     */
    public IssuedCertificate issue(CertificateSpec spec) {
        Objects.requireNonNull(spec, "spec");
        KeyPair keyPair = spec.keyAlgorithm().generateKeyPair(random);
        Instant now = clock.instant();
        Instant notAfter = now.plus(spec.validity());
        Instant caNotAfter = certificate().getNotAfter().toInstant();
        if (notAfter.isAfter(caNotAfter)) {
            notAfter = caNotAfter;
        }
        if (!notAfter.isAfter(now)) {
            throw new PkiException("CA " + name() + " expired at " + caNotAfter + ": renew the CA before issuing");
        }
        X509Certificate cert = Certificates.leaf(spec, keyPair.getPublic(), certificate(), privateKey(),
                now.minus(spec.backdate()), notAfter, random);
        return new IssuedCertificate(cert, keyPair.getPrivate());
    }

    /** True if {@code certificate} carries a valid signature of this CA. */
    public boolean signed(X509Certificate certificate) {
        if (!certificate.getIssuerX500Principal().equals(certificate().getSubjectX500Principal())) {
            return false;
        }
        return Signatures.verifies(certificate, certificate().getPublicKey());
    }

    /** The subject of the CA certificate, for messages. */
    public String name() {
        return certificate().getSubjectX500Principal().getName();
    }

    public X509Certificate certificate() {
        return credentials.certificate();
    }

    public PrivateKey privateKey() {
        return credentials.privateKey();
    }

    public String certificatePem() {
        return credentials.certificatePem();
    }

    /** The CA key as PKCS#8 PEM. */
    public String privateKeyPem() {
        return credentials.privateKeyPem();
    }

    /** Writes the key (0600) and then the certificate (0644), each atomically. */
    public void write(Path certFile, Path keyFile) {
        credentials.write(certFile, keyFile);
    }

    @Override
    public String toString() {
        return "CertificateAuthority[" + name() + "]";
    }
}
