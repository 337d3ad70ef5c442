package io.polykube.api.internal.run;

import io.polykube.api.internal.webhook.WebhookInstaller;
import io.polykube.api.spec.WebhookManifests;
import io.polykube.pki.ClusterPki;

/**
 * Before any process starts: the server of each webhook the spec registers listens and presents a certificate of the
 * cluster CA (as {@code cluster.webhooks().certificate()} issues before start), so a missing server fails here.
 */
final class CheckWebhookServers implements StartStep {

    @Override
    public void run(Start start) {
        for (WebhookManifests webhooks : start.spec.webhooks()) {
            WebhookInstaller.checkServers(webhooks, ClusterPki.caCertIn(start.layout.pki()), start.spec.name());
        }
    }
}
