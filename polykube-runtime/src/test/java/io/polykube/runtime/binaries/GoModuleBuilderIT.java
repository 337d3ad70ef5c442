package io.polykube.runtime.binaries;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real go: the pause build, a corrupt cache entry rebuilt, a missing go, an unknown version. */
class GoModuleBuilderIT {

    @TempDir
    Path tmp;

    @Test
    void corruptCacheEntryIsDetectedNotUsedAndRebuilt() throws IOException {
        BinaryCache cache = new BinaryCache(tmp.resolve("cache"));
        Path realPause = BuiltBinaries.pauseDir();
        // a cache entry copied from the real one, then one byte flipped
        Path dir = Files.createDirectories(cache.setDir(ClusterBinarySet.PAUSE, "1"));
        Files.copy(realPause.resolve("pause"), dir.resolve("pause"));
        Files.copy(realPause.resolve(Manifest.FILE_NAME), dir.resolve(Manifest.FILE_NAME));
        assertThat(cache.check(ClusterBinarySet.PAUSE, "1").state()).isEqualTo(BinaryCache.State.VALID);
        byte[] bytes = Files.readAllBytes(dir.resolve("pause"));
        bytes[bytes.length / 2] ^= 0x40;
        Files.write(dir.resolve("pause"), bytes);

        Binaries noBuild = Binaries.builder().environment(Map.of()).cache(cache).searchPath("").build();
        assertThatThrownBy(() -> noBuild.resolve(ClusterBinary.PAUSE))
                .isInstanceOf(BinaryException.class)
                .hasMessageContaining("was corrupt (pause has sha256")
                .hasMessageContaining("./polykube setup");
        assertThat(dir).doesNotExist();

        Files.createDirectories(dir);
        Files.write(dir.resolve("pause"), bytes);
        Files.copy(realPause.resolve(Manifest.FILE_NAME), dir.resolve(Manifest.FILE_NAME));
        Binaries withBuild = Binaries.builder().environment(System.getenv()).cache(cache).searchPath(System.getenv("PATH"))
                .binDirs(List.of()).allowBuild(true).build();
        ResolvedBinary rebuilt = withBuild.resolve(ClusterBinary.PAUSE);
        assertThat(rebuilt.source()).isEqualTo(Source.BUILT);
        assertThat(rebuilt.version()).isEqualTo("1");
        assertThat(cache.check(ClusterBinarySet.PAUSE, "1").state()).isEqualTo(BinaryCache.State.VALID);
        assertThat(Manifest.read(dir.resolve(Manifest.FILE_NAME)).goVersion()).startsWith("go1.");
        assertThat(cache.buildLogDir()).isDirectory();
    }

    @Test
    void missingGoIsAClearErrorAndCachesNothing() throws IOException {
        Path noGo = Files.createDirectories(tmp.resolve("no-go-bin"));
        BinaryCache cache = new BinaryCache(tmp.resolve("cache"));
        Binaries binaries = Binaries.builder().environment(Map.of()).cache(cache).searchPath(noGo + ":/nonexistent")
                .allowBuild(true).build();
        assertThatThrownBy(() -> binaries.resolve(ClusterBinary.ETCD))
                .isInstanceOf(BinaryException.class)
                .hasMessageContaining("Go is not installed: no `go` executable on PATH (" + noGo + ":/nonexistent)")
                .hasMessageContaining("install it from https://go.dev/dl/")
                .hasMessageContaining("or use another source");
        assertThat(cache.setDir(ClusterBinarySet.ETCD, BinaryVersions.defaults().etcd())).doesNotExist();
    }

    @Test
    void unknownKubernetesVersionIsAClearError() {
        GoModuleBuilder go = GoModuleBuilder.builder().logDir(tmp.resolve("logs")).workDir(tmp).build();
        Path out = tmp.resolve("out");
        assertThatThrownBy(() -> go.build(ClusterBinarySet.KUBERNETES, "1.34.999", out))
                .isInstanceOf(BinaryException.class)
                .hasMessageContaining("the Go module proxy does not serve kubernetes v1.34.999")
                .hasMessageContaining("k8s.io/kubernetes@v1.34.999")
                .hasMessageContaining("go list -m -json k8s.io/kubernetes@v1.34.999");
        assertThat(out).doesNotExist();
    }

    @Test
    void buildsThePauseProgramStatically() throws Exception {
        List<String> steps = new java.util.concurrent.CopyOnWriteArrayList<>();
        GoModuleBuilder go = GoModuleBuilder.builder().logDir(tmp.resolve("logs")).workDir(tmp)
                .progress(new ProgressListener() {
                    @Override
                    public void started(String step) {
                        steps.add("start " + step);
                    }

                    @Override
                    public void finished(String step, java.time.Duration took) {
                        steps.add("done " + step);
                    }
                }).build();
        Path out = Files.createDirectories(tmp.resolve("out"));
        Provenance provenance = go.build(ClusterBinarySet.PAUSE, ClusterBinarySet.PAUSE_VERSION, out);
        assertThat(provenance.goVersion()).startsWith("go1.");
        assertThat(steps).containsExactly("start pause 1: go build", "done pause 1: go build");
        assertThat(BuiltBinariesIT.run(out.resolve("pause"), List.of("-version"))).isEqualTo("polykube-pause 1\n");
        byte[] head = new byte[20];
        try (var in = Files.newInputStream(out.resolve("pause"))) {
            assertThat(in.read(head)).isEqualTo(20);
        }
        assertThat(head[0]).isEqualTo((byte) 0x7f); // ELF
        assertThat(head[16]).as("ET_EXEC: statically linked, not PIE/dynamic").isEqualTo((byte) 2);
        try (var files = Files.list(tmp)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("polykube-pause-build-"));
        }
    }
}
