package io.polykube.runtime.preflight;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs the checks against this host. */
class PreflightIT {

    @Test
    void inspectsThisHostAndReportsTheCgroupLayout() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            PreflightReport report = Preflight.of(
                    PreflightCheck.root("kubelet needs root"),
                    PreflightCheck.executables(Path.of("/bin/busybox"), Path.of("/nonexistent/etcd")),
                    PreflightCheck.portsFree(busy.getLocalPort()),
                    PreflightCheck.ipForward(),
                    PreflightCheck.bridgeNetfilter(),
                    PreflightCheck.swapOff(),
                    PreflightCheck.cgroupLayout(),
                    PreflightCheck.freeDisk(Path.of("target"), 1L << 20)).run();
            System.out.println(report);

            assertThat(report.results()).hasSize(8);
            assertThat(report.problems()).extracting(CheckResult::check).contains("binaries", "ports");
            CheckResult cgroups = report.results().get(6);
            assertThat(cgroups.check()).isEqualTo("cgroups");
            if (Files.isDirectory(Path.of("/sys/fs/cgroup/unified")) && Files.isDirectory(Path.of("/sys/fs/cgroup/memory"))) {
                assertThat(cgroups.message()).contains("cgroup v1 hybrid").contains("/sys/fs/cgroup/unified");
            }
            CheckResult ipForward = report.results().get(3);
            String value = Files.readString(Path.of("/proc/sys/net/ipv4/ip_forward")).trim();
            assertThat(ipForward.failed()).isEqualTo(!value.equals("1"));
            if (ipForward.failed()) {
                assertThat(ipForward.fix()).contains("Sysctl.enableIpForward()");
            }
            assertThat(report.results().get(7).message()).contains("MiB free");
        }
    }
}
