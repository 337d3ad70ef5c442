package io.polykube.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.polykube.api.error.PolykubeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GoProgramTest {

    private static KubernetesSource source(String version) {
        return new KubernetesSource(Path.of("/mod/k8s.io/kubernetes@v" + version), version);
    }

    @Test
    void theStagingVersionOfTheKubernetesVersionNamesTheCacheDirectory() {
        assertThat(GoProgram.stagingVersion("1.34.4")).isEqualTo("0.34.4");
        assertThat(GoProgram.sampleApiServer(Path.of("/cache/bin"), source("1.34.4")).path())
                .isEqualTo(Path.of("/cache/bin/sample-apiserver-v0.34.4/sample-apiserver"));
        assertThat(GoProgram.sampleApiServer(Path.of("/cache/bin"), source("1.37.2")).path())
                .isEqualTo(Path.of("/cache/bin/sample-apiserver-v0.37.2/sample-apiserver"));
        assertThatThrownBy(() -> GoProgram.stagingVersion("v1.34")).isInstanceOf(PolykubeException.class)
                .hasMessageContaining("1.MINOR.PATCH");
    }

    @Test
    void nonewprivsIsCachedUnderTheKubernetesVersionItsSourceComesFrom() {
        assertThat(GoProgram.nonewprivs(Path.of("/cache/bin"), source("1.34.4")).path())
                .isEqualTo(Path.of("/cache/bin/nnp-v1.34.4/nnp"));
        assertThat(GoProgram.nonewprivs(Path.of("/cache/bin"), source("1.37.2")).path())
                .isEqualTo(Path.of("/cache/bin/nnp-v1.37.2/nnp"));
    }

    @Test
    void withoutGoTheMessageNamesTheGoThatTheKubernetesGoModAsksFor(@TempDir Path dir) throws IOException {
        KubernetesSource source = new KubernetesSource(dir, "1.37.2");
        GoProgram nnp = GoProgram.nonewprivs(dir.resolve("bin"), source);
        assertThat(nnp.goMissing()).contains("install the Go that the go line of " + dir.resolve("go.mod") + " names")
                .contains("--skip 'AllowPrivilegeEscalation'");
        Files.writeString(dir.resolve("go.mod"), "module k8s.io/kubernetes\n\ngo 1.26.0\n\ngodebug default=go1.26\n");
        assertThat(nnp.goMissing()).contains("install Go 1.26.0 or newer (the go line of k8s.io/kubernetes@v1.37.2's go.mod)");
        assertThat(GoProgram.sampleApiServer(dir.resolve("bin"), source).goMissing())
                .contains("k8s.io/sample-apiserver@v0.37.2 built from source").contains("install Go 1.26.0 or newer")
                .contains("--skip 'Sample API Server'");
    }

    @Test
    void aMissingNonewprivsSourceIsReportedWithItsFixBeforeGoRunsAndLeavesNothingBehind(@TempDir Path dir) throws IOException {
        Path binDir = Files.createDirectories(dir.resolve("bin"));
        Path source = dir.resolve("kubernetes@v1.34.4");
        List<String> said = new ArrayList<>();
        assertThatThrownBy(() -> GoProgram.nonewprivs(binDir, new KubernetesSource(source, "1.34.4")).resolve(said::add))
                .isInstanceOf(PolykubeException.class)
                .hasMessageContaining(source.resolve(GoProgram.NONEWPRIVS_SOURCE) + " is missing")
                .hasMessageContaining("go mod download k8s.io/kubernetes@v1.34.4");
        assertThat(said).isEmpty();
        try (Stream<Path> left = Files.list(binDir)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void theSampleApiServerIsBuiltOnlyWhenTheFocusSelectsItAndTheSkipDoesNot() {
        List<String> test = ConformanceRun.SAMPLE_API_SERVER_TEST;
        assertThat(ConformanceRun.selectsAny(ConformanceRun.DEFAULT_FOCUS, "", test)).isTrue();
        assertThat(ConformanceRun.selectsAny(ConformanceRun.DEFAULT_FOCUS, SkipList.defaults().combined(), test)).isTrue();
        assertThat(ConformanceRun.selectsAny(ConformanceRun.DEFAULT_FOCUS, "(?:\\[Serial\\])|(?:Sample API Server)", test))
                .isFalse();
        assertThat(ConformanceRun.selectsAny("\\[sig-network\\] DNS", "", test)).isFalse();
    }
}
