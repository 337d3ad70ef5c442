package io.polykube.api.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a field (instance or static, not final) that {@link WithPolykube} sets: {@link io.polykube.api.Cluster},
 * {@code KubernetesClient} (admin), {@link TestNamespace} or the fabric8 {@code Namespace} (per test, instance fields
 * only, with {@code namespacePerTest = true}). For the kubeconfig use {@link PolykubeKubeconfig}. Parameters of these
 * types need no annotation.
 */
@Target({ElementType.FIELD, ElementType.PARAMETER})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Polykube {
}
