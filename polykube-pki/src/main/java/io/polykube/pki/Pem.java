package io.polykube.pki;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * PEM encoding and decoding of certificates and keys. Private keys are written as PKCS#8
 * ({@code BEGIN PRIVATE KEY}), which the JDK's KeyFactory reads; reading also accepts PKCS#1
 * ({@code BEGIN RSA PRIVATE KEY}) and SEC1 ({@code BEGIN EC PRIVATE KEY}). Files are written
 * atomically, keys with mode 0600, certificates and public keys with 0644.
 */
public final class Pem {

    private static final Base64.Encoder BASE64 = Base64.getMimeEncoder(64, new byte[] {'\n'});

    private Pem() {
    }

    /** One certificate as PEM. */
    public static String certificate(X509Certificate certificate) {
        try {
            return block("CERTIFICATE", certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new PkiException("Cannot encode certificate " + certificate.getSubjectX500Principal(), e);
        }
    }

    /** A private key as PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----}). */
    public static String privateKey(PrivateKey key) {
        if (!"PKCS#8".equals(key.getFormat())) {
            throw new PkiException("Private key of format " + key.getFormat() + " cannot be written as PKCS#8");
        }
        return block("PRIVATE KEY", key.getEncoded());
    }

    /**
     * A private key as clients read it from a kubeconfig: an EC key as SEC1 ({@code -----BEGIN EC PRIVATE KEY-----}, with
     * its named curve), any other key as PKCS#8. The fabric8 client reads a PKCS#8 key as RSA unless told otherwise, and
     * knows an EC key only by that SEC1 header; kubectl and client-go read both forms.
     */
    public static String privateKeyForClients(PrivateKey key) {
        if (!"EC".equals(key.getAlgorithm())) {
            return privateKey(key);
        }
        try {
            PrivateKeyInfo info = PrivateKeyInfo.getInstance(key.getEncoded());
            ECPrivateKey sec1 = ECPrivateKey.getInstance(info.parsePrivateKey());
            ASN1Primitive curve = info.getPrivateKeyAlgorithm().getParameters().toASN1Primitive();
            int orderBits = ((java.security.interfaces.ECPrivateKey) key).getParams().getOrder().bitLength();
            ECPrivateKey withCurve = sec1.getPublicKey() == null
                    ? new ECPrivateKey(orderBits, sec1.getKey(), curve)
                    : new ECPrivateKey(orderBits, sec1.getKey(), sec1.getPublicKey(), curve);
            return block("EC PRIVATE KEY", withCurve.getEncoded(ASN1Encoding.DER));
        } catch (IOException | RuntimeException e) {
            throw new PkiException("Cannot encode the EC private key as SEC1: " + e.getMessage(), e);
        }
    }

    /** A public key as PEM ({@code -----BEGIN PUBLIC KEY-----}, X.509 SubjectPublicKeyInfo). */
    public static String publicKey(PublicKey key) {
        return block("PUBLIC KEY", key.getEncoded());
    }

    /** Parses the first certificate of a PEM text. */
    public static X509Certificate parseCertificate(String pem) {
        return parseCertificate(pem, "certificate PEM");
    }

    /** Parses all certificates of a PEM text (a chain or bundle), at least one. */
    public static List<X509Certificate> parseCertificates(String pem) {
        return parseCertificates(pem, "certificate PEM");
    }

    /** Parses a private key: PKCS#8, PKCS#1 (RSA) or SEC1 (EC). Encrypted keys are refused. */
    public static PrivateKey parsePrivateKey(String pem) {
        return parsePrivateKey(pem, "private key PEM");
    }

    /** Parses a public key ({@code -----BEGIN PUBLIC KEY-----}). */
    public static PublicKey parsePublicKey(String pem) {
        return parsePublicKey(pem, "public key PEM");
    }

    public static X509Certificate readCertificate(Path file) {
        return parseCertificate(SecureFiles.read(file), file.toAbsolutePath().toString());
    }

    public static List<X509Certificate> readCertificates(Path file) {
        return parseCertificates(SecureFiles.read(file), file.toAbsolutePath().toString());
    }

    public static PrivateKey readPrivateKey(Path file) {
        return parsePrivateKey(SecureFiles.read(file), file.toAbsolutePath().toString());
    }

    public static PublicKey readPublicKey(Path file) {
        return parsePublicKey(SecureFiles.read(file), file.toAbsolutePath().toString());
    }

    /** Writes a certificate atomically with mode 0644. */
    public static void writeCertificate(Path file, X509Certificate certificate) {
        SecureFiles.write(file, certificate(certificate), SecureFiles.PUBLIC);
    }

    /** Writes a private key as PKCS#8 atomically with mode 0600. */
    public static void writePrivateKey(Path file, PrivateKey key) {
        SecureFiles.write(file, privateKey(key), SecureFiles.PRIVATE);
    }

    /** Writes a public key atomically with mode 0644. */
    public static void writePublicKey(Path file, PublicKey key) {
        SecureFiles.write(file, publicKey(key), SecureFiles.PUBLIC);
    }

    static X509Certificate parseCertificate(String pem, String source) {
        return parseCertificates(pem, source).get(0);
    }

    static List<X509Certificate> parseCertificates(String pem, String source) {
        if (pem == null || !pem.contains("-----BEGIN CERTIFICATE-----")) {
            throw new PkiException(source + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        }
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            List<X509Certificate> result = new ArrayList<>();
            for (var c : factory.generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
                result.add((X509Certificate) c);
            }
            if (result.isEmpty()) {
                throw new PkiException(source + " holds no PEM certificate");
            }
            return result;
        } catch (CertificateException e) {
            throw new PkiException(source + " is not a valid PEM certificate: " + e.getMessage(), e);
        }
    }

    static PrivateKey parsePrivateKey(String pem, String source) {
        Object object = readObject(pem, source);
        try {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (object instanceof PrivateKeyInfo) {
                return converter.getPrivateKey((PrivateKeyInfo) object);
            }
            if (object instanceof PEMKeyPair) {
                return converter.getKeyPair((PEMKeyPair) object).getPrivate();
            }
        } catch (IOException e) {
            throw new PkiException(source + " holds a private key this JVM cannot read: " + e.getMessage(), e);
        }
        if (object instanceof PEMEncryptedKeyPair || object instanceof PKCS8EncryptedPrivateKeyInfo) {
            throw new PkiException(source + " holds an encrypted private key: decrypt it first, for example "
                    + "with 'openssl pkey -in KEY -out KEY.plain'");
        }
        throw new PkiException(source + " holds no private key (expected -----BEGIN PRIVATE KEY-----)");
    }

    static PublicKey parsePublicKey(String pem, String source) {
        Object object = readObject(pem, source);
        if (!(object instanceof SubjectPublicKeyInfo)) {
            throw new PkiException(source + " holds no public key (expected -----BEGIN PUBLIC KEY-----)");
        }
        try {
            return new JcaPEMKeyConverter().getPublicKey((SubjectPublicKeyInfo) object);
        } catch (IOException e) {
            throw new PkiException(source + " holds a public key this JVM cannot read: " + e.getMessage(), e);
        }
    }

    private static Object readObject(String pem, String source) {
        try (PEMParser parser = new PEMParser(new StringReader(pem == null ? "" : pem))) {
            Object object = parser.readObject();
            if (object == null) {
                throw new PkiException(source + " holds no PEM block");
            }
            return object;
        } catch (IOException | RuntimeException e) {
            if (e instanceof PkiException) {
                throw (PkiException) e;
            }
            throw new PkiException(source + " is not valid PEM: " + e.getMessage(), e);
        }
    }

    private static String block(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + BASE64.encodeToString(der) + "\n-----END " + type + "-----\n";
    }
}
