package io.polykube.api.junit;

import io.polykube.api.spec.ClusterSpec;
import io.polykube.api.spec.Mode;
import java.util.List;
import java.util.Optional;
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

    /**
     * Classes share a cluster when they ask for the same spec, the same webhook manifests and the same server class, and
     * both reuse one across JVMs or neither does.
     */
    private record SharedKey(ClusterSpec spec, List<String> webhooks, Class<?> webhookServer, boolean reused) {
        static SharedKey of(ClusterRequest request, boolean reused) {
            return new SharedKey(request.keySpec(), List.of(request.annotation().webhooks()),
                    request.annotation().webhookServer(), reused);
        }
    }

    private ClusterLookup() {
    }

    /**
     * What {@code owner} asks for, made once per owning class (and version: a store also answers with its parents' values,
     * so the key names the version a class template invocation runs).
     */
    static ClusterRequest request(Owner owner) {
        return owner.context().getStore(STORE).getOrComputeIfAbsent(requestKey(owner), k -> ClusterRequest.of(owner),
                ClusterRequest.class);
    }

    private static String requestKey(Owner owner) {
        return owner.version() == null ? REQUEST : REQUEST + "@" + owner.version();
    }

    /**
     * Whether the class (or this invocation of it) gets a cluster of its own, stopped at its end: asked for, or a FULL
     * cluster in a version matrix (one FULL cluster per host: the next version's starts after this one stopped).
     */
    private static boolean ownCluster(Owner owner, ClusterRequest request) {
        return owner.annotation().freshCluster() || (owner.version() != null && request.keySpec().mode() == Mode.FULL);
    }

    /** The cluster for {@code owner}, started on first use (once per spec in the JVM, or once per class if fresh). */
    static ClusterResource resource(Owner owner) {
        ClusterRequest request = request(owner);
        boolean reused = ReusedClusters.wanted(owner); // refuses reuse = true where it cannot be, before anything starts
        ClusterResource resource;
        if (ownCluster(owner, request)) {
            resource = owner.context().getStore(STORE).getOrComputeIfAbsent(freshKey(owner),
                    k -> ClusterStarter.start(request, owner, request.derivedName(owner.testClass().getName()), "its own cluster"),
                    ClusterResource.class);
        } else {
            SharedKey key = SharedKey.of(request, reused);
            resource = owner.context().getRoot().getStore(STORE).getOrComputeIfAbsent(key,
                    k -> (key.reused() ? ReusedClusters.attach(request, owner) : Optional.<ClusterResource>empty())
                            .orElseGet(() -> ClusterStarter.start(request, owner, request.derivedName(""),
                                    "a cluster shared with the classes asking for the same spec")),
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

    private static String freshKey(Owner owner) {
        return owner.version() == null ? FRESH : FRESH + "@" + owner.version();
    }

    /** The cluster for {@code owner} if one was started, else null; never starts one. */
    static ClusterResource existingResource(Owner owner) {
        try {
            ClusterRequest request = owner.context().getStore(STORE).get(requestKey(owner), ClusterRequest.class);
            if (request == null) {
                return null;
            }
            return ownCluster(owner, request) ? owner.context().getStore(STORE).get(freshKey(owner), ClusterResource.class)
                    : owner.context().getRoot().getStore(STORE).get(SharedKey.of(request, ReusedClusters.wanted(owner)),
                            ClusterResource.class);
        } catch (RuntimeException e) {
            return null; // its creation failed; that failure is already reported
        }
    }
}
