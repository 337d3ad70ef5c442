package io.polykube.api.internal.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AdmissionMetricsTest {

    @Test
    void countsTheCallsAndIgnoredFailuresOfOneWebhookAcrossItsLabels() {
        String metrics = """
                # HELP apiserver_admission_webhook_admission_duration_seconds [STABLE] Admission webhook latency
                # TYPE apiserver_admission_webhook_admission_duration_seconds histogram
                apiserver_admission_webhook_admission_duration_seconds_bucket{name="a.example.com",operation="CREATE",rejected="false",type="validating",le="0.005"} 2
                apiserver_admission_webhook_admission_duration_seconds_count{name="a.example.com",operation="CREATE",rejected="false",type="validating"} 2
                apiserver_admission_webhook_admission_duration_seconds_count{name="a.example.com",operation="UPDATE",rejected="true",type="validating"} 1
                apiserver_admission_webhook_admission_duration_seconds_count{name="a.example.com.v2",operation="CREATE",rejected="false",type="validating"} 7
                apiserver_admission_webhook_fail_open_count{name="a.example.com",type="validating"} 3
                """;
        AdmissionMetrics.Counts counts = AdmissionMetrics.parse(metrics, "a.example.com");
        assertThat(counts.calls()).isEqualTo(3);
        assertThat(counts.failedOpen()).isEqualTo(3);
        assertThat(AdmissionMetrics.parse(metrics, "nobody").calls()).isZero();
    }
}
