package io.polykube.pki;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cert.CertException;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECKeyParameters;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.ContentVerifierProvider;
import org.bouncycastle.operator.DefaultDigestAlgorithmIdentifierFinder;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.bc.BcECContentSignerBuilder;
import org.bouncycastle.operator.bc.BcECContentVerifierProviderBuilder;
import org.bouncycastle.operator.bc.BcRSAContentSignerBuilder;
import org.bouncycastle.operator.bc.BcRSAContentVerifierProviderBuilder;

/**
 * Signs and verifies certificates with BouncyCastle's lightweight API (no JCA provider to
 * register): on P-256 it is several times faster than the JDK's SunEC, which is what keeps
 * issuing and reloading a cluster PKI fast.
 */
final class Signatures {

    private Signatures() {
    }

    /** A content signer for an EC (SHA256withECDSA) or RSA (SHA256withRSA) key. */
    static ContentSigner signer(PrivateKey key, SecureRandom random) {
        try {
            AsymmetricKeyParameter param = PrivateKeyFactory.createKey(key.getEncoded());
            AlgorithmIdentifier sigAlg = new DefaultSignatureAlgorithmIdentifierFinder()
                    .find(KeyAlgorithm.signatureAlgorithm(key));
            AlgorithmIdentifier digestAlg = new DefaultDigestAlgorithmIdentifierFinder().find(sigAlg);
            if (param instanceof ECKeyParameters) {
                return new BcECContentSignerBuilder(sigAlg, digestAlg).setSecureRandom(random).build(param);
            }
            return new BcRSAContentSignerBuilder(sigAlg, digestAlg).setSecureRandom(random).build(param);
        } catch (IOException | OperatorCreationException e) {
            throw new PkiException("Cannot sign with this " + key.getAlgorithm() + " key: " + e.getMessage(), e);
        }
    }

    /** True if {@code cert} carries a valid signature made with the key of {@code issuerKey}. */
    static boolean verifies(X509Certificate cert, PublicKey issuerKey) {
        try {
            AsymmetricKeyParameter param = PublicKeyFactory.createKey(issuerKey.getEncoded());
            ContentVerifierProvider verifier;
            if (param instanceof ECKeyParameters) {
                verifier = new BcECContentVerifierProviderBuilder(new DefaultDigestAlgorithmIdentifierFinder()).build(param);
            } else if (param instanceof RSAKeyParameters) {
                verifier = new BcRSAContentVerifierProviderBuilder(new DefaultDigestAlgorithmIdentifierFinder()).build(param);
            } else {
                cert.verify(issuerKey);
                return true;
            }
            return new X509CertificateHolder(cert.getEncoded()).isSignatureValid(verifier);
        } catch (IOException | GeneralSecurityException | OperatorCreationException | CertException
                 | RuntimeException e) {
            return false;
        }
    }
}
