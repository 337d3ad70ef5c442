package io.polykube.api.internal.run;

import io.polykube.api.internal.ServingCertificates;
import io.polykube.api.layout.ClusterLayout;
import io.polykube.api.spec.ClusterSpec;
import io.polykube.api.spec.Mode;
import io.polykube.api.webhook.WebhookCertificate;
import io.polykube.net.ClusterNetwork;
import io.polykube.pki.ClusterPki;
import io.polykube.pki.ClusterPkiSpec;
import java.util.List;

/**
 * Makes the cluster's network from the spec (once; every later step takes it from here), loads the cluster's PKI from
 * its directory or issues it, and the controller manager's and scheduler's serving certificates (renewed when about to
 * expire).
 */
final class IssuePki implements StartStep {

    @Override
    public void run(Start start) {
        ClusterSpec spec = start.spec;
        start.network = spec.network();
        start.pki = issue(spec, start.network, start.layout);
        start.serving = ServingCertificates.ensure(start.layout, start.pki, spec.pki().validity(), spec.pki().renewBefore());
        start.pkiAt = System.nanoTime();
    }

    /**
     * The webhook serving certificate of a cluster not started yet: takes the directory (as a start would), loads or
     * issues the PKI a start will load, and the certificate.
     */
    static WebhookCertificate webhookCertificateBeforeStart(ClusterSpec spec, ClusterLayout layout,
            List<String> serviceHostNames) {
        try (DirectoryLock lock = DirectoryLock.acquire(layout)) {
            layout.create();
            return webhookCertificate(spec, layout, issue(spec, spec.network(), layout), serviceHostNames);
        }
    }

    /** The webhook serving certificate: for local URLs, or for the given service host names and the node's address. */
    static WebhookCertificate webhookCertificate(ClusterSpec spec, ClusterLayout layout, ClusterPki pki,
            List<String> serviceHostNames) {
        if (serviceHostNames.isEmpty()) {
            return ServingCertificates.ensureWebhook(layout, pki, spec.pki().validity(), spec.pki().renewBefore());
        }
        return ServingCertificates.ensureWebhookForServices(layout, pki, spec.pki().validity(), spec.pki().renewBefore(),
                spec.network().nodeNetworkGateway(), serviceHostNames);
    }

    /** The PKI of a cluster another process started from {@code spec} in {@code layout} (loaded; renewed if about to expire). */
    static ClusterPki load(ClusterSpec spec, ClusterLayout layout) {
        return issue(spec, spec.network(), layout);
    }

    private static ClusterPki issue(ClusterSpec spec, ClusterNetwork network, ClusterLayout layout) {
        ClusterPkiSpec.Builder pkiBuilder = ClusterPkiSpec.builder();
        if (spec.mode() == Mode.FULL) {
            // the API server's address on the bridge, and the first node's InternalIP (kubelet refuses a loopback node IP),
            // a SAN of kubelet's certificate
            pkiBuilder.advertiseAddresses(network.nodeNetworkGateway(), network.nodeAddress(0));
        }
        ClusterPkiSpec pkiSpec = pkiBuilder
                .clusterName(spec.name())
                .nodeName(spec.node().name())
                .serviceCidr(network.serviceCidr())
                .clusterDomain(network.clusterDomain())
                .extraSans(spec.pki().extraSans())
                .validity(spec.pki().validity())
                .renewBefore(spec.pki().renewBefore())
                .keyAlgorithm(spec.pki().keyAlgorithm())
                .build();
        return ClusterPki.loadOrCreate(layout.pki(), pkiSpec);
    }
}
