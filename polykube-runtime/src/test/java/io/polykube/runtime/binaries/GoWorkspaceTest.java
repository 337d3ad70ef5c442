package io.polykube.runtime.binaries;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GoWorkspaceTest {
    @Test
    void aSubstituteIsAnEarlierPatchOfTheSameMinor() {
        assertThat(GoWorkspace.sameMinorBelow("v0.33.5", "v0.33.13")).isTrue();
        assertThat(GoWorkspace.sameMinorBelow("v0.33.13", "v0.33.13")).isFalse();
        assertThat(GoWorkspace.sameMinorBelow("v0.33.14", "v0.33.13")).isFalse();
        assertThat(GoWorkspace.sameMinorBelow("v0.32.9", "v0.33.13")).isFalse();
        assertThat(GoWorkspace.sameMinorBelow("v1.33.5", "v0.33.13")).isFalse();
        assertThat(GoWorkspace.sameMinorBelow("v0.33.5-rc.1", "v0.33.13")).isFalse();
    }
}
