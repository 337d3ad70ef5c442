package io.polykube.api.internal;

import io.polykube.api.layout.ClusterLayout;
import io.polykube.pki.CertificateSpec;
import io.polykube.pki.ClusterPki;
import io.polykube.pki.DamagedFiles;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;

/**
 * Serving certificates for the controller manager's and scheduler's secure ports, signed by the cluster CA so that their
 * health probes verify them (instead of the self-signed ones those components would make up).
 */
public record ServingCertificates(Path controllerManagerCert, Path controllerManagerKey, Path schedulerCert, Path schedulerKey) {

    /** Issues both, or reuses them when they are still signed by the current CA and not about to expire. */
    public static ServingCertificates ensure(ClusterLayout layout, ClusterPki pki, Duration validity, Duration renewBefore) {
        ServingCertificates out = new ServingCertificates(layout.servingCert("controller-manager"),
                layout.servingKey("controller-manager"), layout.servingCert("scheduler"), layout.servingKey("scheduler"));
        ensureOne(pki, "kube-controller-manager", out.controllerManagerCert, out.controllerManagerKey, validity, renewBefore);
        ensureOne(pki, "kube-scheduler", out.schedulerCert, out.schedulerKey, validity, renewBefore);
        return out;
    }

    private static void ensureOne(ClusterPki pki, String name, Path cert, Path key, Duration validity,
            Duration renewBefore) {
        // a damaged file (content that does not parse, a key of another certificate) is refused with its name and the fix
        Optional<X509Certificate> existing = DamagedFiles.intactPair(cert, key, DamagedFiles.leafFix(cert, key));
        if (existing.isPresent() && pki.ca().signed(existing.get()) && usable(existing.get(), renewBefore)) {
            return;
        }
        pki.ca().issue(CertificateSpec.builder(name).dnsNames("localhost").ipAddresses(InetAddress.getLoopbackAddress())
                .server().validity(validity).keyAlgorithm(pki.spec().keyAlgorithm()).build()).write(cert, key);
    }

    private static boolean usable(X509Certificate certificate, Duration renewBefore) {
        try {
            certificate.checkValidity(Date.from(Instant.now().plus(renewBefore)));
            return true;
        } catch (CertificateExpiredException | CertificateNotYetValidException e) {
            return false;
        }
    }
}
