package io.polykube.api.junit;

import io.polykube.api.spec.ClusterSpec;

/**
 * Adjusts the spec of the cluster a {@link WithPolykube} class runs on; named by {@link WithPolykube#configurer()} and
 * created through its no-argument constructor. The builder arrives with the annotation's mode and version and etcd's
 * {@code unsafeNoFsync(true)} (test data need not survive a power cut); name and directory are chosen by the extension
 * unless set here.
 *
 * <pre>{@code
 * public class WithAuditGate implements PolykubeConfigurer {
 *     public void configure(ClusterSpec.Builder<?> cluster) {
 *         cluster.apiServer(a -> a.featureGate("MutatingAdmissionPolicy", true));
 *     }
 * }
 * }</pre>
 */
@FunctionalInterface
public interface PolykubeConfigurer {
    /** Changes {@code cluster} as this test class needs. */
    void configure(ClusterSpec.Builder<?> cluster);
}
