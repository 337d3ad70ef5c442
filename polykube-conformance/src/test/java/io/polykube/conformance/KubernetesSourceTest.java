package io.polykube.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.polykube.api.error.PolykubeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KubernetesSourceTest {
    /** The head of k8s.io/kubernetes v1.37.2's go.mod, and a replace and an exclude that must not count. */
    private static final String GO_MOD = """
            // This is a generated file. Do not edit directly.

            module k8s.io/kubernetes

            go 1.26.0

            godebug default=go1.26

            require (
            \tgithub.com/onsi/ginkgo/v2 v2.32.0
            \tgithub.com/onsi/gomega v1.40.0
            )

            require github.com/other/module v1.0.0 // indirect

            replace github.com/onsi/ginkgo/v2 => github.com/onsi/ginkgo/v2 v2.99.0

            exclude (
            \tgithub.com/onsi/ginkgo/v2 v2.98.0
            )
            """;

    @Test
    void theSourceIsFoundInTheGoModuleCacheLikeGoEnvGomodcache() {
        Path home = Path.of("/home/u");
        assertThat(KubernetesSource.inModuleCache(Map.of(), home, "1.37.2").dir())
                .isEqualTo(Path.of("/home/u/go/pkg/mod/k8s.io/kubernetes@v1.37.2"));
        assertThat(KubernetesSource.inModuleCache(Map.of("GOPATH", "/gp:/other"), home, "1.34.4").dir())
                .isEqualTo(Path.of("/gp/pkg/mod/k8s.io/kubernetes@v1.34.4"));
        assertThat(KubernetesSource.inModuleCache(Map.of("GOPATH", "/gp", "GOMODCACHE", "/mc"), home, "1.34.4").dir())
                .isEqualTo(Path.of("/mc/k8s.io/kubernetes@v1.34.4"));
        assertThatThrownBy(() -> new KubernetesSource(Path.of("/mod"), "1.37")).isInstanceOf(PolykubeException.class)
                .hasMessageContaining("1.MINOR.PATCH");
    }

    @Test
    void ginkgosVersionIsTheOneTheGoModRequiresNotAReplaceOrExclude() {
        assertThat(KubernetesSource.requiredVersion(GO_MOD, KubernetesSource.GINKGO_MODULE)).contains("2.32.0");
        assertThat(KubernetesSource.requiredVersion(GO_MOD, "github.com/other/module")).contains("1.0.0");
        assertThat(KubernetesSource.requiredVersion(GO_MOD, "github.com/onsi/ginkgo")).isEmpty();
        assertThat(KubernetesSource.requiredVersion("require github.com/onsi/ginkgo/v2 v2.21.0\n", KubernetesSource.GINKGO_MODULE))
                .contains("2.21.0");
    }

    @Test
    void theImagesGinkgoAndGoComeFromTheSourceTree(@TempDir Path dir) throws IOException {
        KubernetesSource source = new KubernetesSource(dir, "1.37.2");
        assertThat(source.goVersion()).isEmpty();
        Files.writeString(dir.resolve("go.mod"), GO_MOD);
        Files.createDirectories(dir.resolve("test/utils/image"));
        Files.writeString(dir.resolve(ManifestImages.FILE), Manifests.text("1.37.2"));

        assertThat(source.ginkgoVersion()).isEqualTo("2.32.0");
        assertThat(source.goVersion()).contains("1.26.0");
        assertThat(source.images()).isEqualTo(Manifests.images("1.37.2"));
    }

    @Test
    void aMissingFileSaysHowToGetTheSource(@TempDir Path dir) throws IOException {
        KubernetesSource source = new KubernetesSource(dir, "1.36.5");
        assertThatThrownBy(source::images).isInstanceOf(PolykubeException.class)
                .hasMessageContaining(dir.resolve("test/utils/image/manifest.go") + " is missing")
                .hasMessageContaining("go mod download k8s.io/kubernetes@v1.36.5");
        assertThatThrownBy(source::ginkgoVersion).isInstanceOf(PolykubeException.class)
                .hasMessageContaining(dir.resolve("go.mod") + " is missing");
        Files.writeString(dir.resolve("go.mod"), "module k8s.io/kubernetes\n\ngo 1.26.0\n");
        assertThatThrownBy(source::ginkgoVersion).isInstanceOf(PolykubeException.class)
                .hasMessageContaining("does not require github.com/onsi/ginkgo/v2").hasMessageContaining("--parallel 1");
    }
}
