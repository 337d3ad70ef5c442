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

    void reset();

    List<String> nodeNames();

    void stopNode(String name);

    void startNode(String name);

    boolean nodeRunning(String name);

    void stop();

    Path adminKubeconfig();

    Path userKubeconfig(String user, String... groups);

    ClientCredentials credentials(String user, String... groups);

    KubernetesClient client();

    KubernetesClient userClient(String user, String... groups);

    Images images();

    WebhookCertificate webhookCertificate(List<String> serviceHostNames);

    default WebhookCertificate webhookCertificate() {
        return webhookCertificate(List.of());
    }

    WebhookInstaller webhookInstaller();

    long deadlineFromNow();

    Faults faults();

    Optional<Faults> startedFaults();

    URI apiServerUrl();

    List<ComponentStatus> status();

    ClusterRecord record();
}
