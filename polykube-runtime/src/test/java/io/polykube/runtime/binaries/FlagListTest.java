package io.polykube.runtime.binaries;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlagListTest {
    @TempDir
    Path tmp;

    private static String resource(String name) throws IOException {
        try (InputStream in = FlagListTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void readsKubernetesHelpWithShorthandsAndTypes() throws IOException {
        FlagList flags = FlagList.fromHelp(ClusterBinary.KUBE_SCHEDULER, Path.of("kube-scheduler"), resource("kube-scheduler-help.txt"));
        assertThat(flags.names()).contains("config", "bind-address", "tls-cipher-suites", "secure-port", "v", "vmodule", "help",
                "version", "log-flush-frequency", "permit-port-sharing");
        // words inside descriptions ("the --secure-port port", "--feature-gates 'wardle:..'") and the usage line are no flags
        assertThat(flags.names()).doesNotContain("kube-scheduler", "flags", "tls-private-key-file.");
        assertThat(flags.names()).hasSize(27);
        assertThat(flags.featureGates()).hasSize(10).contains("APIResponseCompression", "AllAlpha", "CPUManagerPolicyBetaOptions");
    }

    @Test
    void readsEtcdHelpAndSkipsItsUsageExamples() throws IOException {
        FlagList flags = FlagList.fromHelp(ClusterBinary.ETCD, Path.of("etcd"), resource("etcd-help.txt"));
        assertThat(flags.names()).contains("name", "data-dir", "heartbeat-interval", "election-timeout", "memory-mlock",
                "quota-backend-bytes", "max-request-bytes");
        // "  etcd --version" and "  etcd -h | --help" are usage lines, not flag lines
        assertThat(flags.names()).doesNotContain("version", "help", "config-file");
        assertThat(flags.featureGates()).containsExactly("AllAlpha", "AllBeta", "CompactHashCheck", "InitialCorruptCheck",
                "LeaseCheckpoint", "LeaseCheckpointPersist", "SetMemberLocalAddr", "StopGRPCServiceOnDefrag",
                "TxnModeWriteWithSharedBuffer");
        assertThat(flags.closestGate("InitialCorruptChek")).contains("InitialCorruptCheck");
    }

    @Test
    void suggestsTheClosestFlagForATypoOnly() throws IOException {
        FlagList flags = FlagList.fromHelp(ClusterBinary.KUBE_SCHEDULER, Path.of("kube-scheduler"), resource("kube-scheduler-help.txt"));
        assertThat(flags.closest("secure-prot")).contains("secure-port");
        assertThat(flags.closest("bind-adress")).contains("bind-address");
        assertThat(flags.closest("no-such-flag")).isEmpty();
        assertThat(flags.knows("secure-port")).isTrue();
        assertThat(flags.knows("secure-prot")).isFalse();
    }

    @Test
    void keepsTheListBesideACachedBinaryAndReadsItAgainWhenTheBinaryChanges() throws IOException {
        Path bin = tmp.resolve("kube-scheduler");
        Path help = tmp.resolve("help.txt");
        Files.writeString(help, resource("kube-scheduler-help.txt"));
        Path runs = tmp.resolve("runs");
        Files.writeString(bin, "#!/bin/sh\necho run >> " + runs + "\ncat " + help + "\n");
        Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwxr-xr-x"));
        ResolvedBinary resolved = new ResolvedBinary(ClusterBinary.KUBE_SCHEDULER, bin, "1.34.4", Source.CACHE);

        FlagList first = FlagList.of(resolved);
        FlagList second = FlagList.of(resolved);

        assertThat(first.cached()).isFalse();
        assertThat(second.cached()).isTrue();
        assertThat(second.names()).isEqualTo(first.names());
        assertThat(second.featureGates()).isEqualTo(first.featureGates()).isNotEmpty();
        assertThat(Files.readAllLines(runs)).hasSize(1);
        assertThat(FlagList.cacheFile(bin)).exists();

        Files.writeString(bin, Files.readString(bin) + "# rebuilt\n"); // a new binary: the list is read again
        assertThat(FlagList.of(resolved).cached()).isFalse();
        assertThat(Files.readAllLines(runs)).hasSize(2);
    }

    @Test
    void writesNothingBesideABinaryOutsideTheCache() throws IOException {
        Path bin = tmp.resolve("etcd");
        Path help = tmp.resolve("help.txt");
        Files.writeString(help, resource("etcd-help.txt"));
        Files.writeString(bin, "#!/bin/sh\ncat " + help + "\n");
        Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwxr-xr-x"));

        FlagList flags = FlagList.of(new ResolvedBinary(ClusterBinary.ETCD, bin, "3.6.16", Source.EXPLICIT));

        assertThat(flags.knows("data-dir")).isTrue();
        assertThat(FlagList.cacheFile(bin)).doesNotExist();
    }

    @Test
    void asksTheBinaryAboutAFlagItsHelpDoesNotList() throws IOException {
        Path bin = tmp.resolve("kube-apiserver");
        Files.writeString(bin, "#!/bin/sh\ncase \"$1\" in --hidden-deprecated=*) echo 'Flag --hidden-deprecated has been deprecated';;"
                + " --*) echo \"Error: unknown flag: ${1%%=*}\"; exit 1;; esac\necho 'Kubernetes v1.34.4'\n");
        Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwxr-xr-x"));
        FlagList flags = FlagList.fromHelp(ClusterBinary.KUBE_APISERVER, bin, "      --secure-port int   The port\n");

        assertThat(flags.knows("hidden-deprecated")).isFalse();
        assertThat(flags.rejects("hidden-deprecated", "x")).isFalse();
        assertThat(flags.rejects("no-such-flag", "x")).isTrue();
    }

    @Test
    void asksTheBinaryAboutAGateItsHelpDoesNotList() throws IOException {
        Path bin = tmp.resolve("kube-apiserver");
        Files.writeString(bin, "#!/bin/sh\ncase \"$1\" in"
                + " --feature-gates=SidecarContainers=true) echo 'W feature_gate.go:352] Setting GA feature gate SidecarContainers=true.';;"
                + " --feature-gates=SidecarContainers=false) echo 'E run.go:72] \"command failed\" err=\"cannot set feature gate"
                + " SidecarContainers to false, feature is locked to true\"'; exit 1;;"
                + " --feature-gates=*) echo 'E run.go:72] \"command failed\" err=\"unrecognized feature gate: NoSuchGate\"'; exit 1;;"
                + " esac\necho 'Kubernetes v1.34.4'\n");
        Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwxr-xr-x"));
        FlagList flags = FlagList.fromHelp(ClusterBinary.KUBE_APISERVER, bin, "      --feature-gates x   gates\n"
                + "                kube:AllAlpha=true|false (ALPHA - default=false)\n");

        assertThat(flags.knowsGate("AllAlpha")).isTrue();
        assertThat(flags.gateProblem("SidecarContainers", true)).isEmpty();
        assertThat(flags.gateProblem("SidecarContainers", false))
                .contains("cannot set feature gate SidecarContainers to false, feature is locked to true");
        assertThat(flags.gateProblem("NoSuchGate", true)).contains("unrecognized feature gate: NoSuchGate");
    }

    @Test
    void distanceCountsEdits() {
        assertThat(FlagList.distance("secure-port", "secure-port")).isZero();
        assertThat(FlagList.distance("secure-prot", "secure-port")).isEqualTo(2);
        assertThat(FlagList.distance("", "abc")).isEqualTo(3);
    }
}
