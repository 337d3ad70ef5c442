package io.polykube.api.junit;

import io.polykube.api.error.PolykubeException;
import io.polykube.api.spec.KubernetesVersion;
import java.lang.reflect.AnnotatedElement;
import java.util.Optional;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * {@link EnabledForKubernetes}: compares the version of the cluster the test's {@link WithPolykube} asks for (its
 * {@code version}, or what its configurer sets, or the default) with the bounds, without starting anything.
 */
final class KubernetesVersionCondition implements ExecutionCondition {

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        Optional<AnnotatedElement> element = context.getElement();
        Optional<EnabledForKubernetes> bounds = element.flatMap(e -> AnnotationSupport.findAnnotation(e, EnabledForKubernetes.class));
        if (bounds.isEmpty()) {
            return ConditionEvaluationResult.enabled("no @EnabledForKubernetes");
        }
        Owner owner = Owner.of(context);
        if (owner.isMatrixTemplate()) {
            return ConditionEvaluationResult.enabled("decided for each version of the matrix");
        }
        if (AnnotationSupport.findAnnotation(owner.testClass(), WithPolykube.class).isEmpty()) {
            throw new ExtensionConfigurationException("@EnabledForKubernetes on " + element.get() + " needs @WithPolykube on "
                    + "its test class: the version compared is that of the class's cluster");
        }
        KubernetesVersion version;
        try {
            version = KubernetesVersion.of(ClusterRequest.of(owner).keySpec().kubernetesVersion());
        } catch (PolykubeException e) {
            return ConditionEvaluationResult.enabled("the cluster's spec is refused; the extension reports why");
        }
        return evaluate(version, bounds.get().min(), bounds.get().max());
    }

    /**
     * In an invocation of a version matrix, why its class's {@link EnabledForKubernetes} excludes its version (empty: it
     * does not). Class conditions are evaluated once for the whole class template, before its versions are known.
     */
    static Optional<String> outsideClassBounds(Owner owner) {
        if (owner.version() == null) {
            return Optional.empty();
        }
        Optional<EnabledForKubernetes> bounds = AnnotationSupport.findAnnotation(owner.testClass(), EnabledForKubernetes.class);
        if (bounds.isEmpty()) {
            return Optional.empty();
        }
        ConditionEvaluationResult result = evaluate(KubernetesVersion.of(owner.version()), bounds.get().min(), bounds.get().max());
        return result.isDisabled() ? result.getReason() : Optional.empty();
    }

    /** Whether {@code version} lies within {@code min} and {@code max} (empty: no bound), with the reason. */
    static ConditionEvaluationResult evaluate(KubernetesVersion version, String min, String max) {
        try {
            if (!min.isBlank() && version.isOlderThan(min)) {
                return ConditionEvaluationResult.disabled("Kubernetes " + version + " is older than " + min.trim()
                        + " (@EnabledForKubernetes(min = \"" + min.trim() + "\"))");
            }
            if (!max.isBlank() && !version.isAtMost(max)) {
                return ConditionEvaluationResult.disabled("Kubernetes " + version + " is newer than " + max.trim()
                        + " (@EnabledForKubernetes(max = \"" + max.trim() + "\"))");
            }
        } catch (IllegalArgumentException e) {
            throw new ExtensionConfigurationException("@EnabledForKubernetes: " + e.getMessage(), e);
        }
        return ConditionEvaluationResult.enabled("Kubernetes " + version + " is within @EnabledForKubernetes(min = \"" + min
                + "\", max = \"" + max + "\")");
    }
}
