package io.polykube.api.internal;

import io.polykube.api.layout.ClusterLayout;
import io.polykube.api.webhook.WebhookCertificate;
import io.polykube.pki.CertificateSpec;
import io.polykube.pki.ClusterPki;
import io.polykube.pki.DamagedFiles;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Serving certificates for the controller manager's and scheduler's secure ports, signed by the cluster CA so that their
 * health probes verify them (instead of the self-signed ones those components would make up).
 */
public record ServingCertificates(Path controllerManagerCert, Path controllerManagerKey, Path schedulerCert, Path schedulerKey) {

    private static final InetAddress[] WEBHOOK_ADDRESSES = {address(new byte[] {127, 0, 0, 1}),
            address(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1})};

    /** Issues both, or reuses them when they are still signed by the current CA and not about to expire. */
    public static ServingCertificates ensure(ClusterLayout layout, ClusterPki pki, Duration validity, Duration renewBefore) {
        ServingCertificates out = new ServingCertificates(layout.servingCert("controller-manager"),
                layout.servingKey("controller-manager"), layout.servingCert("scheduler"), layout.servingKey("scheduler"));
        ensureOne(pki, "kube-controller-manager", out.controllerManagerCert, out.controllerManagerKey, validity, renewBefore);
        ensureOne(pki, "kube-scheduler", out.schedulerCert, out.schedulerKey, validity, renewBefore);
        return out;
    }

    /**
     * The serving certificate of webhook servers in the test JVM ({@code pki/webhook-serving.crt}): issued once, for
     * {@code localhost}, {@code 127.0.0.1} and {@code ::1}, and reused while the CA signs it and it is not about to expire.
     */
    public static WebhookCertificate ensureWebhook(ClusterLayout layout, ClusterPki pki, Duration validity,
            Duration renewBefore) {
        return ensureLocal(layout, pki, "webhook", validity, renewBefore);
    }

    /**
     * The serving certificate of the fault proxy ({@code pki/fault-proxy-serving.crt}), for {@code localhost},
     * {@code 127.0.0.1} and {@code ::1}; issued once and reused as the webhook one is.
     */
    public static WebhookCertificate ensureFaultProxy(ClusterLayout layout, ClusterPki pki, Duration validity,
            Duration renewBefore) {
        return ensureLocal(layout, pki, "fault-proxy", validity, renewBefore);
    }

    /** A serving certificate {@code pki/<name>-serving.crt} (CN {@code polykube-<name>}) for a local server in this JVM. */
    private static WebhookCertificate ensureLocal(ClusterLayout layout, ClusterPki pki, String name, Duration validity,
            Duration renewBefore) {
        Path cert = layout.servingCert(name);
        Path key = layout.servingKey(name);
        ensureOne(pki, "polykube-" + name, cert, key, validity, renewBefore, WEBHOOK_ADDRESSES, List.of("localhost"));
        return new WebhookCertificate(cert, key, pki.caCert(), List.of("localhost", "127.0.0.1", "::1"), WEBHOOK_ADDRESSES[0]);
    }

    /**
     * The serving certificate of webhook servers reached through Services ({@code pki/webhook-services-serving.crt}), valid
     * for {@code hostNames} ({@code <name>.<namespace>.svc}) and the node's address, where they listen. Reissued, for the
     * names it had and the new ones, when a name is missing.
     */
    public static WebhookCertificate ensureWebhookForServices(ClusterLayout layout, ClusterPki pki, Duration validity,
            Duration renewBefore, InetAddress nodeAddress, List<String> hostNames) {
        Path cert = layout.servingCert("webhook-services");
        Path key = layout.servingKey("webhook-services");
        Set<String> names = new TreeSet<>(hostNames);
        Optional<X509Certificate> existing = DamagedFiles.intactPair(cert, key, DamagedFiles.leafFix(cert, key));
        Set<String> had = existing.map(ServingCertificates::dnsNames).orElse(Set.of());
        boolean complete = had.containsAll(names) && existing.map(c -> ipAddresses(c).contains(nodeAddress.getHostAddress()))
                .orElse(false);
        if (!complete) {
            names.addAll(had);
            deleteQuietly(cert);
        }
        ensureOne(pki, "polykube-webhook", cert, key, validity, renewBefore, new InetAddress[] {nodeAddress},
                List.copyOf(names));
        List<String> all = new ArrayList<>(names);
        all.add(nodeAddress.getHostAddress());
        return new WebhookCertificate(cert, key, pki.caCert(), all, nodeAddress);
    }

    private static void ensureOne(ClusterPki pki, String name, Path cert, Path key, Duration validity,
            Duration renewBefore) {
        ensureOne(pki, name, cert, key, validity, renewBefore, new InetAddress[] {InetAddress.getLoopbackAddress()},
                List.of("localhost"));
    }

    private static void ensureOne(ClusterPki pki, String name, Path cert, Path key, Duration validity,
            Duration renewBefore, InetAddress[] addresses, List<String> dnsNames) {
        // a damaged file (content that does not parse, a key of another certificate) is refused with its name and the fix
        Optional<X509Certificate> existing = DamagedFiles.intactPair(cert, key, DamagedFiles.leafFix(cert, key));
        if (existing.isPresent() && pki.ca().signed(existing.get()) && usable(existing.get(), renewBefore)) {
            return;
        }
        pki.ca().issue(CertificateSpec.builder(name).dnsNames(dnsNames.toArray(String[]::new)).ipAddresses(addresses)
                .server().validity(validity).keyAlgorithm(pki.spec().keyAlgorithm()).build()).write(cert, key);
    }

    private static Set<String> dnsNames(X509Certificate certificate) {
        return subjectAltNames(certificate, 2);
    }

    private static Set<String> ipAddresses(X509Certificate certificate) {
        return subjectAltNames(certificate, 7);
    }

    private static Set<String> subjectAltNames(X509Certificate certificate, int type) {
        Set<String> out = new TreeSet<>();
        try {
            Collection<List<?>> sans = certificate.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    if (((Integer) san.get(0)) == type) {
                        out.add(String.valueOf(san.get(1)));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            return Set.of();
        }
        return out;
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new IllegalStateException("cannot replace the webhook certificate " + file + ": " + e.getMessage(), e);
        }
    }

    private static boolean usable(X509Certificate certificate, Duration renewBefore) {
        try {
            certificate.checkValidity(Date.from(Instant.now().plus(renewBefore)));
            return true;
        } catch (CertificateExpiredException | CertificateNotYetValidException e) {
            return false;
        }
    }

    private static InetAddress address(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
