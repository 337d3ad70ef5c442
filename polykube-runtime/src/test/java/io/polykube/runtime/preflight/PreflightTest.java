package io.polykube.runtime.preflight;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PreflightTest {

    @Test
    void detectsHybridCgroupLayout() {
        String mounts = """
                tmpfs /sys/fs/cgroup tmpfs rw,relatime,mode=755 0 0
                cgroup /sys/fs/cgroup/cpu cgroup rw,relatime,cpu 0 0
                cgroup /sys/fs/cgroup/memory cgroup rw,relatime,memory 0 0
                cgroup /sys/fs/cgroup/systemd cgroup rw,relatime,name=systemd 0 0
                cgroup2 /sys/fs/cgroup/unified cgroup2 rw,relatime 0 0
                """;
        CgroupLayout layout = CgroupLayout.parse(mounts, p -> "hugetlb");

        assertThat(layout.version()).isEqualTo(CgroupLayout.Version.HYBRID);
        assertThat(layout.isV1()).isTrue();
        assertThat(layout.v1Controllers()).containsExactly("cpu", "memory");
        assertThat(layout.unifiedMount()).contains(Path.of("/sys/fs/cgroup/unified"));
        assertThat(layout.describe()).contains("cgroup v1 hybrid").contains("holding only [hugetlb]");
    }

    @Test
    void detectsUnifiedCgroupV2() {
        CgroupLayout layout = CgroupLayout.parse("cgroup2 /sys/fs/cgroup cgroup2 rw,nosuid 0 0\n", p -> "cpu memory pids");
        assertThat(layout.version()).isEqualTo(CgroupLayout.Version.V2);
        assertThat(layout.unifiedControllers()).containsExactly("cpu", "memory", "pids");
    }

    @Test
    void parsesSwapsAndUid() {
        assertThat(HostInfo.activeSwaps("Filename\tType\tSize\tUsed\tPriority\n")).isEmpty();
        assertThat(HostInfo.activeSwaps("Filename Type Size Used Priority\n/swapfile file 1024 0 -2\n"))
                .containsExactly("/swapfile");
        assertThat(HostInfo.parseEffectiveUid("Name:\tx\nUid:\t1000\t0\t0\t0\n")).isZero();
    }

    @Test
    void reportsEveryProblemAtOnce() {
        PreflightReport report = Preflight.of(
                PreflightCheck.of("a", () -> CheckResult.ok("a", "fine")),
                PreflightCheck.of("b", () -> CheckResult.failed("b", "b is broken", "fix b")),
                PreflightCheck.of("c", () -> { throw new IllegalStateException("boom"); }),
                PreflightCheck.executables(Path.of("/nonexistent/kubelet"))).run();

        assertThat(report.passed()).isFalse();
        assertThat(report.problems()).extracting(CheckResult::check).containsExactly("b", "c", "binaries");
        assertThatThrownBy(report::throwIfFailed)
                .isInstanceOf(PreflightException.class)
                .hasMessageContaining("found 3 problem(s)")
                .hasMessageContaining("b: b is broken\n    fix: fix b")
                .hasMessageContaining("/nonexistent/kubelet does not exist")
                .satisfies(e -> assertThat(((PreflightException) e).problems()).hasSize(3));
    }

    @Test
    void passingReportDoesNotThrow() {
        PreflightReport report = Preflight.of(List.of(PreflightCheck.executables(Path.of("/bin/sh")))).run();
        assertThat(report.throwIfFailed().passed()).isTrue();
    }
}
