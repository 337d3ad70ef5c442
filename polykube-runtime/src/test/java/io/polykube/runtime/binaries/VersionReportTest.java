package io.polykube.runtime.binaries;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VersionReportTest {

    @Test
    void polykubesVersionIsTheOneTheBuildWroteIn() {
        assertThat(VersionReport.polykubeVersion()).isNotEqualTo("unknown").doesNotContain("${").matches("\\d+\\.\\d+\\.\\d+.*");
    }

    @Test
    void namesTheVersionsAskedForAndWhatIsMissing(@TempDir Path tmp) {
        Binaries nothing = Binaries.builder().environment(Map.of()).cache(new BinaryCache(tmp)).searchPath("").build();
        List<String> lines = VersionReport.lines(nothing);
        assertThat(lines).startsWith(
                "polykube " + VersionReport.polykubeVersion(),
                "Kubernetes " + nothing.versions().kubernetes() + ": kube-apiserver not found (run ./polykube setup, or set "
                        + "POLYKUBE_BIN_DIR)",
                "etcd " + nothing.versions().etcd() + ": etcd not found (run ./polykube setup, or set POLYKUBE_BIN_DIR)");
        assertThat(lines).hasSize(3 + 1 + KnownVersions.all().size() + 1)
                .endsWith("Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")");
        assertThat(lines.get(4 + KnownVersions.all().indexOf(KnownVersions.defaultRelease())))
                .contains(KnownVersions.DEFAULT_VERSION, "not built", "(default)");
    }
}
