package io.polykube.api.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.polykube.api.Cluster;
import io.polykube.api.error.PolykubeException;
import io.polykube.api.spec.ClusterSpec;
import io.polykube.api.spec.Mode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The API server's audit log read through {@link AuditLog} on a running control plane. */
class AuditLogIT {
    @TempDir
    static Path dir;
    static Cluster cluster;

    @BeforeAll
    static void start() {
        cluster = Cluster.builder().name("audit-it").directory(dir).mode(Mode.CONTROL_PLANE).etcd(e -> e.unsafeNoFsync(true))
                .build().start();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aUserMadeByTheClusterAppearsUnderItsNameWithItsGroupsAndTheResult() {
        AuditLog audit = cluster.audit();
        AuditMark mark = audit.mark();
        try (KubernetesClient alice = cluster.client("alice", "system:masters")) {
            alice.configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata().withName("from-alice")
                    .endMetadata().addToData("k", "v").build()).create();
        }
        List<AuditEvent> events = audit.since(mark).await(AuditQuery.all().user("alice").verbs("create"), 1, Duration.ofSeconds(10));
        AuditEvent create = events.get(0);
        assertThat(create.groups()).contains("system:masters", "system:authenticated");
        assertThat(create.resource()).isEqualTo("configmaps");
        assertThat(create.namespace()).isEqualTo("default");
        assertThat(create.name()).isEqualTo("from-alice");
        assertThat(create.responseCode()).isEqualTo(201);
        assertThat(create.stage()).isEqualTo("ResponseComplete");
        assertThat(create.stageTimestamp()).isAfterOrEqualTo(create.requestReceived());
    }

    @Test
    void aForbiddenRequestIsRecordedWithItsCode() {
        AuditLog audit = cluster.audit().since(cluster.audit().mark());
        try (KubernetesClient bob = cluster.client("bob")) {
            assertThatThrownBy(() -> bob.secrets().inAnyNamespace().list()).isInstanceOf(Exception.class);
        }
        AuditEvent list = audit.await(AuditQuery.all().user("bob").verbs("list").resource("secrets"), 1, Duration.ofSeconds(10))
                .get(0);
        assertThat(list.responseCode()).isEqualTo(403);
        assertThat(list.namespace()).isEmpty();
    }

    @Test
    void theDefaultPolicyLeavesOutTheComponentsNoiseAndHealthChecks() throws Exception {
        AuditLog audit = cluster.audit();
        AuditMark mark = audit.mark();
        // the admin client's create is recorded; let the components work for a while meanwhile
        cluster.client().configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata().withName("marker")
                .endMetadata().build()).create();
        audit.since(mark).await(AuditQuery.all().verbs("create").resource("configmaps"), 1, Duration.ofSeconds(10));
        List<AuditEvent> events = audit.events(mark);
        assertThat(events).noneMatch(e -> e.resource().equals("leases"))
                .noneMatch(e -> e.requestUri().startsWith("/readyz") || e.requestUri().startsWith("/healthz"))
                .noneMatch(e -> e.user().equals("system:apiserver"))
                .noneMatch(e -> e.stage().equals("RequestReceived"));
    }

    @Test
    void theLogIsUnderTheClusterLogs() {
        assertThat(cluster.audit().file()).isEqualTo(dir.resolve("logs/audit.log")).isRegularFile();
    }

    @Test
    void aClusterWithAuditOffHasNoAuditLogToRead() {
        Cluster off = Cluster.of(ClusterSpec.builder().name("audit-off").directory(dir.resolve("off")).mode(Mode.CONTROL_PLANE)
                .apiServer(a -> a.audit(false)).build());
        assertThatThrownBy(off::audit).isInstanceOf(PolykubeException.class).hasMessageContaining("audit(false)");
    }
}
