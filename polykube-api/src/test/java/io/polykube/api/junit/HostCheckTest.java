package io.polykube.api.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.polykube.api.spec.ClusterSpec;
import io.polykube.api.spec.Mode;
import io.polykube.runtime.binaries.KnownVersions;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whether a host can run a cluster: a pinned version not built yet is built at start, so it is not a reason to skip. */
class HostCheckTest {
    @TempDir
    Path emptyCache;

    private static ClusterSpec spec(String version) {
        return ClusterSpec.builder().name("hostcheck").mode(Mode.CONTROL_PLANE).kubernetesVersion(version).build();
    }

    private Map<String, String> environment(String path) {
        return Map.of("PATH", path, "POLYKUBE_CACHE_DIR", emptyCache.toString());
    }

    @Test
    void aPinnedVersionNotBuiltYetIsNoProblemWhereGoIsThere() {
        String pathWithGo = System.getenv("PATH") + ":/usr/local/go/bin";

        assertThat(HostCheck.binaryProblem(spec(KnownVersions.oldest().minor()), environment(pathWithGo))).isEmpty();
        assertThat(HostCheck.binaryProblem(spec("default"), environment(pathWithGo))).isEmpty();
    }

    @Test
    void aPinnedVersionNotBuiltYetIsAProblemWithoutGo() {
        assertThat(HostCheck.binaryProblem(spec(KnownVersions.oldest().minor()), environment("/nonexistent")))
                .hasValueSatisfying(problem -> assertThat(problem)
                        .contains("Kubernetes " + KnownVersions.oldest().patch() + " are not built yet, and cannot be built here")
                        .contains("Go is not installed"));
    }

    @Test
    void anotherPatchNotBuiltIsAProblemEvenWithGo() {
        String pathWithGo = System.getenv("PATH") + ":/usr/local/go/bin";
        String otherPatch = KnownVersions.oldest().minor() + ".0";

        assertThat(HostCheck.binaryProblem(spec(otherPatch), environment(pathWithGo)))
                .hasValueSatisfying(problem -> assertThat(problem).contains("Kubernetes " + otherPatch + " are missing"));
    }
}
