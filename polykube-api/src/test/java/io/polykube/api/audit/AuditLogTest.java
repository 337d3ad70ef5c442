package io.polykube.api.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.polykube.api.error.PolykubeException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditLogTest {
    @TempDir
    Path dir;

    private Path log() {
        return dir.resolve("audit.log");
    }

    private void append(Path file, String... lines) throws IOException {
        Files.writeString(file, String.join("", List.of(lines)), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    @Test
    void parsesEveryFieldOfAnEvent() throws Exception {
        append(log(), AuditLines.line(7, "alice", List.of("devs", "system:authenticated"), "create", "configmaps", "", "demo",
                "c7", 201));
        AuditEvent e = AuditLog.of(log()).events().get(0);
        assertThat(e.auditId()).isEqualTo("id-7");
        assertThat(e.stage()).isEqualTo("ResponseComplete");
        assertThat(e.level()).isEqualTo("Metadata");
        assertThat(e.verb()).isEqualTo("create");
        assertThat(e.user()).isEqualTo("alice");
        assertThat(e.groups()).containsExactly("devs", "system:authenticated");
        assertThat(e.resource()).isEqualTo("configmaps");
        assertThat(e.subresource()).isEmpty();
        assertThat(e.namespace()).isEqualTo("demo");
        assertThat(e.name()).isEqualTo("c7");
        assertThat(e.apiVersion()).isEqualTo("v1");
        assertThat(e.responseCode()).isEqualTo(201);
        assertThat(e.requestUri()).isEqualTo("/api/v1/namespaces/demo/configmaps");
        assertThat(e.requestReceived()).isEqualTo(Instant.parse("2026-12-02T17:00:00.000007Z"));
        assertThat(e.stageTimestamp()).isAfter(e.requestReceived());
        assertThat(e.isWrite()).isTrue();
        assertThat(e.toString()).isEqualTo("ResponseComplete alice create configmaps in demo c7 -> 201");
    }

    @Test
    void readsOnlyWhatWasWrittenAfterTheMark() throws Exception {
        append(log(), AuditLines.line(1, "bob", List.of(), "get", "pods", "", "a", "p", 200));
        AuditLog audit = AuditLog.of(log());
        AuditMark mark = audit.mark();
        append(log(), AuditLines.line(2, "alice", List.of(), "create", "pods", "", "a", "p", 201));
        assertThat(audit.events(mark)).extracting(AuditEvent::auditId).containsExactly("id-2");
        assertThat(audit.since(mark).events()).extracting(AuditEvent::auditId).containsExactly("id-2");
        assertThat(audit.events()).hasSize(2);
    }

    @Test
    void aMarkOnALogThatDoesNotExistYetSeesEverything() throws Exception {
        AuditLog audit = AuditLog.of(log());
        AuditMark mark = audit.mark();
        assertThat(mark.fileKey()).isEmpty();
        assertThat(audit.events(mark)).isEmpty();
        append(log(), AuditLines.line(1, "bob", List.of(), "get", "pods", "", "a", "p", 200));
        assertThat(audit.events(mark)).hasSize(1);
    }

    @Test
    void filtersByUserVerbResourceNamespaceAndStage() throws Exception {
        append(log(),
                AuditLines.line(1, "alice", List.of(), "create", "configmaps", "", "a", "c", 201),
                AuditLines.line(2, "alice", List.of(), "update", "pods", "status", "a", "p", 200),
                AuditLines.line(3, "bob", List.of(), "list", "secrets", "", "", "", 200),
                AuditLines.line(4, "alice", List.of(), "delete", "configmaps", "", "b", "c", 200));
        AuditLog audit = AuditLog.of(log());
        assertThat(ids(audit.events(AuditQuery.all().user("alice")))).containsExactly("id-1", "id-2", "id-4");
        assertThat(ids(audit.events(AuditQuery.all().writes()))).containsExactly("id-1", "id-2", "id-4");
        assertThat(ids(audit.events(AuditQuery.all().verbs("list").resource("secrets")))).containsExactly("id-3");
        assertThat(ids(audit.events(AuditQuery.all().resource("pods/status")))).containsExactly("id-2");
        assertThat(ids(audit.events(AuditQuery.all().resource("pods")))).isEmpty();
        assertThat(ids(audit.events(AuditQuery.all().namespace("a").resource("configmaps")))).containsExactly("id-1");
        assertThat(ids(audit.inNamespace("b").events())).containsExactly("id-4");
        assertThat(ids(audit.inNamespace("a").filtered(AuditQuery.all().verbs("update")).events())).containsExactly("id-2");
        assertThat(ids(audit.events(AuditQuery.all().stage("ResponseStarted")))).isEmpty();
    }

    @Test
    void followsTheRotatedFiles() throws Exception {
        append(log(), AuditLines.line(1, "a", List.of(), "get", "pods", "", "n", "p", 200));
        AuditLog audit = AuditLog.of(log());
        AuditMark mark = audit.mark();
        append(log(), AuditLines.line(2, "a", List.of(), "create", "pods", "", "n", "p", 201));
        // lumberjack renames the full file and starts a new one, twice
        Files.move(log(), dir.resolve("audit-2026-12-02T17-00-00.000.log"));
        append(log(), AuditLines.line(3, "a", List.of(), "update", "pods", "", "n", "p", 200));
        Files.move(log(), dir.resolve("audit-2026-12-02T17-00-01.000.log"));
        append(log(), AuditLines.line(4, "a", List.of(), "delete", "pods", "", "n", "p", 200));
        assertThat(ids(audit.events(mark))).containsExactly("id-2", "id-3", "id-4");
        AuditMark later = audit.mark();
        append(log(), AuditLines.line(5, "a", List.of(), "get", "pods", "", "n", "p", 200));
        assertThat(ids(audit.events(later))).containsExactly("id-5");
    }

    @Test
    void aLineStillBeingWrittenIsLeftForLater() throws Exception {
        String full = AuditLines.line(1, "a", List.of(), "get", "pods", "", "n", "p", 200);
        String next = AuditLines.line(2, "a", List.of(), "get", "pods", "", "n", "p", 200);
        append(log(), full, next.substring(0, 40));
        AuditLog audit = AuditLog.of(log());
        assertThat(ids(audit.events())).containsExactly("id-1");
        append(log(), next.substring(40));
        assertThat(ids(audit.events())).containsExactly("id-1", "id-2");
    }

    @Test
    void aLineThatIsNoEventIsAClearError() throws Exception {
        append(log(), "this is not json\n");
        assertThatThrownBy(() -> AuditLog.of(log()).events()).isInstanceOf(PolykubeException.class)
                .hasMessageContaining(log().toString()).hasMessageContaining("not an audit event");
    }

    @Test
    void awaitReturnsAsSoonAsEnoughEventsMatchAndOtherwiseSaysWhatItFound() throws Exception {
        append(log(), AuditLines.line(1, "alice", List.of(), "create", "pods", "", "n", "p", 201));
        AuditLog audit = AuditLog.of(log());
        assertThat(audit.await(AuditQuery.all().user("alice"), 1, Duration.ofSeconds(5))).hasSize(1);
        assertThatThrownBy(() -> audit.await(AuditQuery.all().user("bob"), 1, Duration.ofMillis(100)))
                .isInstanceOf(PolykubeException.class).hasMessageContaining("user=bob").hasMessageContaining("found 0");
    }

    @Test
    void readingOneTestsEventsFromA100000LineLogReadsOnlyTheTail() throws Exception {
        AuditLines.write(log(), 100_000);
        AuditLog audit = AuditLog.of(log());
        AuditMark mark = audit.mark();
        for (int i = 0; i < 200; i++) {
            append(log(), AuditLines.line(1_000_000 + i, "operator", List.of(), i % 2 == 0 ? "update" : "get", "configmaps", "",
                    "t", "c" + i, 200));
        }
        List<AuditEvent> events = audit.events(mark, AuditQuery.all().user("operator").writes());
        assertThat(events).hasSize(100).allMatch(e -> e.verb().equals("update"));
        assertThat(audit.events()).hasSize(100_200);
    }

    private static List<String> ids(List<AuditEvent> events) {
        return events.stream().map(AuditEvent::auditId).toList();
    }
}
