package io.polykube.api.junit;

import io.polykube.api.spec.ClusterSpec;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterClassTemplateInvocationCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeClassTemplateInvocationCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ClassTemplateInvocationContext;
import org.junit.jupiter.api.extension.ClassTemplateInvocationContextProvider;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestInstancePostProcessor;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The JUnit Jupiter extension behind {@link WithPolykube}; use the annotation rather than registering this class.
 *
 * <p>State lives only in JUnit stores: shared clusters in the root store (keyed by their spec, so equal specs share one
 * start, also under parallel execution), a {@link WithPolykube#freshCluster() fresh} cluster in its class's store, the
 * per-test namespace in the test's store. JUnit closes the clusters when those scopes end.
 *
 * <p>Each cluster start is published as a report entry with the keys {@value #REPORT_STARTED} (the cluster name),
 * {@value #REPORT_DIRECTORY} and {@value #REPORT_START_MILLIS}; a failure that keeps a directory publishes
 * {@value #REPORT_DIRECTORY} once more.
 */
public final class PolykubeExtension implements ExecutionCondition, TestInstancePostProcessor, BeforeAllCallback,
        AfterAllCallback, BeforeEachCallback, AfterEachCallback, ParameterResolver, ClassTemplateInvocationContextProvider,
        BeforeClassTemplateInvocationCallback, AfterClassTemplateInvocationCallback {

    /** Configuration parameter (or system property): the directory under which cluster directories are created. */
    public static final String DIRECTORY_PARAMETER = "polykube.junit.directory";
    /** Configuration parameter (or system property): where a failed test's log bundle is written (see {@link WithPolykube#exportLogsOnFailure()}). */
    public static final String LOGS_PARAMETER = "polykube.junit.logsDirectory";
    /**
     * Configuration parameter (or system property): {@code true} reuses every class's cluster across JVMs (see
     * {@link WithPolykube#reuse()}), {@code false} none, {@code force} even when {@code CI=true}.
     */
    public static final String REUSE_PARAMETER = "polykube.reuse";
    /** Configuration parameter (or system property): how long a reused cluster waits unused before it stops, e.g. {@code PT1H}. */
    public static final String REUSE_IDLE_PARAMETER = "polykube.reuse.idle";
    /** Report entry key published when a class attaches to a reused cluster: its owner's pid. */
    public static final String REPORT_REUSED_OWNER = "polykube.reusedOwner";
    /** Report entry key published when a cluster starts; its value is the cluster's name. */
    public static final String REPORT_STARTED = "polykube.started";
    /** Report entry key: the directory of a started cluster, or of one kept after a failure. */
    public static final String REPORT_DIRECTORY = "polykube.directory";
    /** The report entry key of the faults a failed test met (the fault proxy's log). */
    public static final String REPORT_FAULTS = "polykube.faults";
    /** Report entry key: how long a cluster took to start, in milliseconds. */
    public static final String REPORT_START_MILLIS = "polykube.startMillis";

    private record BinaryCheckKey(ClusterSpec spec) {
    }

    private record BinaryCheck(Optional<String> problem) {
    }

    public PolykubeExtension() {
        // Stateless: everything is in JUnit's stores.
    }

    // ---------------------------------------------------------------- host suitability

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (context.getTestMethod().isPresent()) {
            return ConditionEvaluationResult.enabled("decided for the class");
        }
        Owner owner = Owner.of(context);
        if (owner.annotation().onUnsuitableHost() != OnUnsuitableHost.SKIP) {
            return ConditionEvaluationResult.enabled("onUnsuitableHost = FAIL: problems fail the class");
        }
        Optional<String> problem = HostCheck.modeProblem(owner.testClass(), owner.annotation());
        List<String> versions = owner.isMatrixTemplate() ? VersionMatrix.versions(owner.testClass(), owner.annotation())
                : Collections.singletonList(owner.version());
        for (int i = 0; i < versions.size() && problem.isEmpty(); i++) {
            ClusterSpec spec = ClusterRequest.of(owner.testClass(), owner.annotation(), versions.get(i)).keySpec();
            problem = owner.context().getRoot().getStore(ClusterLookup.STORE).getOrComputeIfAbsent(new BinaryCheckKey(spec),
                    k -> new BinaryCheck(HostCheck.binaryProblem(spec)), BinaryCheck.class).problem();
        }
        return problem.map(p -> ConditionEvaluationResult.disabled("polykube cannot run here (onUnsuitableHost = SKIP): " + p))
                .orElseGet(() -> ConditionEvaluationResult.enabled("the host can run the cluster"));
    }

    // ---------------------------------------------------------------- versions

    /** Every {@link WithPolykube} class is a class template: once per version of {@link WithPolykube#versions()}, else once. */
    @Override
    public boolean supportsClassTemplate(ExtensionContext context) {
        return AnnotationSupport.findAnnotation(context.getRequiredTestClass(), WithPolykube.class).isPresent();
    }

    @Override
    public Stream<? extends ClassTemplateInvocationContext> provideClassTemplateInvocationContexts(ExtensionContext context) {
        Owner owner = Owner.of(context);
        return VersionMatrix.invocations(owner.testClass(), owner.annotation());
    }

    // ---------------------------------------------------------------- lifecycle

    @Override
    public void beforeAll(ExtensionContext context) {
        Owner owner = Owner.of(context);
        Class<?> testClass = context.getRequiredTestClass();
        Injector.validateFields(testClass, owner);
        if (owner.isMatrixTemplate()) {
            return; // once for the whole matrix: each version's cluster is taken in beforeClassTemplateInvocation
        }
        takeCluster(owner, testClass);
    }

    /** A version of a matrix begins: its class bounds, its cluster, its static fields. */
    @Override
    public void beforeClassTemplateInvocation(ExtensionContext context) {
        Owner owner = Owner.of(context);
        if (owner.version() == null) {
            return; // a class without versions: its beforeAll took the cluster
        }
        // a class-level @EnabledForKubernetes is evaluated once for the whole template: here per version, before its cluster
        KubernetesVersionCondition.outsideClassBounds(owner).ifPresent(Assumptions::abort);
        takeCluster(owner, context.getRequiredTestClass());
    }

    private static void takeCluster(Owner owner, Class<?> testClass) {
        ClusterResource resource = ClusterLookup.resource(owner);
        if (owner.annotation().reset() == Reset.PER_CLASS && testClass == owner.testClass()) {
            resource.resetIfUsed();
        }
        resource.markUsed();
        Injector.injectStatic(testClass, owner, resource);
    }

    @Override
    public void postProcessTestInstance(Object testInstance, ExtensionContext context) {
        Owner owner = Owner.of(context);
        Injector.validateFields(testInstance.getClass(), owner);
        ClusterResource resource = ClusterLookup.resource(owner);
        Injector.injectInstance(testInstance, owner, resource);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        Owner owner = Owner.of(context);
        if (owner.annotation().reset() == Reset.PER_METHOD) {
            ClusterLookup.resource(owner).resetIfUsed();
        }
        ClusterLookup.resource(owner).markUsed();
        ClusterResource resource = ClusterLookup.resource(owner);
        PerTestValues values = PerTestValues.open(context, owner, resource);
        for (Object instance : context.getRequiredTestInstances().getAllInstances()) {
            Injector.injectEachTest(instance, owner, resource, values);
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Owner owner = Owner.of(context);
        ClusterResource resource = ClusterLookup.existingResource(owner);
        Optional<Throwable> failure = FailureEvidence.failure(context);
        if (failure.isPresent() && resource != null) {
            FailureEvidence.testFailed(context, resource, failure.get());
        }
        if (resource != null) {
            FailureEvidence.faultsMet(context, resource, failure);
        }
        PerTestValues.close(context, owner, resource, failure.isPresent());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        classFinished(context, Owner.of(context));
    }

    @Override
    public void afterClassTemplateInvocation(ExtensionContext context) {
        Owner owner = Owner.of(context);
        if (owner.version() != null) {
            classFinished(context, owner);
        }
    }

    private static void classFinished(ExtensionContext context, Owner owner) {
        Optional<Throwable> failure = FailureEvidence.failure(context);
        ClusterResource resource = ClusterLookup.existingResource(owner);
        if (failure.isPresent() && resource != null) {
            FailureEvidence.classFailed(context, resource, failure.get());
        }
    }

    // ---------------------------------------------------------------- parameters

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return Injector.supports(parameterContext);
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return Injector.resolve(parameterContext, extensionContext, Owner.of(extensionContext));
    }
}
