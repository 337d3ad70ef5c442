package io.polykube.pki;

import java.nio.file.Files;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;

/** Decides whether a certificate and key found on disk may be reused. */
final class StoredCertificates {

    private StoredCertificates() {
    }

    /**
     * Why the pair at {@code files} cannot be reused, or empty if it is readable, signed by
     * {@code ca}, holds the key that belongs to it and does not expire within {@code renewBefore}.
     */
    static Optional<String> problem(PkiLayout.Files files, CertificateAuthority ca, Instant now, Duration renewBefore) {
        try {
            return problem(load(files), files, ca, now, renewBefore);
        } catch (PkiException e) {
            return Optional.of(e.getMessage());
        }
    }

    /** Like {@link #problem}, and the subject must also say CN=user, O=groups. */
    static Optional<String> userProblem(PkiLayout.Files files, UserSpec user, CertificateAuthority ca, Instant now,
                                        Duration renewBefore) {
        IssuedCertificate pair;
        try {
            pair = load(files);
        } catch (PkiException e) {
            return Optional.of(e.getMessage());
        }
        X509Certificate cert = pair.certificate();
        if (!user.name().equals(commonName(cert)) || !user.groups().equals(organizations(cert))) {
            return Optional.of(files.cert() + " is for " + cert.getSubjectX500Principal().getName()
                    + ", not CN=" + user.name() + " with groups " + user.groups());
        }
        return problem(pair, files, ca, now, renewBefore);
    }

    /** Why a CA certificate needs renewal, or empty. */
    static Optional<String> expiry(X509Certificate cert, Instant now, Duration renewBefore) {
        Instant notAfter = cert.getNotAfter().toInstant();
        if (!now.plus(renewBefore).isBefore(notAfter)) {
            return Optional.of(cert.getSubjectX500Principal().getName() + " expires at " + notAfter
                    + ", within renewBefore " + renewBefore);
        }
        return Optional.empty();
    }

    static String commonName(X509Certificate cert) {
        List<String> cns = values(cert, BCStyle.CN);
        return cns.isEmpty() ? null : cns.get(0);
    }

    static List<String> organizations(X509Certificate cert) {
        return values(cert, BCStyle.O);
    }

    private static Optional<String> problem(IssuedCertificate pair, PkiLayout.Files files, CertificateAuthority ca,
                                            Instant now, Duration renewBefore) {
        X509Certificate cert = pair.certificate();
        if (!issuedBy(cert, ca)) {
            return Optional.of(files.cert() + " is not signed by the current CA " + ca.name());
        }
        Optional<String> expiry = expiry(cert, now, renewBefore);
        if (expiry.isPresent()) {
            return Optional.of(files.cert() + ": " + expiry.get());
        }
        if (!KeyPairs.matches(cert.getPublicKey(), pair.privateKey())) {
            return Optional.of(files.key() + " does not belong to " + files.cert());
        }
        return Optional.empty();
    }

    /**
     * Whether {@code cert} names {@code ca} as issuer, by issuer DN and authority key identifier
     * (a CA replaced on disk has another key, hence another identifier). Only without identifiers
     * is the signature checked, which costs far more on reload.
     */
    private static boolean issuedBy(X509Certificate cert, CertificateAuthority ca) {
        if (!cert.getIssuerX500Principal().equals(ca.certificate().getSubjectX500Principal())) {
            return false;
        }
        byte[] aki = cert.getExtensionValue(Extension.authorityKeyIdentifier.getId());
        byte[] ski = ca.certificate().getExtensionValue(Extension.subjectKeyIdentifier.getId());
        if (aki == null || ski == null) {
            return ca.signed(cert);
        }
        byte[] akiKeyId = AuthorityKeyIdentifier.getInstance(ASN1OctetString.getInstance(aki).getOctets()).getKeyIdentifierOctets();
        byte[] skiKeyId = ASN1OctetString.getInstance(ASN1OctetString.getInstance(ski).getOctets()).getOctets();
        return akiKeyId != null ? Arrays.equals(akiKeyId, skiKeyId) : ca.signed(cert);
    }

    private static IssuedCertificate load(PkiLayout.Files files) {
        if (!Files.isRegularFile(files.cert()) || !Files.isRegularFile(files.key())) {
            throw new PkiException(files.cert() + " or " + files.key() + " is missing");
        }
        X509Certificate cert = Pem.readCertificate(files.cert());
        PrivateKey key = Pem.readPrivateKey(files.key());
        return new IssuedCertificate(cert, key);
    }

    private static List<String> values(X509Certificate cert, ASN1ObjectIdentifier type) {
        List<String> values = new ArrayList<>();
        for (RDN rdn : X500Name.getInstance(cert.getSubjectX500Principal().getEncoded()).getRDNs(type)) {
            values.add(((ASN1String) rdn.getFirst().getValue()).getString());
        }
        return values;
    }
}
