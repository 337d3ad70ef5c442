package io.polykube.api.internal.run;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.polykube.api.faults.Faults;
import io.polykube.api.images.Images;
import io.polykube.api.internal.webhook.WebhookInstaller;
import io.polykube.api.status.ClusterRecord;
import io.polykube.api.status.ComponentStatus;
import io.polykube.api.webhook.WebhookCertificate;
import io.polykube.pki.ClientCredentials;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A running cluster as the facade uses it: one this process started ({@link ClusterRun}), or one another process owns and
 * this one attached to (a reused cluster). {@link #stop()} stops the first and detaches from the second.
 */
public interface RunningCluster {

    /** What this process uses the cluster through (PKI, kubeconfigs, clients, fault proxy, webhook certificates). */
    ClusterAccess access();

    void reset();

    List<String> nodeNames();

    void stopNode(String name);

    void startNode(String name);

    boolean nodeRunning(String name);

    void stop();

    default Path adminKubeconfig() {
        return access().adminKubeconfig();
    }

    default Path userKubeconfig(String user, String... groups) {
        return access().userKubeconfig(user, groups);
    }

    default ClientCredentials credentials(String user, String... groups) {
        return access().credentials(user, groups);
    }

    default KubernetesClient client() {
        return access().client();
    }

    default KubernetesClient userClient(String user, String... groups) {
        return access().userClient(user, groups);
    }

    Images images();

    default WebhookCertificate webhookCertificate(List<String> serviceHostNames) {
        return access().webhookCertificate(serviceHostNames);
    }

    default WebhookCertificate webhookCertificate() {
        return webhookCertificate(List.of());
    }

    default WebhookInstaller webhookInstaller() {
        return access().webhookInstaller();
    }

    long deadlineFromNow();

    Faults faults();

    default Optional<Faults> startedFaults() {
        return access().startedFaults();
    }

    default URI apiServerUrl() {
        return access().apiServerUrl();
    }

    List<ComponentStatus> status();

    ClusterRecord record();
}
