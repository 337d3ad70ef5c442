package io.polykube.pki;

import java.net.InetAddress;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/** Reads what a certificate says, for assertions. */
final class TestCerts {

    static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

    private TestCerts() {
    }

    static List<String> dnsSans(X509Certificate cert) {
        return sans(cert, 2);
    }

    static List<String> ipSans(X509Certificate cert) {
        List<String> ips = new ArrayList<>();
        for (String ip : sans(cert, 7)) {
            ips.add(HostNames.parseIp(ip).map(InetAddress::getHostAddress).orElse(ip));
        }
        return ips;
    }

    static InetAddress ip(String literal) {
        return HostNames.parseIp(literal).orElseThrow();
    }

    static String hostAddress(String literal) {
        return ip(literal).getHostAddress();
    }

    private static List<String> sans(X509Certificate cert, int type) {
        List<String> result = new ArrayList<>();
        try {
            Collection<List<?>> sans = cert.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    if ((Integer) san.get(0) == type) {
                        result.add((String) san.get(1));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            throw new AssertionError(e);
        }
        return result;
    }

    static List<String> extendedKeyUsages(X509Certificate cert) {
        try {
            return cert.getExtendedKeyUsage();
        } catch (CertificateParsingException e) {
            throw new AssertionError(e);
        }
    }

    /** Validates the chain leaf -> ca with the JDK's PKIX validator (no revocation). */
    static void validateChain(X509Certificate leaf, X509Certificate ca) throws Exception {
        PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(ca, null)));
        params.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(
                CertificateFactory.getInstance("X.509").generateCertPath(List.of(leaf)), params);
    }
}
