package io.polykube.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.polykube.runtime.binaries.BinaryException;
import io.polykube.runtime.binaries.BinarySet;
import io.polykube.runtime.binaries.BinaryVersions;
import io.polykube.runtime.binaries.ClusterBinarySet;
import io.polykube.runtime.binaries.GoModuleBuilder;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The e2e suite's binaries as sets of the binary cache: names, versions, version queries and pinned builds; nothing built. */
class SuiteBinaryTest {

    @Test
    void eachIsASetOfItsOwnCachedSideBySidePerVersion() {
        BinaryVersions versions = BinaryVersions.forKubernetes("1.37.2");
        SuiteBinary e2e = SuiteBinary.e2eTest("1.37.2");
        SuiteBinary agnhost = SuiteBinary.agnhost("1.37.2");
        SuiteBinary ginkgo = SuiteBinary.ginkgo("2.32.0", "1.37.2");
        assertThat(e2e.dirName(e2e.version(versions))).isEqualTo("e2e-v1.37.2");
        assertThat(SuiteBinary.e2eTest("1.34.12").dirName("1.34.12")).isEqualTo("e2e-v1.34.12");
        assertThat(agnhost.dirName(agnhost.version(versions))).isEqualTo("agnhost-v1.37.2");
        assertThat(ginkgo.dirName(ginkgo.version(versions))).isEqualTo("ginkgo-v2.32.0");
        assertThat(e2e.describe("1.37.2")).isEqualTo("e2e v1.37.2");
        for (SuiteBinary binary : List.of(e2e, agnhost, ginkgo)) {
            assertThat(binary.set()).isSameAs(binary);
            assertThat(binary.binaries()).containsExactly(binary);
        }
        assertThat(e2e.fileName()).isEqualTo("e2e.test");
        assertThat(agnhost).isEqualTo(SuiteBinary.agnhost("1.37.2")).isNotEqualTo(SuiteBinary.agnhost("1.36.5"));
    }

    @Test
    void aProgramOfOneKubernetesVersionIsNotResolvedForAnother() {
        assertThatThrownBy(() -> SuiteBinary.ginkgo("2.32.0", "1.37.2").version(BinaryVersions.forKubernetes("1.34.12")))
                .isInstanceOf(BinaryException.class).hasMessageContaining("ginkgo v2.32.0 is the ginkgo the go.mod of "
                        + "Kubernetes 1.37.2 requires").hasMessageContaining("not of Kubernetes 1.34.12");
        assertThatThrownBy(() -> new SuiteBinary(SuiteBinary.Kind.AGNHOST, "2.66.1", "1.37.2"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("versioned by its Kubernetes version");
        assertThatThrownBy(() -> SuiteBinary.e2eTest("v1.37.2")).isInstanceOf(BinaryException.class)
                .hasMessageContaining("invalid kubernetes version 'v1.37.2'");
    }

    @Test
    void theirIdsDoNotTakeTheLibrarysCacheDirectories() {
        assertThat(Stream.of(SuiteBinary.Kind.values()).map(k -> new SuiteBinary(k, "1.37.2", "1.37.2").id()))
                .containsExactly("e2e", "agnhost", "ginkgo")
                .doesNotContainAnyElementsOf(Stream.of(ClusterBinarySet.values()).map(BinarySet::id).toList());
    }

    @Test
    void versionQueries() {
        assertThat(SuiteBinary.e2eTest("1.37.2").versionQuery().versionIn("v1.37.2\n")).contains("1.37.2");
        assertThat(SuiteBinary.agnhost("1.37.2").versionQuery().versionIn("agnhost version 1.37.2\n")).contains("1.37.2");
        assertThat(SuiteBinary.ginkgo("2.32.0", "1.37.2").versionQuery().versionIn("Ginkgo Version 2.32.0\n")).contains("2.32.0");
        assertThat(SuiteBinary.ginkgo("2.32.0", "1.37.2").versionQuery().arguments()).containsExactly("version");
        assertThat(SuiteBinary.e2eTest("1.37.2").versionQuery().arguments()).containsExactly("--version");
        assertThat(SuiteBinary.agnhost("1.37.2").versionQuery().versionIn("usage: agnhost")).isEmpty();
    }

    @Test
    void agnhostIsStampedWithItsKubernetesVersionAndBuiltInThatModule() {
        assertThat(SuiteBinary.agnhost("1.36.5").recipe()).isEqualTo(new PinnedProgramRecipe(SuiteBinary.agnhost("1.36.5"),
                "-s -w -X main.Version=1.36.5", "k8s.io/kubernetes/test/images/agnhost"));
        assertThat(SuiteBinary.ginkgo("2.28.1", "1.36.5").recipe()).isEqualTo(new PinnedProgramRecipe(
                SuiteBinary.ginkgo("2.28.1", "1.36.5"), "-s -w", "github.com/onsi/ginkgo/v2/ginkgo"));
    }

    @Test
    void theTestProgramsAreBuiltOnlyAtTheirPinnedVersions() {
        GoModuleBuilder builder = GoModuleBuilder.builder().build();
        assertThatThrownBy(() -> builder.build(SuiteBinary.ginkgo("2.21.0", "1.34.12"), "2.22.0", Path.of("/nonexistent")))
                .isInstanceOf(BinaryException.class)
                .hasMessageContaining("ginkgo 2.22.0 cannot be built here: polykube builds ginkgo 2.21.0, the ginkgo the "
                        + "go.mod of Kubernetes 1.34.12 requires");
        assertThatThrownBy(() -> builder.build(SuiteBinary.agnhost("1.37.2"), "2.66.1", Path.of("/nonexistent")))
                .isInstanceOf(BinaryException.class)
                .hasMessageContaining("agnhost 2.66.1 cannot be built here: polykube builds agnhost 1.37.2, agnhost of "
                        + "Kubernetes 1.37.2's source tree");
        assertThatThrownBy(() -> builder.build(SuiteBinary.e2eTest("1.37.2"), "1.36.5", Path.of("/nonexistent")))
                .isInstanceOf(BinaryException.class)
                .hasMessageContaining("e2e.test 1.36.5 cannot be built here: polykube builds e2e.test of Kubernetes 1.37.2");
        assertThatThrownBy(() -> builder.build(SuiteBinary.e2eTest("1.37.2"), "v1.37.2", Path.of("/nonexistent")))
                .isInstanceOf(BinaryException.class)
                .hasMessageContaining("invalid kubernetes version 'v1.37.2'");
    }
}
