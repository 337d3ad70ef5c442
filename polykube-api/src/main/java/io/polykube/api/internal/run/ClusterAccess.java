package io.polykube.api.internal.run;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.polykube.api.error.PolykubeException;
import io.polykube.api.faults.Faults;
import io.polykube.api.internal.Kubeconfigs;
import io.polykube.api.internal.ServingCertificates;
import io.polykube.api.internal.faults.ClusterFaults;
import io.polykube.api.internal.faults.FaultProxy;
import io.polykube.api.internal.webhook.WebhookInstaller;
import io.polykube.api.layout.ClusterLayout;
import io.polykube.api.spec.ClusterSpec;
import io.polykube.api.spec.Mode;
import io.polykube.api.webhook.WebhookCertificate;
import io.polykube.pki.ClientCredentials;
import io.polykube.pki.ClusterPki;
import io.polykube.pki.PkiException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What a process needs to use a running cluster, whoever runs it: its PKI, kubeconfigs, the admin client, users'
 * credentials and clients, the webhook serving certificates and the fault proxy (which runs in the using process).
 */
public final class ClusterAccess {
    private final ClusterSpec spec;
    private final ClusterLayout layout;
    private final Supplier<ClusterPki> pkiSource;
    private ClusterPki pki;
    private final Kubeconfigs kubeconfigs;
    private final URI apiServerUrl;
    private final Path adminKubeconfig;
    private KubernetesClient client;
    private ClusterFaults faults;

    ClusterAccess(ClusterSpec spec, ClusterLayout layout, ClusterPki pki, Kubeconfigs kubeconfigs, URI apiServerUrl,
            Path adminKubeconfig) {
        this(spec, layout, () -> pki, kubeconfigs, apiServerUrl, adminKubeconfig);
    }

    private ClusterAccess(ClusterSpec spec, ClusterLayout layout, Supplier<ClusterPki> pki, Kubeconfigs kubeconfigs,
            URI apiServerUrl, Path adminKubeconfig) {
        this.spec = spec;
        this.layout = layout;
        this.pkiSource = pki;
        this.kubeconfigs = kubeconfigs;
        this.apiServerUrl = apiServerUrl;
        this.adminKubeconfig = adminKubeconfig;
    }

    /**
     * Access to the cluster of {@code spec} that another process runs at {@code apiServerUrl}; its PKI is loaded from its
     * directory when first needed (the admin client needs only the admin kubeconfig).
     */
    static ClusterAccess ofRunning(ClusterSpec spec, ClusterLayout layout, URI apiServerUrl) {
        return new ClusterAccess(spec, layout, () -> IssuePki.load(spec, layout), new Kubeconfigs(layout, spec.name(),
                apiServerUrl, ClusterPki.caCertIn(layout.pki())), apiServerUrl, layout.adminKubeconfig());
    }

    synchronized ClusterPki pki() {
        if (pki == null) {
            pki = pkiSource.get();
        }
        return pki;
    }

    public URI apiServerUrl() {
        return apiServerUrl;
    }

    public Path adminKubeconfig() {
        return adminKubeconfig;
    }

    public synchronized KubernetesClient client() {
        if (client == null) {
            client = Kubeconfigs.client(adminKubeconfig);
        }
        return client;
    }

    /** The fault proxy and its rules, started on first use; stopped by {@link #close()}. */
    public synchronized Faults faults() {
        if (faults == null) {
            ClusterPki pki = pki();
            WebhookCertificate serving = ServingCertificates.ensureFaultProxy(layout, pki, spec.pki().validity(),
                    spec.pki().renewBefore());
            faults = ClusterFaults.start(new FaultProxy.Settings(serving.certificate(), serving.privateKey(), pki.caCert(),
                    pki.frontProxyClientCert(), pki.frontProxyClientKey(), apiServerUrl), layout, spec.name(), pki.admin(),
                    this::credentials);
        }
        return faults;
    }

    /** The fault proxy if {@link #faults()} started it. */
    public synchronized Optional<Faults> startedFaults() {
        return Optional.ofNullable(faults);
    }

    /** A new client for {@code user} (issued on first use); the caller closes it. */
    public KubernetesClient userClient(String user, String... groups) {
        ClientCredentials credentials = credentials(user, groups);
        return Kubeconfigs.client(kubeconfigs.writeUser(credentials), credentials);
    }

    public ClientCredentials credentials(String user, String... groups) {
        try {
            return pki().issueUser(user, groups);
        } catch (PkiException e) {
            throw new PolykubeException("cannot issue a certificate for user '" + user + "': " + e.getMessage(), e);
        }
    }

    public Path userKubeconfig(String user, String... groups) {
        return kubeconfigs.writeUser(credentials(user, groups));
    }

    /**
     * The serving certificate for webhook servers in this JVM: for local URLs, or (mode {@code FULL}) for the given
     * service host names and the node's address.
     */
    public WebhookCertificate webhookCertificate(List<String> serviceHostNames) {
        return IssuePki.webhookCertificate(spec, layout, pki(), serviceHostNames);
    }

    /** Registers webhooks with the cluster's API server. */
    public WebhookInstaller webhookInstaller() {
        Optional<InetAddress> nodeAddress = spec.mode() == Mode.FULL ? Optional.of(spec.network().nodeNetworkGateway()) : Optional.empty();
        return new WebhookInstaller(client(), spec.name(), ClusterPki.caCertIn(layout.pki()), nodeAddress);
    }

    /** Stops the fault proxy and closes the admin client (users' clients are their callers'). */
    public void close() {
        KubernetesClient c;
        ClusterFaults f;
        synchronized (this) {
            c = client;
            client = null;
            f = faults;
            faults = null;
        }
        if (f != null) {
            f.close();
        }
        if (c != null) {
            c.close();
        }
    }
}
