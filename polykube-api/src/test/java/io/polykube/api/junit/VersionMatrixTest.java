package io.polykube.api.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.polykube.runtime.binaries.KnownVersions;
import io.polykube.runtime.binaries.KubernetesRelease;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.Test;

class VersionMatrixTest {

    @WithPolykube(versions = {"1.36", "default", "1.37", "1.36.3"})
    static class Listed {
    }

    @WithPolykube(versions = "supported")
    static class Supported {
    }

    @WithPolykube(versions = {"all"})
    static class All {
    }

    @WithPolykube(versions = {"1.36", "1.99"})
    static class Unknown {
    }

    @WithPolykube(version = "1.36", versions = {"1.37"})
    static class Both {
    }

    private static java.util.List<String> versions(Class<?> c) {
        return VersionMatrix.versions(c, c.getAnnotation(WithPolykube.class));
    }

    @Test
    void minorsStandForTheirPinnedPatchInOrderWithoutRepeats() {
        String pinned136 = KnownVersions.release("1.36").patch();
        assertThat(versions(Listed.class)).containsExactly(pinned136, KnownVersions.DEFAULT_VERSION, "1.36.3");
    }

    @Test
    void supportedAndAllNameTheTablesMinors() {
        assertThat(versions(Supported.class)).containsExactlyElementsOf(
                KnownVersions.supported().stream().map(KubernetesRelease::patch).toList());
        assertThat(versions(All.class)).containsExactlyElementsOf(KnownVersions.all().stream().map(KubernetesRelease::patch).toList());
    }

    @Test
    void anUnknownMinorIsRefusedNamingTheKnownOnes() {
        assertThatThrownBy(() -> versions(Unknown.class)).isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining(Unknown.class.getName()).hasMessageContaining("1.99")
                .hasMessageContaining(KnownVersions.knownMinors()).hasMessageContaining("supported");
    }

    @Test
    void versionAndVersionsTogetherAreRefused() {
        assertThatThrownBy(() -> versions(Both.class)).isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("sets both version = \"1.36\" and versions");
    }
}
