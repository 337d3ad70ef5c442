package io.polykube.api.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test class or method only when the Kubernetes version of its {@link WithPolykube} cluster lies between
 * {@link #min} and {@link #max} (both included; a bound without a patch, {@code "1.35"}, takes every patch of that
 * minor); otherwise it is skipped with the reason, before any cluster starts for it:
 *
 * <pre>{@code
 * @WithPolykube(version = "1.36")
 * class MyOperatorIT {
 *     @Test
 *     @EnabledForKubernetes(min = "1.37")   // skipped: "Kubernetes 1.36.5 is older than 1.37"
 *     void usesAnApiNewIn137() { ... }
 * }
 * }</pre>
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(KubernetesVersionCondition.class)
public @interface EnabledForKubernetes {

    /** The oldest version to run on, e.g. {@code "1.35"}; empty for no lower bound. */
    String min() default "";

    /** The newest version to run on, e.g. {@code "1.36"}; empty for no upper bound. */
    String max() default "";
}
