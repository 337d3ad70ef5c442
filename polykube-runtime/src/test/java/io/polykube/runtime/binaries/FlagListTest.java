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
        FlagList flags = FlagList.fromHelp(Binary.KUBE_SCHEDULER, Path.of("kube-scheduler"), resource("kube-scheduler-help.txt"));
        assertThat(flags.names()).contains("config", "bind-address", "tls-cipher-suites", "secure-port", "v", "vmodule", "help",
                "version", "log-flush-frequency", "permit-port-sharing");
        // words inside descriptions ("the --secure-port port", "--feature-gates 'wardle:..'") and the usage line are no flags
        assertThat(flags.names()).doesNotContain("kube-scheduler", "flags", "tls-private-key-file.");
        assertThat(flags.names()).hasSize(25);
    }

    @Test
    void readsEtcdHelpAndSkipsItsUsageExamples() throws IOException {
        FlagList flags = FlagList.fromHelp(Binary.ETCD, Path.of("etcd"), resource("etcd-help.txt"));
        assertThat(flags.names()).contains("name", "data-dir", "heartbeat-interval", "election-timeout", "memory-mlock",
                "quota-backend-bytes", "max-request-bytes");
        // "  etcd --version" and "  etcd -h | --help" are usage lines, not flag lines
        assertThat(flags.names()).doesNotContain("version", "help", "config-file");
    }

    @Test
    void suggestsTheClosestFlagForATypoOnly() throws IOException {
        FlagList flags = FlagList.fromHelp(Binary.KUBE_SCHEDULER, Path.of("kube-scheduler"), resource("kube-scheduler-help.txt"));
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
        ResolvedBinary resolved = new ResolvedBinary(Binary.KUBE_SCHEDULER, bin, "1.34.4", Source.CACHE);

        FlagList first = FlagList.of(resolved);
        FlagList second = FlagList.of(resolved);

        assertThat(first.cached()).isFalse();
        assertThat(second.cached()).isTrue();
        assertThat(second.names()).isEqualTo(first.names());
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

        FlagList flags = FlagList.of(new ResolvedBinary(Binary.ETCD, bin, "3.6.16", Source.EXPLICIT));

        assertThat(flags.knows("data-dir")).isTrue();
        assertThat(FlagList.cacheFile(bin)).doesNotExist();
    }

    @Test
    void asksTheBinaryAboutAFlagItsHelpDoesNotList() throws IOException {
        Path bin = tmp.resolve("kube-apiserver");
        Files.writeString(bin, "#!/bin/sh\ncase \"$1\" in --hidden-deprecated=*) echo 'Flag --hidden-deprecated has been deprecated';;"
                + " --*) echo \"Error: unknown flag: ${1%%=*}\"; exit 1;; esac\necho 'Kubernetes v1.34.4'\n");
        Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwxr-xr-x"));
        FlagList flags = FlagList.fromHelp(Binary.KUBE_APISERVER, bin, "      --secure-port int   The port\n");

        assertThat(flags.knows("hidden-deprecated")).isFalse();
        assertThat(flags.rejects("hidden-deprecated", "x")).isFalse();
        assertThat(flags.rejects("no-such-flag", "x")).isTrue();
    }

    @Test
    void distanceCountsEdits() {
        assertThat(FlagList.distance("secure-port", "secure-port")).isZero();
        assertThat(FlagList.distance("secure-prot", "secure-port")).isEqualTo(2);
        assertThat(FlagList.distance("", "abc")).isEqualTo(3);
    }
}
