package io.polykube.pki;

import java.math.BigInteger;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;

/** Builds and signs X.509 v3 certificates with BouncyCastle, using the JDK's crypto providers. */
final class Certificates {

    private Certificates() {
    }

    /** A self-signed CA certificate: basicConstraints CA:true, keyCertSign and cRLSign. */
    static X509Certificate selfSignedCa(String commonName, PublicKey publicKey, PrivateKey privateKey,
                                        Instant notBefore, Instant notAfter, SecureRandom random) {
        X500Name name = subject(commonName, List.of());
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            SubjectKeyIdentifier ski = utils.createSubjectKeyIdentifier(publicKey);
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial(random),
                    Date.from(notBefore), Date.from(notAfter), name, publicKey)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true,
                            new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature))
                    .addExtension(Extension.subjectKeyIdentifier, false, ski)
                    .addExtension(Extension.authorityKeyIdentifier, false,
                            new AuthorityKeyIdentifier(ski.getKeyIdentifier()));
            return sign(builder, privateKey, random);
        } catch (GeneralSecurityException | CertIOException e) {
            throw new PkiException("Cannot build CA certificate CN=" + commonName + ": " + e.getMessage(), e);
        }
    }

    /** A leaf certificate for {@code spec}, signed by {@code ca}. */
    static X509Certificate leaf(CertificateSpec spec, PublicKey publicKey, X509Certificate caCert, PrivateKey caKey,
                                Instant notBefore, Instant notAfter, SecureRandom random) {
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            int keyUsage = KeyUsage.digitalSignature
                    | ("RSA".equals(publicKey.getAlgorithm()) ? KeyUsage.keyEncipherment : 0);
            List<KeyPurposeId> purposes = new ArrayList<>();
            if (spec.usage().server()) {
                purposes.add(KeyPurposeId.id_kp_serverAuth);
            }
            if (spec.usage().client()) {
                purposes.add(KeyPurposeId.id_kp_clientAuth);
            }
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(caCert, serial(random),
                    Date.from(notBefore), Date.from(notAfter), subject(spec.commonName(), spec.organizations()), publicKey)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage))
                    .addExtension(Extension.extendedKeyUsage, false,
                            new ExtendedKeyUsage(purposes.toArray(new KeyPurposeId[0])))
                    .addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(publicKey))
                    .addExtension(Extension.authorityKeyIdentifier, false, authorityKeyId(utils, caCert));
            GeneralNames sans = subjectAltNames(spec);
            if (sans != null) {
                builder.addExtension(Extension.subjectAlternativeName, false, sans);
            }
            return sign(builder, caKey, random);
        } catch (GeneralSecurityException | CertIOException e) {
            throw new PkiException("Cannot build certificate CN=" + spec.commonName() + ": " + e.getMessage(), e);
        }
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signingKey, SecureRandom random)
            throws GeneralSecurityException {
        return new JcaX509CertificateConverter().getCertificate(builder.build(Signatures.signer(signingKey, random)));
    }

    private static AuthorityKeyIdentifier authorityKeyId(JcaX509ExtensionUtils utils, X509Certificate caCert)
            throws CertIOException {
        byte[] ext = caCert.getExtensionValue(Extension.subjectKeyIdentifier.getId());
        if (ext == null) {
            return utils.createAuthorityKeyIdentifier(caCert.getPublicKey());
        }
        byte[] keyId = ASN1OctetString.getInstance(ASN1OctetString.getInstance(ext).getOctets()).getOctets();
        return new AuthorityKeyIdentifier(keyId);
    }

    private static GeneralNames subjectAltNames(CertificateSpec spec) {
        List<GeneralName> names = new ArrayList<>();
        for (String dns : spec.dnsNames()) {
            names.add(new GeneralName(GeneralName.dNSName, dns));
        }
        for (InetAddress ip : spec.ipAddresses()) {
            names.add(new GeneralName(GeneralName.iPAddress, new org.bouncycastle.asn1.DEROctetString(ip.getAddress())));
        }
        return names.isEmpty() ? null : new GeneralNames(names.toArray(new GeneralName[0]));
    }

    private static X500Name subject(String commonName, List<String> organizations) {
        X500NameBuilder name = new X500NameBuilder(BCStyle.INSTANCE);
        for (String o : organizations) {
            name.addRDN(BCStyle.O, o);
        }
        return name.addRDN(BCStyle.CN, commonName).build();
    }

    /** A positive 127-bit serial from a secure random source, never from the clock. */
    private static BigInteger serial(SecureRandom random) {
        return new BigInteger(127, random).add(BigInteger.ONE);
    }
}
