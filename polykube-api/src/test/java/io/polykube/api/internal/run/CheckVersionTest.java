package io.polykube.api.internal.run;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.polykube.api.error.PolykubeException;
import org.junit.jupiter.api.Test;

class CheckVersionTest {

    @Test
    void theSameMinorAndTheNextOneGoOn() {
        assertThatCode(() -> CheckVersion.check("c", "/d", "1.36.5", "1.36.5")).doesNotThrowAnyException();
        assertThatCode(() -> CheckVersion.check("c", "/d", "1.36.5", "1.36.3")).doesNotThrowAnyException();
        assertThatCode(() -> CheckVersion.check("c", "/d", "1.36.5", "1.37.2")).doesNotThrowAnyException();
    }

    @Test
    void aDowngradeIsRefusedNamingBothVersions() {
        assertThatThrownBy(() -> CheckVersion.check("c", "/d", "1.37.2", "1.36.5")).isInstanceOf(PolykubeException.class)
                .hasMessageContaining("cannot start with Kubernetes 1.36.5").hasMessageContaining("last run with 1.37.2")
                .hasMessageContaining("downgrade").hasMessageContaining("./polykube delete c");
    }

    @Test
    void aSkippedMinorIsRefusedNamingTheNextStep() {
        assertThatThrownBy(() -> CheckVersion.check("c", "/d", "1.33.13", "1.35.8")).isInstanceOf(PolykubeException.class)
                .hasMessageContaining("one minor at a time").hasMessageContaining("Start it with 1.34 first");
    }
}
