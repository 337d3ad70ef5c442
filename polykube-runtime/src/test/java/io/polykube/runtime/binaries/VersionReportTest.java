package io.polykube.runtime.binaries;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
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
        assertThat(VersionReport.lines(nothing)).containsExactly(
                "polykube " + VersionReport.polykubeVersion(),
                "Kubernetes " + nothing.versions().kubernetes() + ": kube-apiserver not found (run ./polykube setup, or set "
                        + "POLYKUBE_BIN_DIR)",
                "etcd " + nothing.versions().etcd() + ": etcd not found (run ./polykube setup, or set POLYKUBE_BIN_DIR)",
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")");
    }
}
