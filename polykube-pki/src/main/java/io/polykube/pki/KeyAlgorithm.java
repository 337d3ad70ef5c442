package io.polykube.pki;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.generators.ECKeyPairGenerator;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECKeyGenerationParameters;
import org.bouncycastle.crypto.params.ECNamedDomainParameters;
import org.bouncycastle.crypto.util.PrivateKeyInfoFactory;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;

/** Key algorithms for generated keys. ECDSA P-256 is the default: small and fast to generate. */
public enum KeyAlgorithm {
    ECDSA_P256("EC", 256),
    RSA_2048("RSA", 2048),
    RSA_3072("RSA", 3072),
    RSA_4096("RSA", 4096);

    private static final ECDomainParameters P256 = ECNamedDomainParameters.lookup(SECObjectIdentifiers.secp256r1);

    private final String jcaName;
    private final int bits;

    KeyAlgorithm(String jcaName, int bits) {
        this.jcaName = jcaName;
        this.bits = bits;
    }

    /**
     * Generates a new key pair of this algorithm as JDK keys. P-256 keys come from BouncyCastle's
     * lightweight generator (several times faster than SunEC), RSA keys from the JDK.
     */
    public KeyPair generateKeyPair(SecureRandom random) {
        try {
            if (this == ECDSA_P256) {
                return generateP256(random);
            }
            KeyPairGenerator generator = KeyPairGenerator.getInstance(jcaName);
            generator.initialize(bits, random);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException | IOException e) {
            throw new PkiException("This JVM cannot generate " + this + " keys (" + e.getMessage()
                    + "); use a JDK with the SunEC and SunRsaSign providers", e);
        }
    }

    private static KeyPair generateP256(SecureRandom random) throws GeneralSecurityException, IOException {
        ECKeyPairGenerator generator = new ECKeyPairGenerator();
        generator.init(new ECKeyGenerationParameters(P256, random));
        AsymmetricCipherKeyPair pair = generator.generateKeyPair();
        KeyFactory factory = KeyFactory.getInstance("EC");
        return new KeyPair(
                factory.generatePublic(new X509EncodedKeySpec(
                        SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(pair.getPublic()).getEncoded())),
                factory.generatePrivate(new PKCS8EncodedKeySpec(
                        PrivateKeyInfoFactory.createPrivateKeyInfo(pair.getPrivate()).getEncoded())));
    }

    /** The JCA signature algorithm used when signing with the given key. */
    static String signatureAlgorithm(PrivateKey signingKey) {
        switch (signingKey.getAlgorithm()) {
            case "EC":
            case "ECDSA":
                return "SHA256withECDSA";
            case "RSA":
                return "SHA256withRSA";
            default:
                throw new PkiException("Unsupported CA key algorithm " + signingKey.getAlgorithm()
                        + ": use an EC or RSA key for the certificate authority");
        }
    }
}
