package io.polykube.api.internal.run;

import io.polykube.api.internal.webhook.WebhookInstaller;
import io.polykube.api.spec.WebhookManifests;

/**
 * Registers the spec's webhooks once the manifests are applied and waits until the API server calls them; before the
 * snapshot, so a reset keeps them.
 */
final class InstallWebhooks implements StartStep {

    @Override
    public void run(Start start) {
        if (start.spec.webhooks().isEmpty()) {
            return;
        }
        WebhookInstaller installer = start.run.webhookInstaller();
        String caBundle = start.run.webhookCertificate().caBundle();
        for (WebhookManifests webhooks : start.spec.webhooks()) {
            installer.install(webhooks, caBundle, start.deadline());
        }
    }
}
