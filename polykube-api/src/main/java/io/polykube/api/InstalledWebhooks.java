package io.polykube.api;

import io.polykube.api.internal.webhook.WebhookInstaller;
import io.polykube.api.spec.WebhookManifests.Target;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Webhooks registered by {@link Webhooks#install}: what was registered, how long until the API server called them, and
 * {@link #close()} to remove them (new objects deleted, changed ones put back). Closing after a {@code reset()}, which
 * already removed them, is harmless.
 */
public final class InstalledWebhooks implements AutoCloseable {
    private final WebhookInstaller.Installed installed;
    private final WebhookInstaller installer;
    private boolean closed;

    InstalledWebhooks(WebhookInstaller.Installed installed, WebhookInstaller installer) {
        this.installed = installed;
        this.installer = installer;
    }

    /** Each registered webhook and the URL the API server calls. */
    public List<Target> targets() {
        return installed.targets();
    }

    /** From the start of {@code install} until the API server had called every probed webhook. */
    public Duration readyIn() {
        return installed.readyIn();
    }

    /**
     * The webhooks {@code install} could not send a probe through (by name), and why: their servers passed the TLS check,
     * but no request proved the API server calls them (conversion webhooks; rules or selectors no probe object meets).
     */
    public Map<String, String> notProbed() {
        return installed.unproven();
    }

    /** Removes the webhooks again. Idempotent. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            installer.remove(installed.objects());
        }
    }

    @Override
    public String toString() {
        return "InstalledWebhooks" + installed.targets().stream().map(Target::webhook).toList();
    }
}
