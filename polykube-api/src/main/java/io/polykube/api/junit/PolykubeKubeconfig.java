package io.polykube.api.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Injects a kubeconfig of the {@link WithPolykube} cluster into a field (instance or static, not final) or a parameter
 * of type {@code java.nio.file.Path} (the file) or {@code String} (its YAML). By default the admin's; with
 * {@link #user()} a new client certificate for that user, who can do nothing until RBAC allows it:
 *
 * <pre>{@code
 * @Test void forbidden(@PolykubeKubeconfig(user = "alice") Path alice) { ... }
 * @PolykubeKubeconfig(user = "operator", groups = "system:masters", faults = true) Path operatorKubeconfig;
 * }</pre>
 */
@Target({ElementType.FIELD, ElementType.PARAMETER})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface PolykubeKubeconfig {
    /** The user (certificate CN); empty means the cluster admin ({@code kubernetes-admin} in {@code system:masters}). */
    String user() default "";

    /** The user's groups (certificate O), e.g. {@code "dev"}; only with {@link #user()}. */
    String[] groups() default {};

    /**
     * Whether the kubeconfig goes through the cluster's fault proxy ({@code Cluster.faults()}), so the code under test meets
     * the faults a test injects while the test's own client stays direct. The extension withdraws every rule after each
     * test.
     */
    boolean faults() default false;
}
