package io.polykube.pki;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;

/** Key algorithms for generated keys. ECDSA P-256 is the default: small and fast to generate. */
public enum KeyAlgorithm {
    ECDSA_P256("EC", 256),
    RSA_2048("RSA", 2048),
    RSA_3072("RSA", 3072),
    RSA_4096("RSA", 4096);

    private final String jcaName;
    private final int bits;

    KeyAlgorithm(String jcaName, int bits) {
        this.jcaName = jcaName;
        this.bits = bits;
    }

    /** Generates a new key pair of this algorithm. */
    public KeyPair generateKeyPair(SecureRandom random) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(jcaName);
            if (this == ECDSA_P256) {
                generator.initialize(new ECGenParameterSpec("secp256r1"), random);
            } else {
                generator.initialize(bits, random);
            }
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new PkiException("This JVM cannot generate " + this + " keys (" + e.getMessage()
                    + "); use a JDK with the SunEC and SunRsaSign providers", e);
        }
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
