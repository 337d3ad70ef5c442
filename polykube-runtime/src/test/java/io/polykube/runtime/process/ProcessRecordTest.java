package io.polykube.runtime.process;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ProcessRecordTest {
    private final ProcessRecord record = new ProcessRecord("etcd", 4242, 987654, List.of("/usr/bin/etcd", "--name", "x"),
            Instant.parse("2026-01-02T03:04:05Z"), Duration.ofSeconds(3), 17);

    @Test
    void matchesOnlyWhenPidStartTimeAndCommandLineAllMatch() {
        assertThat(ProcessRecord.match(record, Optional.empty())).isEqualTo(ProcessRecord.Match.GONE);
        assertThat(ProcessRecord.match(record, Optional.of(new ProcFs.Identity(4242, 987654, record.commandLine()))))
                .isEqualTo(ProcessRecord.Match.SAME);
        assertThat(ProcessRecord.match(record, Optional.of(new ProcFs.Identity(4242, 987655, record.commandLine()))))
                .isEqualTo(ProcessRecord.Match.REUSED);
        assertThat(ProcessRecord.match(record, Optional.of(new ProcFs.Identity(4242, 987654, List.of("/usr/bin/etcd")))))
                .isEqualTo(ProcessRecord.Match.REUSED);
    }

    @Test
    void aWrapperThatExecdItsCommandIsTheSameProcess() {
        ProcessRecord wrapped = new ProcessRecord("kubelet.worker-1", 4242, 987654,
                List.of("/usr/bin/nsenter", "--net=/run/netns/w1", "--", "/bin/kubelet", "--v=2"), Instant.parse("2026-01-02T03:04:05Z"),
                Duration.ofSeconds(3), 17);
        assertThat(ProcessRecord.match(wrapped, Optional.of(new ProcFs.Identity(4242, 987654, List.of("/bin/kubelet", "--v=2")))))
                .isEqualTo(ProcessRecord.Match.SAME);
        assertThat(ProcessRecord.match(wrapped, Optional.of(new ProcFs.Identity(4242, 987654, List.of("--v=2")))))
                .isEqualTo(ProcessRecord.Match.REUSED);
        assertThat(ProcessRecord.match(wrapped, Optional.of(new ProcFs.Identity(4242, 987655, List.of("/bin/kubelet", "--v=2")))))
                .isEqualTo(ProcessRecord.Match.REUSED);
    }

    @Test
    void roundTripsThroughJson() throws Exception {
        assertThat(ProcessRecord.fromJson(record.toJson())).isEqualTo(record);
    }

    @Test
    void parsesStartTicksEvenWithSpacesAndParenthesesInComm() {
        String stat = "1234 (my (weird) proc) S 1 1234 1234 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 555666 1000 50";
        assertThat(ProcFs.startTicks(stat)).isEqualTo(555666);
    }

    @Test
    void splitsCmdlineOnNul() {
        byte[] raw = "/bin/sh\0-c\0echo a b\0".getBytes(StandardCharsets.UTF_8);
        assertThat(ProcFs.parseCmdline(raw)).containsExactly("/bin/sh", "-c", "echo a b");
    }

    @Test
    void readsTheCurrentProcessFromProc() {
        long pid = ProcessHandle.current().pid();
        ProcFs.Identity me = ProcFs.read(pid).orElseThrow();
        assertThat(me.startTicks()).isPositive();
        assertThat(me.commandLine().get(0)).contains("java");
        assertThat(ProcFs.read(Long.MAX_VALUE)).isEmpty();
    }
}
