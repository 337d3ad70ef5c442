package io.polykube.api.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class KubernetesVersionTest {

    @Test
    void comparesWithBoundsOnTheMinorOrThePatch() {
        KubernetesVersion v = KubernetesVersion.of("1.36.5");
        assertThat(v).hasToString("1.36.5");
        assertThat(v.minorVersion()).isEqualTo("1.36");
        assertThat(v.isAtLeast("1.36")).isTrue();
        assertThat(v.isAtMost("1.36")).as("every 1.36 patch is at most 1.36").isTrue();
        assertThat(v.isAtLeast("1.36.6")).isFalse();
        assertThat(v.isOlderThan("1.37")).isTrue();
        assertThat(v.isOlderThan("1.36")).isFalse();
        assertThat(v.isAtMost("1.35")).isFalse();
        assertThat(KubernetesVersion.of("v1.37")).isEqualTo(new KubernetesVersion(1, 37, 0));
        assertThat(KubernetesVersion.of("1.9.0")).isLessThan(KubernetesVersion.of("1.10.0"));
    }

    @Test
    void textThatIsNoVersionIsRefusedSayingHowToWriteOne() {
        assertThatThrownBy(() -> KubernetesVersion.of("latest")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'latest' is not a Kubernetes version: write it as 1.35 or 1.35.2");
        assertThatThrownBy(() -> KubernetesVersion.of("1.36.5").isAtLeast("1.x")).hasMessageContaining("'1.x'");
    }
}
