package io.polykube.samples.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.polykube.api.PolykubeException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SampleApiServerBinaryTest {

    @Test
    void theStagingVersionOfKubernetes1344IsV0344AndNamesTheCacheDirectory() {
        assertThat(SampleApiServerBinary.stagingVersion("1.34.4")).isEqualTo("0.34.4");
        assertThat(new SampleApiServerBinary(Path.of("/cache/bin"), "1.34.4").path())
                .isEqualTo(Path.of("/cache/bin/sample-apiserver-v0.34.4/sample-apiserver"));
        assertThatThrownBy(() -> SampleApiServerBinary.stagingVersion("v1.34")).isInstanceOf(PolykubeException.class)
                .hasMessageContaining("1.MINOR.PATCH");
    }

    @Test
    void theSampleApiServerIsBuiltOnlyWhenTheFocusSelectsItAndTheSkipDoesNot() {
        String test = ConformanceRun.SAMPLE_API_SERVER_TEST;
        assertThat(ConformanceRun.selects(ConformanceRun.DEFAULT_FOCUS, "", test)).isTrue();
        assertThat(ConformanceRun.selects(ConformanceRun.DEFAULT_FOCUS, SkipList.defaults().combined(), test)).isTrue();
        assertThat(ConformanceRun.selects(ConformanceRun.DEFAULT_FOCUS, "(?:\\[Serial\\])|(?:Sample API Server)", test)).isFalse();
        assertThat(ConformanceRun.selects("\\[sig-network\\] DNS", "", test)).isFalse();
    }
}
