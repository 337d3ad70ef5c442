package io.polykube.pki;

import java.io.IOException;
import java.security.PrivateKey;
import java.security.PublicKey;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.params.RSAPrivateCrtKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;

/** Checks that a private key belongs to a public key, without signing anything. */
final class KeyPairs {

    private KeyPairs() {
    }

    /** True if {@code privateKey} is the private half of {@code publicKey} (EC or RSA). */
    static boolean matches(PublicKey publicKey, PrivateKey privateKey) {
        try {
            AsymmetricKeyParameter pub = PublicKeyFactory.createKey(publicKey.getEncoded());
            AsymmetricKeyParameter priv = PrivateKeyFactory.createKey(privateKey.getEncoded());
            if (pub instanceof ECPublicKeyParameters && priv instanceof ECPrivateKeyParameters) {
                ECPublicKeyParameters ecPub = (ECPublicKeyParameters) pub;
                ECPrivateKeyParameters ecPriv = (ECPrivateKeyParameters) priv;
                return ecPub.getParameters().getCurve().equals(ecPriv.getParameters().getCurve())
                        && new FixedPointCombMultiplier()
                                .multiply(ecPriv.getParameters().getG(), ecPriv.getD())
                                .normalize()
                                .equals(ecPub.getQ().normalize());
            }
            if (pub instanceof RSAKeyParameters && priv instanceof RSAPrivateCrtKeyParameters) {
                RSAKeyParameters rsaPub = (RSAKeyParameters) pub;
                RSAPrivateCrtKeyParameters rsaPriv = (RSAPrivateCrtKeyParameters) priv;
                return rsaPub.getModulus().equals(rsaPriv.getModulus())
                        && rsaPub.getExponent().equals(rsaPriv.getPublicExponent());
            }
            return false;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
