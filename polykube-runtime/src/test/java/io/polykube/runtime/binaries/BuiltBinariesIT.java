package io.polykube.runtime.binaries;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The binaries that setup built: each runs and reports the pinned version. */
class BuiltBinariesIT {

    private static final BinaryVersions VERSIONS = BinaryVersions.defaults();

    @Test
    void everyKubernetesBinaryReportsThePinnedVersion() throws Exception {
        Path dir = BuiltBinaries.kubernetesDir();
        for (Binary binary : ClusterBinarySet.KUBERNETES.binaries()) {
            List<String> args = binary == ClusterBinary.KUBECTL ? List.of("version", "--client=true") : List.of("--version");
            String out = run(dir.resolve(binary.fileName()), args);
            assertThat(out).as(binary.fileName())
                    .contains(binary == ClusterBinary.KUBECTL ? "Client Version: v" + VERSIONS.kubernetes() : "Kubernetes v" + VERSIONS.kubernetes());
        }
    }

    @Test
    void etcdBinariesReportThePinnedVersion() throws Exception {
        Path dir = BuiltBinaries.etcdDir();
        assertThat(run(dir.resolve("etcd"), List.of("--version"))).contains("etcd Version: " + VERSIONS.etcd());
        assertThat(run(dir.resolve("etcdctl"), List.of("version"))).contains("etcdctl version: " + VERSIONS.etcd());
        assertThat(run(dir.resolve("etcdutl"), List.of("version"))).contains("etcdutl version: " + VERSIONS.etcd());
    }

    /** Only what setup promises: the library's sets; the conformance runner builds its own on demand, not here. */
    @Test
    void theSetsSetupBuildsAreValidAndResolveFromTheCache() {
        BinaryCache cache = BuiltBinaries.cache();
        Set<ClusterBinarySet> setupSets = EnumSet.allOf(ClusterBinarySet.class);
        for (ClusterBinarySet set : setupSets) {
            assertThat(cache.check(set, set.version(VERSIONS)).state()).as(set.id()).isEqualTo(BinaryCache.State.VALID);
        }
        Set<ClusterBinary> setupBinaries = EnumSet.noneOf(ClusterBinary.class);
        setupSets.forEach(set -> setupBinaries.addAll(set.binaries()));
        Binaries binaries = Binaries.builder().environment(Map.of()).cache(cache).searchPath("").build();
        Map<ClusterBinary, ResolvedBinary> all = binaries.resolveAll(setupBinaries);
        assertThat(all).hasSize(setupBinaries.size());
        assertThat(all.values()).allSatisfy(r -> assertThat(r.source()).isEqualTo(Source.CACHE));
        assertThat(all.get(ClusterBinary.KUBE_APISERVER).version()).isEqualTo(VERSIONS.kubernetes());
        assertThat(all.get(ClusterBinary.ETCD).version()).isEqualTo(VERSIONS.etcd());
        assertThat(all.get(ClusterBinary.PAUSE).path()).isEqualTo(BuiltBinaries.pauseDir().resolve("pause"));
        assertThat(all.get(ClusterBinary.COREDNS).version()).isEqualTo(ClusterBinarySet.COREDNS_VERSION);
    }

    @Test
    void binDirsFromTheSystemPropertiesResolveWithVersionCheck() {
        Binaries binaries = Binaries.builder().environment(Map.of()).cache(new BinaryCache(Path.of("/nonexistent")))
                .searchPath("").binDirs(List.of(BuiltBinaries.kubernetesDir(), BuiltBinaries.etcdDir())).build();
        ResolvedBinary kubectl = binaries.resolve(ClusterBinary.KUBECTL);
        assertThat(kubectl.source()).isEqualTo(Source.BIN_DIR);
        assertThat(kubectl.version()).isEqualTo(VERSIONS.kubernetes());
        assertThat(binaries.resolve(ClusterBinary.ETCDUTL).version()).isEqualTo(VERSIONS.etcd());
    }

    @Test
    void pauseWaitsForSigtermAndExitsZero() throws Exception {
        Process pause = new ProcessBuilder(BuiltBinaries.pauseDir().resolve("pause").toString()).redirectErrorStream(true).start();
        try {
            BufferedReader reader = new BufferedReader(new InputStreamReader(pause.getInputStream(), StandardCharsets.UTF_8));
            String first = reader.readLine();
            assertThat(first).startsWith("polykube-pause 1: started as pid " + pause.pid());
            assertThat(pause.isAlive()).isTrue();
            assertThat(pause.toHandle().destroy()).as("SIGTERM sent").isTrue();
            assertThat(pause.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(pause.exitValue()).isZero();
            assertThat(reader.readLine()).contains("terminated");
        } finally {
            pause.destroyForcibly();
        }
    }

    @Test
    void pauseSurvivesAClosedStdoutAndStillExitsZero() throws Exception {
        Process pause = new ProcessBuilder(BuiltBinaries.pauseDir().resolve("pause").toString()).redirectErrorStream(true).start();
        try {
            assertThat(new BufferedReader(new InputStreamReader(pause.getInputStream(), StandardCharsets.UTF_8)).readLine())
                    .startsWith("polykube-pause 1: started");
            pause.destroy(); // closes our end of its stdout, then SIGTERM: its last line hits a broken pipe
            assertThat(pause.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(pause.exitValue()).as("exit code (141 would be death by SIGPIPE)").isZero();
        } finally {
            pause.destroyForcibly();
        }
    }

    static String run(Path binary, List<String> args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of(binary.toString()));
        command.addAll(args);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("%s exit code, output: %s", command, out).isZero();
        return out;
    }
}
