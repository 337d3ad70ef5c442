package io.polykube.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.polykube.api.error.PolykubeException;
import io.polykube.api.status.ClusterRecord;
import io.polykube.pki.ClusterPki;
import io.polykube.pki.ClusterPkiSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bundle of a stopped cluster's directory: logs, record, certificate summary, never a key or a kubeconfig. */
class LogBundleTest {
    @TempDir
    Path dir;
    @TempDir
    Path out;

    @Test
    void bundlesLogsRecordAndCertificatesButNoSecret() throws IOException {
        ClusterPki.create(dir.resolve("pki"), ClusterPkiSpec.builder().clusterName("lb").nodeName("lb-node").build());
        Files.createDirectories(dir.resolve("logs"));
        Files.writeString(dir.resolve("logs").resolve("kube-apiserver.log"), "I1202 apiserver started\n");
        Files.writeString(dir.resolve("logs").resolve("supervisor.log"), "owner log\n");
        Files.createDirectories(dir.resolve("kubeconfig"));
        Files.writeString(dir.resolve("kubeconfig").resolve("admin.kubeconfig"), "client-key-data: c2VjcmV0\n");
        new ClusterRecord("lb", "CONTROL_PLANE", "1.34.4", dir.toString(), "STOPPED", "https://127.0.0.1:6443", Map.of(), List.of(),
                null, null, Instant.now(), "1.34.4").write(dir.resolve("cluster.json"));

        Path bundle = LogBundle.ofDirectory(dir).writeInto(out);

        assertThat(bundle.getFileName().toString()).startsWith("polykube-lb-logs-").endsWith(".tar.gz");
        Map<String, String> entries = read(bundle);
        assertThat(entries).containsKeys("polykube-lb-logs/logs/kube-apiserver.log", "polykube-lb-logs/logs/supervisor.log",
                "polykube-lb-logs/cluster.json", "polykube-lb-logs/certificates.txt", "polykube-lb-logs/versions.txt",
                "polykube-lb-logs/errors.txt", "polykube-lb-logs/index.txt");
        assertThat(entries.get("polykube-lb-logs/logs/kube-apiserver.log")).isEqualTo("I1202 apiserver started\n");
        assertThat(entries.get("polykube-lb-logs/certificates.txt")).contains("subject:").contains("not after:")
                .contains("CN=kube-apiserver").contains("127.0.0.1");
        assertThat(entries.get("polykube-lb-logs/versions.txt")).contains("Kubernetes 1.34.4").contains("etcd 3.6.16");
        assertThat(entries.keySet()).noneMatch(n -> n.endsWith(".key") || n.contains("kubeconfig"));
        assertThat(entries.values()).noneMatch(v -> v.contains("PRIVATE KEY") || v.contains("client-key-data"));
        assertThat(entries.get("polykube-lb-logs/errors.txt")).isEqualTo("(none)\n");
    }

    @Test
    void followsNoLinkIsPrivateAndTakesNoNameFromACraftedRecord() throws IOException {
        Path secret = Files.writeString(out.resolve("private-elsewhere.txt"), "root's secret\n");
        Path elsewhere = Files.createDirectories(out.resolve("elsewhere"));
        Files.writeString(elsewhere.resolve("other.log"), "someone else's log\n");
        Files.createDirectories(dir.resolve("logs"));
        Files.writeString(dir.resolve("logs").resolve("etcd.log"), "etcd started\n");
        Files.createSymbolicLink(dir.resolve("logs").resolve("x.log"), secret);
        Files.createSymbolicLink(dir.resolve("pod-logs-link"), elsewhere);
        Files.createDirectories(dir.resolve("node"));
        Files.createSymbolicLink(dir.resolve("node").resolve("pod-logs"), elsewhere);
        new ClusterRecord("../../etc/cron.d/x", "CONTROL_PLANE", "1.34.4", dir.toString(), "STOPPED", "https://127.0.0.1:6443",
                Map.of(), List.of(), null, null, Instant.now(), "1.34.4").write(dir.resolve("cluster.json"));

        Path bundle = LogBundle.ofDirectory(dir).writeInto(out);

        assertThat(bundle.getParent()).isEqualTo(out);
        assertThat(bundle.getFileName().toString()).startsWith("polykube-cluster-logs-");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(bundle))).isEqualTo("rw-------");
        Map<String, String> entries = read(bundle);
        assertThat(entries).containsKey("polykube-cluster-logs/logs/etcd.log");
        assertThat(entries.keySet()).allMatch(n -> n.startsWith("polykube-cluster-logs/"))
                .noneMatch(n -> n.endsWith("x.log") || n.endsWith("other.log"));
        assertThat(entries.values()).noneMatch(v -> v.contains("root's secret") || v.contains("someone else's log"));
        assertThat(entries.get("polykube-cluster-logs/errors.txt")).contains("x.log: a symbolic link, which is never followed")
                .contains("pod-logs: a symbolic link, which is never followed");
    }

    @Test
    void aDirectoryWithoutAClusterIsRefused() {
        assertThatThrownBy(() -> LogBundle.ofDirectory(dir)).isInstanceOf(PolykubeException.class).hasMessageContaining("no cluster.json");
    }

    static Map<String, String> read(Path tarGz) throws IOException {
        Map<String, String> entries = new LinkedHashMap<>();
        try (InputStream in = Files.newInputStream(tarGz); TarArchiveInputStream tar = new TarArchiveInputStream(
                new GzipCompressorInputStream(in))) {
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                entries.put(e.getName(), new String(tar.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        return entries;
    }
}
