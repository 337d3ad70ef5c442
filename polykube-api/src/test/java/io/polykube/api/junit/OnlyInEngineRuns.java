package io.polykube.api.junit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Fixture classes run only inside {@link EngineRuns}, never when a build selects them by a pattern. */
public final class OnlyInEngineRuns implements ExecutionCondition {
    public static final String PARAMETER = "polykube.test.fixtures";

    @Target(ElementType.TYPE)
    @Retention(RetentionPolicy.RUNTIME)
    @ExtendWith(OnlyInEngineRuns.class)
    public @interface Fixture {
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        return context.getConfigurationParameter(PARAMETER).isPresent()
                ? ConditionEvaluationResult.enabled("run by EngineRuns")
                : ConditionEvaluationResult.disabled("a fixture that the extension's ITs run through EngineRuns");
    }
}
