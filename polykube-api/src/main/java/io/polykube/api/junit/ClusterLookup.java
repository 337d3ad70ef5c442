package io.polykube.api.junit;

import io.polykube.api.spec.ClusterSpec;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Finds the cluster of a test class in JUnit's stores, started on first use: in the root store, keyed by the spec, so
 * equal specs share one start (also under parallel execution), or, for a {@link WithPolykube#freshCluster() fresh}
 * cluster, in the owning class's store. JUnit closes the clusters when those scopes end.
 */
final class ClusterLookup {
    /** The extension's part of every JUnit store. */
    static final ExtensionContext.Namespace STORE = ExtensionContext.Namespace.create(PolykubeExtension.class);
    private static final String REQUEST = "request";
    private static final String FRESH = "fresh-cluster";

    /** The cluster of all classes whose requests have this key spec. */
    private record SharedKey(ClusterSpec spec) {
    }

    private ClusterLookup() {
    }

    /** What {@code owner} asks for, made once per owning class. */
    static ClusterRequest request(Owner owner) {
        return owner.context().getStore(STORE).getOrComputeIfAbsent(REQUEST,
                k -> ClusterRequest.of(owner.testClass(), owner.annotation()), ClusterRequest.class);
    }

    /** The cluster for {@code owner}, started on first use (once per spec in the JVM, or once per class if fresh). */
    static ClusterResource resource(Owner owner) {
        ClusterRequest request = request(owner);
        ClusterResource resource;
        if (owner.annotation().freshCluster()) {
            resource = owner.context().getStore(STORE).getOrComputeIfAbsent(FRESH,
                    k -> ClusterStarter.start(request, owner, request.derivedName(owner.testClass().getName()), "its own cluster"),
                    ClusterResource.class);
        } else {
            resource = owner.context().getRoot().getStore(STORE).getOrComputeIfAbsent(new SharedKey(request.keySpec()),
                    k -> ClusterStarter.start(request, owner, request.derivedName(""),
                            "a cluster shared with the classes asking for the same spec"),
                    ClusterResource.class);
        }
        resource.use(owner.annotation().keepDirectory());
        if (owner.annotation().exportLogsOnFailure()) {
            resource.exportLogsOnFailure();
        }
        resource.logsDirectory(owner.context().getConfigurationParameter(PolykubeExtension.LOGS_PARAMETER).map(Path::of)
                .orElseGet(ClusterResource::defaultLogsDirectory));
        return resource;
    }

    /** The cluster for {@code owner} if one was started, else null; never starts one. */
    static ClusterResource existingResource(Owner owner) {
        try {
            ClusterRequest request = owner.context().getStore(STORE).get(REQUEST, ClusterRequest.class);
            if (request == null) {
                return null;
            }
            return owner.annotation().freshCluster() ? owner.context().getStore(STORE).get(FRESH, ClusterResource.class)
                    : owner.context().getRoot().getStore(STORE).get(new SharedKey(request.keySpec()), ClusterResource.class);
        } catch (RuntimeException e) {
            return null; // its creation failed; that failure is already reported
        }
    }
}
