package io.polykube.api.internal.webhook;

import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * The API server's own count of the calls to one admission webhook, from its {@code /metrics}: how a probe knows the
 * webhook was really called (an allowed request looks the same whether the webhook ran or not).
 */
final class AdmissionMetrics {
    static final String CALLS = "apiserver_admission_webhook_admission_duration_seconds_count";
    static final String FAILED_OPEN = "apiserver_admission_webhook_fail_open_count";

    private final KubernetesClient client;

    AdmissionMetrics(KubernetesClient client) {
        this.client = client;
    }

    /** The calls and the ignored failures of {@code webhook} so far. */
    Counts of(String webhook) {
        String text = client.raw("/metrics");
        return text == null ? new Counts(0, 0) : parse(text, webhook);
    }

    static Counts parse(String metrics, String webhook) {
        String label = "name=\"" + webhook + "\"";
        double calls = 0;
        double failedOpen = 0;
        for (String line : metrics.split("\n")) {
            if (line.startsWith("#") || !line.contains(label)) {
                continue;
            }
            if (line.startsWith(CALLS + "{")) {
                calls += value(line);
            } else if (line.startsWith(FAILED_OPEN + "{")) {
                failedOpen += value(line);
            }
        }
        return new Counts((long) calls, (long) failedOpen);
    }

    private static double value(String line) {
        String[] parts = line.substring(line.lastIndexOf('}') + 1).trim().split("\\s+");
        try {
            return Double.parseDouble(parts[0]);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Calls made to a webhook, and those that failed but were let through ({@code failurePolicy: Ignore}). */
    record Counts(long calls, long failedOpen) {
    }
}
