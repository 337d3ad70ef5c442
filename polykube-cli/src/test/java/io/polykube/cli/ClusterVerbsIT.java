package io.polykube.cli;

import io.polykube.runtime.binaries.KnownVersions;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.polykube.api.Cluster;
import io.polykube.api.spec.Mode;
import io.polykube.api.status.ClusterRecord;
import io.polykube.pki.Pem;
import io.polykube.testing.Await;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code list}, {@code status --output}, {@code up --fresh}, {@code export-logs} and {@code delete} on real control-plane clusters. */
class ClusterVerbsIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path state;
    @TempDir
    Path exports;
    private final List<String[]> started = new ArrayList<>();

    /** Clusters started with 'up' outlive this JVM by design: remove them even when a test fails. */
    @AfterEach
    void deleteEverythingStarted() {
        started.forEach(cluster -> CliRun.of(CliRun.args("delete", cluster)));
    }

    private String[] cluster(String name) {
        String[] options = {"--name", name, "--dir", state.resolve(name).toString(), "--mode", "control-plane"};
        started.add(options);
        return options;
    }

    private static CliRun ok(String verb, String[] cluster, String... more) {
        CliRun run = CliRun.of(CliRun.args(verb, cluster, more));
        assertThat(run.exitCode()).as(verb + ": " + run).isZero();
        return run;
    }

    @Test
    void versionNamesPolykubeAndTheBinariesItWouldUse() {
        CliRun run = CliRun.of("--version");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).containsPattern("polykube \\d+\\.\\d+\\.\\d+").doesNotContain("${")
                .containsPattern("Kubernetes " + quote(KnownVersions.DEFAULT_VERSION) + ": kube-apiserver "
                        + quote(KnownVersions.DEFAULT_VERSION) + " at /\\S+/kube-apiserver")
                .containsPattern("etcd " + quote(KnownVersions.defaults().etcd()) + ": etcd " + quote(KnownVersions.defaults().etcd())
                        + " at /\\S+/etcd")
                .containsPattern(quote(KnownVersions.newest().minor()) + "\\s+" + quote(KnownVersions.newest().patch())
                        + "\\s+etcd.*built \\(default\\)");
        assertThat(CliRun.of("status", "--version").out()).as("on a verb too").contains("Kubernetes " + KnownVersions.DEFAULT_VERSION);
    }

    @Test
    void aRunningClusterIsListedShownStartedFreshExportedAndDeleted() throws Exception {
        String[] a = cluster("verbs-a");
        Path dir = state.resolve("verbs-a");
        ok("up", a);
        ClusterRecord first = ClusterRecord.read(dir.resolve("cluster.json")).orElseThrow();

        JsonNode list = JSON.readTree(ok("list", new String[] {"--state-dir", state.toString(), "--output", "json"}).out());
        assertThat(list).hasSize(1);
        assertThat(list.get(0).get("name").asText()).isEqualTo("verbs-a");
        assertThat(list.get(0).get("mode").asText()).isEqualTo("control-plane");
        assertThat(list.get(0).get("state").asText()).isEqualTo("running");
        assertThat(list.get(0).get("apiServerUrl").asText()).isEqualTo(first.apiServerUrl()).startsWith("https://127.0.0.1:");
        assertThat(list.get(0).get("ageSeconds").asLong()).isBetween(0L, 600L);
        assertThat(ok("list", new String[] {"--state-dir", state.toString()}).out()).containsPattern("verbs-a\\s+control-plane\\s+" + quote(KnownVersions.DEFAULT_VERSION) + "\\s+running");

        JsonNode status = JSON.readTree(ok("status", a, "--output", "json").out());
        assertThat(status.get("state").asText()).isEqualTo("running");
        assertThat(status.get("kubeconfig").asText()).isEqualTo(dir.resolve("kubeconfig/admin.kubeconfig").toString());
        assertThat(status.get("components")).hasSize(4).allSatisfy(c -> {
            assertThat(c.get("state").asText()).isEqualTo("READY");
            assertThat(c.get("pid").asLong()).isPositive();
        });
        JsonNode yaml = new YAMLMapper().readTree(ok("status", a, "-o", "yaml").out());
        assertThat(yaml.get("name").asText()).isEqualTo("verbs-a");
        assertThat(yaml.get("components")).hasSize(4);

        // up --fresh: the objects, PKI and files of the first run are gone.
        try (KubernetesClient client = adminClient(dir)) {
            client.configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata().withName("first-run")
                    .endMetadata().build()).create();
        }
        Files.writeString(dir.resolve("marker"), "first run");
        byte[] firstCa = Files.readAllBytes(dir.resolve("pki").resolve("ca.crt"));
        ok("up", a, "--fresh");
        ClusterRecord second = ClusterRecord.read(dir.resolve("cluster.json")).orElseThrow();
        assertThat(ProcessHandle.of(first.ownerPid()).map(ProcessHandle::isAlive).orElse(false)).as("first owner").isFalse();
        assertThat(second.ownerPid()).isNotEqualTo(first.ownerPid());
        assertThat(dir.resolve("marker")).doesNotExist();
        assertThat(Files.readAllBytes(dir.resolve("pki").resolve("ca.crt"))).as("a new CA").isNotEqualTo(firstCa);
        try (KubernetesClient client = adminClient(dir)) {
            assertThat(client.configMaps().inNamespace("default").withName("first-run").get()).isNull();
        }

        CliRun export = ok("export-logs", a, exports.toString());
        Path bundle = Path.of(export.out().trim());
        assertThat(bundle.getParent()).isEqualTo(exports);
        List<String> entries = entries(bundle);
        String root = "polykube-verbs-a-logs/";
        assertThat(entries).contains(root + "logs/kube-apiserver.log", root + "logs/etcd.log", root + "logs/supervisor.log",
                root + "cluster.json", root + "certificates.txt", root + "versions.txt", root + "cluster/events.txt",
                root + "cluster/pods.txt");
        assertThat(entries).noneMatch(e -> e.endsWith(".key") || e.contains("kubeconfig"));
        assertThat(text(bundle, root + "versions.txt")).contains("API server reports: v" + KnownVersions.DEFAULT_VERSION);
        assertThat(text(bundle, root + "certificates.txt")).contains("not after:");

        List<Long> pids = second.components().stream().map(ClusterRecord.ComponentRecord::pid).toList();
        ok("delete", a);
        assertThat(dir).doesNotExist();
        assertThat(ProcessHandle.of(second.ownerPid()).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        awaitGone(pids);
        assertThat(JSON.readTree(ok("list", new String[] {"--state-dir", state.toString(), "-o", "json"}).out())).isEmpty();

        CliRun exportGone = CliRun.of(CliRun.args("export-logs", a, exports.toString()));
        assertThat(exportGone.exitCode()).as("export-logs of no cluster: a runtime failure").isEqualTo(1);
        assertThat(exportGone.err()).contains("no cluster 'verbs-a'");
        assertThat(CliRun.of(CliRun.args("status", a)).exitCode()).isEqualTo(StatusCommand.NOT_RUNNING);
        assertThat(ok("delete", a).out()).contains("nothing to delete");
    }

    @Test
    void stoppedAndStaleClustersAreListedExportedAndDeleted() throws Exception {
        String[] b = cluster("verbs-b");
        String[] c = cluster("verbs-c");
        ok("up", b);
        ok("down", b);
        ok("up", c);
        ClusterRecord crashed = ClusterRecord.read(state.resolve("verbs-c").resolve("cluster.json")).orElseThrow();
        List<Long> orphans = crashed.components().stream().map(ClusterRecord.ComponentRecord::pid).toList();
        ProcessHandle owner = ProcessHandle.of(crashed.ownerPid()).orElseThrow();
        owner.destroyForcibly(); // kill -9: its components keep running, its record still says RUNNING
        owner.onExit().join();

        JsonNode list = JSON.readTree(ok("list", new String[] {"--state-dir", state.toString(), "-o", "json"}).out());
        assertThat(list).hasSize(2);
        assertThat(list.get(0).get("name").asText()).isEqualTo("verbs-b");
        assertThat(list.get(0).get("state").asText()).isEqualTo("stopped");
        assertThat(list.get(1).get("name").asText()).isEqualTo("verbs-c");
        assertThat(list.get(1).get("state").asText()).isEqualTo("stale owner");
        CliRun status = CliRun.of(CliRun.args("status", c, "-o", "json"));
        assertThat(status.exitCode()).isEqualTo(StatusCommand.NOT_RUNNING);
        assertThat(JSON.readTree(status.out()).get("state").asText()).isEqualTo("stale owner");

        List<String> stoppedBundle = entries(Path.of(ok("export-logs", b, exports.toString()).out().trim()));
        assertThat(stoppedBundle).contains("polykube-verbs-b-logs/logs/kube-apiserver.log", "polykube-verbs-b-logs/cluster.json")
                .noneMatch(e -> e.contains("cluster/events.txt"));

        ok("delete", b);
        assertThat(state.resolve("verbs-b")).doesNotExist();
        assertThat(ok("delete", c).out()).contains("left behind");
        assertThat(state.resolve("verbs-c")).doesNotExist();
        awaitGone(orphans); // delete stopped the crashed owner's components

    }

    @Test
    void deleteAndFreshRefuseAClusterThatAnotherLiveProcessRuns() {
        Path dir = state.resolve("verbs-d");
        String[] d = {"--name", "verbs-d", "--dir", dir.toString(), "--mode", "control-plane"};
        // This JVM owns it through the library, as a test JVM or a program would: not an owner that 'up' started.
        try (Cluster running = Cluster.builder().name("verbs-d").directory(dir).mode(Mode.CONTROL_PLANE)
                .etcd(e -> e.unsafeNoFsync(true)).build().start()) {
            CliRun delete = CliRun.of(CliRun.args("delete", d));
            assertThat(delete.exitCode()).as(delete.toString()).isEqualTo(1);
            assertThat(delete.err()).contains("cannot delete cluster 'verbs-d'")
                    .contains("pid " + ProcessHandle.current().pid()).contains("Stop it there");
            CliRun fresh = CliRun.of(CliRun.args("up", d, "--fresh"));
            assertThat(fresh.exitCode()).isEqualTo(1);
            assertThat(dir.resolve("pki")).isDirectory();
            assertThat(running.client().namespaces().list().getItems()).as("it still serves").isNotEmpty();
            assertThat(ok("list", new String[] {"--state-dir", state.toString()}).out()).containsPattern("verbs-d\\s+control-plane\\s+" + quote(KnownVersions.DEFAULT_VERSION) + "\\s+running");
        }
        assertThat(ok("delete", d).out()).contains("deleted cluster 'verbs-d'");
        assertThat(dir).doesNotExist();
    }

    private static String quote(String text) {
        return java.util.regex.Pattern.quote(text);
    }

    /** Waits until none of {@code pids} runs (a stopped orphan may stay a zombie until init reaps it). */
    static void awaitGone(List<Long> pids) {
        Await.until(() -> "pids " + pids + " to exit (still running: " + pids.stream().filter(ClusterVerbsIT::running).toList()
                + ")", java.time.Duration.ofSeconds(10), () -> pids.stream().noneMatch(ClusterVerbsIT::running));
    }

    private static boolean running(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException e) {
            return false; // gone
        }
    }

    /** The admin client, as a script would use the kubeconfig 'up' prints. */
    private static KubernetesClient adminClient(Path dir) throws IOException {
        Path kubeconfig = dir.resolve("kubeconfig").resolve("admin.kubeconfig");
        Config config = Config.fromKubeconfig(null, Files.readString(kubeconfig), kubeconfig.toString());
        String pem = new String(Base64.getDecoder().decode(config.getClientKeyData()), StandardCharsets.US_ASCII);
        config.setClientKeyAlgo(Pem.parsePrivateKey(pem).getAlgorithm());
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    private static List<String> entries(Path tarGz) throws IOException {
        List<String> names = new ArrayList<>();
        try (InputStream in = Files.newInputStream(tarGz);
                TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(in))) {
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                names.add(e.getName());
            }
        }
        return names;
    }

    private static String text(Path tarGz, String name) throws IOException {
        try (InputStream in = Files.newInputStream(tarGz);
                TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(in))) {
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                if (e.getName().equals(name)) {
                    return new String(tar.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
        }
        throw new AssertionError(name + " not in " + tarGz);
    }
}
