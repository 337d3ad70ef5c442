package io.polykube.api.junit;

import io.polykube.api.faults.FaultLog;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.opentest4j.TestAbortedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records a failed test or class with its cluster, which then keeps its directory and writes a log bundle as the
 * annotations ask ({@link ClusterResource#close()}); the first failure prints the kept directory and publishes it as a
 * report entry. An aborted test (a failed assumption) is no failure.
 */
final class FailureEvidence {
    /** The extension's log lines, under the logger they always had. */
    private static final Logger LOG = LoggerFactory.getLogger(PolykubeExtension.class);

    private FailureEvidence() {
    }

    /** How the test or class of {@code context} failed, if it did. */
    static Optional<Throwable> failure(ExtensionContext context) {
        return context.getExecutionException().filter(t -> !(t instanceof TestAbortedException));
    }

    static void testFailed(ExtensionContext context, ClusterResource resource, Throwable failure) {
        record(context, resource, context.getRequiredTestClass().getSimpleName() + "."
                + context.getRequiredTestMethod().getName() + " [k8s " + resource.cluster().kubernetesVersion() + "]: "
                + firstLine(failure));
    }

    static void classFailed(ExtensionContext context, ClusterResource resource, Throwable failure) {
        record(context, resource, context.getRequiredTestClass().getSimpleName() + " [k8s " + resource.cluster().kubernetesVersion()
                + "]: " + firstLine(failure));
    }

    /**
     * After each test: a failed test's failure carries the faults it met (the fault proxy's log, as a suppressed
     * {@link InjectedFaultsMet} printed with its stack trace), and its report and log show them; then every rule is
     * withdrawn, so the next test starts without faults.
     */
    static void faultsMet(ExtensionContext context, ClusterResource resource, Optional<Throwable> failure) {
        resource.cluster().faultsIfStarted().ifPresent(faults -> {
            FaultLog log = faults.log();
            if (failure.isPresent() && !log.isEmpty()) {
                failure.get().addSuppressed(new InjectedFaultsMet(log));
                LOG.warn("{} failed after meeting these injected faults:\n{}", context.getDisplayName(), log.format());
                context.publishReportEntry(PolykubeExtension.REPORT_FAULTS, log.format());
            }
            faults.clear();
        });
    }

    private static String firstLine(Throwable failure) {
        String text = failure.getClass().getSimpleName() + (failure.getMessage() == null ? "" : ": " + failure.getMessage().strip());
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline) + " ...";
    }

    private static void record(ExtensionContext context, ClusterResource resource, String what) {
        if (resource.recordFailure(what) && resource.keepsOnFailure()) {
            Path dir = resource.cluster().directory();
            LOG.warn("{} failed: the directory of cluster '{}' (Kubernetes {}) will be kept: {}", context.getDisplayName(),
                    resource.cluster().name(), resource.cluster().kubernetesVersion(), dir);
            context.publishReportEntry(PolykubeExtension.REPORT_DIRECTORY, dir.toString());
        }
    }
}
