package io.polykube.api.junit;

import io.polykube.api.audit.AuditLog;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What exists only around each test, kept in the test's store: the {@link AuditLog} since the test began (when the
 * cluster audits) and the per-test namespace (with {@link WithPolykube#namespacePerTest()}), deleted after the test
 * unless it failed and the directory is kept. Either is null when the test has none.
 */
record PerTestValues(TestNamespace namespace, AuditLog audit) {
    /** The extension's log lines, under the logger they always had. */
    private static final Logger LOG = LoggerFactory.getLogger(PolykubeExtension.class);
    private static final String NAMESPACE = "test-namespace";
    private static final String AUDIT = "test-audit-log";

    /** Before a test: marks the audit log and creates the namespace, as the cluster and {@code owner} ask. */
    static PerTestValues open(ExtensionContext context, Owner owner, ClusterResource resource) {
        AuditLog audit = null;
        if (resource.cluster().spec().apiServer().audit().enabled()) {
            AuditLog log = resource.cluster().audit();
            audit = log.since(log.mark());
            context.getStore(ClusterLookup.STORE).put(AUDIT, audit);
        }
        TestNamespace namespace = null;
        if (owner.annotation().namespacePerTest()) {
            namespace = Namespaces.create(resource.cluster().client(), context.getRequiredTestMethod().getName(),
                    context.getUniqueId());
            context.getStore(ClusterLookup.STORE).put(NAMESPACE, namespace);
        }
        return new PerTestValues(namespace, audit);
    }

    /** The test's AuditLog, or null outside a test method or when the cluster does not audit. */
    static AuditLog audit(ExtensionContext context) {
        return context.getTestMethod().isPresent() ? context.getStore(ClusterLookup.STORE).get(AUDIT, AuditLog.class) : null;
    }

    /** The test's namespace, or null outside a test method or without one. */
    static TestNamespace namespace(ExtensionContext context) {
        return context.getTestMethod().isPresent()
                ? context.getStore(ClusterLookup.STORE).get(NAMESPACE, TestNamespace.class) : null;
    }

    /**
     * After a test: asks for the deletion of its namespace (the cluster's {@code resource} waits for it at close), or
     * keeps it when the test {@code failed} and the directory may be kept.
     */
    static void close(ExtensionContext context, Owner owner, ClusterResource resource, boolean failed) {
        TestNamespace namespace = context.getStore(ClusterLookup.STORE).remove(NAMESPACE, TestNamespace.class);
        if (namespace == null || resource == null) {
            return;
        }
        if (failed && owner.annotation().keepDirectory() != KeepDirectory.NEVER) {
            LOG.warn("Kept namespace {} of the failed test {} for inspection", namespace.name(), context.getDisplayName());
            return;
        }
        Namespaces.delete(resource.cluster().client(), namespace.name());
        resource.deleting(namespace.name());
    }
}
