package io.polykube.api.junit;

import io.polykube.api.spec.ClusterSpec;
import io.polykube.api.spec.Mode;
import io.polykube.runtime.binaries.Binaries;
import io.polykube.runtime.binaries.BinaryException;
import io.polykube.runtime.binaries.BinaryVersions;
import io.polykube.runtime.binaries.ClusterBinary;
import io.polykube.runtime.binaries.GoModuleBuilder;
import io.polykube.runtime.binaries.KnownVersions;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Whether this host can run a requested cluster, and why not. */
final class HostCheck {
    private HostCheck() {
    }

    /** Whether this process runs as root (Mode's default for the current user is FULL exactly then). */
    static boolean root() {
        return Mode.defaultForCurrentUser() == Mode.FULL;
    }

    static String notRootMessage(Class<?> testClass) {
        return "@WithPolykube(mode = Mode.FULL) on " + testClass.getName() + " needs root (kubelet, containerd and iptables "
                + "do), but this JVM runs as user '" + System.getProperty("user.name") + "'. Run the tests as root, use "
                + "@WithPolykube(mode = Mode.CONTROL_PLANE) if they need no running pods, or add onUnsuitableHost = "
                + "OnUnsuitableHost.SKIP to skip them on such hosts";
    }

    /** Why {@code annotation} cannot run here (root), before any spec is built. */
    static Optional<String> modeProblem(Class<?> testClass, WithPolykube annotation) {
        return annotation.mode() == Mode.FULL && !root() ? Optional.of(notRootMessage(testClass)) : Optional.empty();
    }

    /**
     * Why the binaries {@code spec} needs cannot be had (runs each found binary once to check its version). A pinned
     * version that is not built yet is no problem when Go is there: the start builds it on first use.
     */
    static Optional<String> binaryProblem(ClusterSpec spec) {
        return binaryProblem(spec, System.getenv());
    }

    /** As {@link #binaryProblem(ClusterSpec)}, reading {@code PATH}, {@code POLYKUBE_CACHE_DIR} and {@code POLYKUBE_BIN_DIR} from {@code environment}. */
    static Optional<String> binaryProblem(ClusterSpec spec, Map<String, String> environment) {
        Set<ClusterBinary> needed = EnumSet.of(ClusterBinary.ETCD, ClusterBinary.KUBE_APISERVER, ClusterBinary.KUBE_CONTROLLER_MANAGER, ClusterBinary.KUBE_SCHEDULER);
        if (spec.mode() == Mode.FULL) {
            needed.addAll(EnumSet.of(ClusterBinary.KUBELET, ClusterBinary.KUBE_PROXY));
        }
        String version = spec.kubernetesVersion();
        Binaries.Builder builder = Binaries.builder().environment(environment)
                .versions(BinaryVersions.defaults().withKubernetes(version));
        spec.binaryDirectory().ifPresent(builder::binDir);
        try {
            builder.build().resolveAll(needed);
            return Optional.empty();
        } catch (BinaryException e) {
            if (spec.binaryDirectory().isEmpty() && KnownVersions.isPinned(version)) {
                return GoModuleBuilder.builder().environment(environment).build().toolchainProblem()
                        .map(go -> "polykube binaries for Kubernetes " + version + " are not built yet, and cannot be built "
                                + "here: " + go);
            }
            return Optional.of("polykube binaries for Kubernetes " + version + " are missing: " + e.getMessage());
        }
    }
}
