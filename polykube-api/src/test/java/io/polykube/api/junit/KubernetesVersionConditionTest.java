package io.polykube.api.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.polykube.api.spec.KubernetesVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

class KubernetesVersionConditionTest {
    private static final KubernetesVersion V136 = KubernetesVersion.of("1.36.5");

    @Test
    void runsWithinTheBoundsAndSkipsOutsideWithTheReason() {
        assertThat(KubernetesVersionCondition.evaluate(V136, "1.35", "").isDisabled()).isFalse();
        assertThat(KubernetesVersionCondition.evaluate(V136, "1.36", "1.36").isDisabled()).isFalse();
        ConditionEvaluationResult older = KubernetesVersionCondition.evaluate(V136, "1.37", "");
        assertThat(older.isDisabled()).isTrue();
        assertThat(older.getReason()).hasValue("Kubernetes 1.36.5 is older than 1.37 (@EnabledForKubernetes(min = \"1.37\"))");
        ConditionEvaluationResult newer = KubernetesVersionCondition.evaluate(V136, "", "1.35");
        assertThat(newer.getReason()).hasValue("Kubernetes 1.36.5 is newer than 1.35 (@EnabledForKubernetes(max = \"1.35\"))");
    }

    @Test
    void aBoundThatIsNoVersionIsAConfigurationError() {
        assertThatThrownBy(() -> KubernetesVersionCondition.evaluate(V136, "newest", ""))
                .isInstanceOf(ExtensionConfigurationException.class).hasMessageContaining("'newest' is not a Kubernetes version");
    }
}
