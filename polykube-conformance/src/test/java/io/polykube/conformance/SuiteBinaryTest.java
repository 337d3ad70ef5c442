package io.polykube.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.polykube.runtime.binaries.BinaryException;
import io.polykube.runtime.binaries.BinarySet;
import io.polykube.runtime.binaries.BinaryVersions;
import io.polykube.runtime.binaries.ClusterBinarySet;
import io.polykube.runtime.binaries.GoModuleBuilder;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The e2e suite's binaries as sets of the binary cache: names, versions, version queries and pinned builds; nothing built. */
class SuiteBinaryTest {

    @Test
    void eachIsASetOfItsOwnInTheCacheDirectoriesConformanceHasAlwaysUsed() {
        BinaryVersions versions = BinaryVersions.defaults();
        assertThat(SuiteBinary.E2E_TEST.dirName(SuiteBinary.E2E_TEST.version(versions)))
                .isEqualTo("e2e-v" + versions.kubernetes());
        assertThat(SuiteBinary.E2E_TEST.dirName("1.34.4")).isEqualTo("e2e-v1.34.4");
        assertThat(SuiteBinary.AGNHOST.dirName(SuiteBinary.AGNHOST.version(versions))).isEqualTo("agnhost-v2.56");
        assertThat(SuiteBinary.GINKGO.dirName(SuiteBinary.GINKGO.version(versions))).isEqualTo("ginkgo-v2.21.0");
        assertThat(SuiteBinary.E2E_TEST.describe("1.34.4")).isEqualTo("e2e v1.34.4");
        for (SuiteBinary binary : SuiteBinary.values()) {
            assertThat(binary.set()).isSameAs(binary);
            assertThat(binary.binaries()).containsExactly(binary);
        }
        assertThat(SuiteBinary.E2E_TEST.fileName()).isEqualTo("e2e.test");
    }

    @Test
    void theirIdsDoNotTakeTheLibrarysCacheDirectories() {
        assertThat(Arrays.stream(SuiteBinary.values()).map(BinarySet::id))
                .doesNotContainAnyElementsOf(Arrays.stream(ClusterBinarySet.values()).map(BinarySet::id).toList());
    }

    @Test
    void versionQueries() {
        assertThat(SuiteBinary.E2E_TEST.versionQuery().versionIn("v1.34.4\n")).contains("1.34.4");
        assertThat(SuiteBinary.AGNHOST.versionQuery().versionIn("app version 2.56\n")).contains("2.56");
        assertThat(SuiteBinary.GINKGO.versionQuery().versionIn("Ginkgo Version 2.21.0\n")).contains("2.21.0");
        assertThat(SuiteBinary.GINKGO.versionQuery().arguments()).containsExactly("version");
        assertThat(SuiteBinary.E2E_TEST.versionQuery().arguments()).containsExactly("--version");
        assertThat(SuiteBinary.AGNHOST.versionQuery().versionIn("usage: agnhost")).isEmpty();
    }

    @Test
    void theTestProgramsAreBuiltOnlyAtThePinnedVersions() {
        GoModuleBuilder builder = GoModuleBuilder.builder().build();
        assertThatThrownBy(() -> builder.build(SuiteBinary.GINKGO, "2.22.0", Path.of("/nonexistent")))
                .isInstanceOf(BinaryException.class)
                .hasMessageContaining("ginkgo 2.22.0 cannot be built: polykube builds only ginkgo 2.21.0");
        assertThatThrownBy(() -> builder.build(SuiteBinary.AGNHOST, "2.55", Path.of("/nonexistent")))
                .isInstanceOf(BinaryException.class)
                .hasMessageContaining("agnhost 2.55 cannot be built: polykube builds only agnhost 2.56");
        assertThatThrownBy(() -> builder.build(SuiteBinary.E2E_TEST, "v1.34.4", Path.of("/nonexistent")))
                .isInstanceOf(BinaryException.class)
                .hasMessageContaining("invalid kubernetes version 'v1.34.4'");
    }
}
