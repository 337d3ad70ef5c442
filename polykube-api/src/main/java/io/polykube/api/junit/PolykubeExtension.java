package io.polykube.api.junit;

import io.polykube.api.audit.AuditLog;
import io.polykube.api.spec.ClusterSpec;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestInstancePostProcessor;
import org.junit.platform.commons.support.AnnotationSupport;
import org.opentest4j.TestAbortedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
        AfterAllCallback, BeforeEachCallback, AfterEachCallback, ParameterResolver {

    /** Configuration parameter (or system property): the directory under which cluster directories are created. */
    public static final String DIRECTORY_PARAMETER = "polykube.junit.directory";
    /** Configuration parameter (or system property): where a failed test's log bundle is written (see {@link WithPolykube#exportLogsOnFailure()}). */
    public static final String LOGS_PARAMETER = "polykube.junit.logsDirectory";
    /** Report entry key published when a cluster starts; its value is the cluster's name. */
    public static final String REPORT_STARTED = "polykube.started";
    /** Report entry key: the directory of a started cluster, or of one kept after a failure. */
    public static final String REPORT_DIRECTORY = "polykube.directory";
    /** Report entry key: how long a cluster took to start, in milliseconds. */
    public static final String REPORT_START_MILLIS = "polykube.startMillis";

    private static final Logger LOG = LoggerFactory.getLogger(PolykubeExtension.class);
    private static final String NAMESPACE = "test-namespace";
    private static final String AUDIT = "test-audit-log";

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
        if (problem.isEmpty()) {
            ClusterSpec spec = ClusterLookup.request(owner).keySpec();
            problem = owner.context().getRoot().getStore(ClusterLookup.STORE).getOrComputeIfAbsent(new BinaryCheckKey(spec),
                    k -> new BinaryCheck(HostCheck.binaryProblem(spec)), BinaryCheck.class).problem();
        }
        return problem.map(p -> ConditionEvaluationResult.disabled("polykube cannot run here (onUnsuitableHost = SKIP): " + p))
                .orElseGet(() -> ConditionEvaluationResult.enabled("the host can run the cluster"));
    }

    // ---------------------------------------------------------------- lifecycle

    @Override
    public void beforeAll(ExtensionContext context) {
        Owner owner = Owner.of(context);
        Class<?> testClass = context.getRequiredTestClass();
        validateFields(testClass, owner);
        ClusterResource resource = ClusterLookup.resource(owner);
        if (owner.annotation().reset() == Reset.PER_CLASS && testClass == owner.testClass()) {
            resource.resetIfUsed();
        }
        resource.markUsed();
        injectFields(null, testClass, owner, f -> Modifier.isStatic(f.getModifiers()), resource, null, null);
    }

    @Override
    public void postProcessTestInstance(Object testInstance, ExtensionContext context) {
        Owner owner = Owner.of(context);
        validateFields(testInstance.getClass(), owner);
        ClusterResource resource = ClusterLookup.resource(owner);
        injectFields(testInstance, testInstance.getClass(), owner,
                f -> !Modifier.isStatic(f.getModifiers()) && !fieldKind(f, owner).eachTest(), resource, null, null);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        Owner owner = Owner.of(context);
        if (owner.annotation().reset() == Reset.PER_METHOD) {
            ClusterLookup.resource(owner).resetIfUsed();
        }
        ClusterLookup.resource(owner).markUsed();
        ClusterResource resource = ClusterLookup.resource(owner);
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
        for (Object instance : context.getRequiredTestInstances().getAllInstances()) {
            injectFields(instance, instance.getClass(), owner,
                    f -> !Modifier.isStatic(f.getModifiers()) && fieldKind(f, owner).eachTest(), resource, namespace, audit);
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Owner owner = Owner.of(context);
        ClusterResource resource = ClusterLookup.existingResource(owner);
        Optional<Throwable> failure = failure(context);
        if (failure.isPresent() && resource != null) {
            recordFailure(context, resource, context.getRequiredTestClass().getSimpleName() + "."
                    + context.getRequiredTestMethod().getName() + ": " + firstLine(failure.get()));
        }
        TestNamespace namespace = context.getStore(ClusterLookup.STORE).remove(NAMESPACE, TestNamespace.class);
        if (namespace == null || resource == null) {
            return;
        }
        if (failure.isPresent() && owner.annotation().keepDirectory() != KeepDirectory.NEVER) {
            LOG.warn("Kept namespace {} of the failed test {} for inspection", namespace.name(), context.getDisplayName());
            return;
        }
        Namespaces.delete(resource.cluster().client(), namespace.name());
        resource.deleting(namespace.name());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        Optional<Throwable> failure = failure(context);
        ClusterResource resource = ClusterLookup.existingResource(Owner.of(context));
        if (failure.isPresent() && resource != null) {
            recordFailure(context, resource, context.getRequiredTestClass().getSimpleName() + ": " + firstLine(failure.get()));
        }
    }

    private static String firstLine(Throwable failure) {
        String text = failure.getClass().getSimpleName() + (failure.getMessage() == null ? "" : ": " + failure.getMessage().strip());
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline) + " ...";
    }

    private static Optional<Throwable> failure(ExtensionContext context) {
        return context.getExecutionException().filter(t -> !(t instanceof TestAbortedException));
    }

    private static void recordFailure(ExtensionContext context, ClusterResource resource, String what) {
        if (resource.recordFailure(what) && resource.keepsOnFailure()) {
            Path dir = resource.cluster().directory();
            LOG.warn("{} failed: the directory of cluster '{}' will be kept: {}", context.getDisplayName(),
                    resource.cluster().name(), dir);
            context.publishReportEntry(REPORT_DIRECTORY, dir.toString());
        }
    }

    // ---------------------------------------------------------------- parameters

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.isAnnotated(PolykubeKubeconfig.class) || parameterContext.isAnnotated(Polykube.class)
                || Injectable.byType(parameterContext.getParameter().getType()).isPresent();
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Owner owner = Owner.of(extensionContext);
        Injectable kind = parameterKind(parameterContext, owner);
        TestNamespace namespace = null;
        AuditLog audit = null;
        if (kind == Injectable.AUDIT_LOG) {
            audit = extensionContext.getTestMethod().isPresent() ? extensionContext.getStore(ClusterLookup.STORE).get(AUDIT, AuditLog.class) : null;
            if (audit == null && ClusterLookup.resource(owner).cluster().spec().apiServer().audit().enabled()) {
                throw new ParameterResolutionException(describe(parameterContext) + " asks for the test's AuditLog, which exists "
                        + "only around each test: take it in a @Test, @BeforeEach or @AfterEach method, or in a field "
                        + "(@Polykube AuditLog audit), or use Cluster.audit() for the whole log");
            }
        }
        if (kind.perTest()) {
            namespace = extensionContext.getTestMethod().isPresent()
                    ? extensionContext.getStore(ClusterLookup.STORE).get(NAMESPACE, TestNamespace.class) : null;
            if (namespace == null) {
                throw new ParameterResolutionException(describe(parameterContext) + " asks for the per-test namespace, which "
                        + "exists only around each test: take it in a @Test, @BeforeEach or @AfterEach method, or in a "
                        + "field (@Polykube TestNamespace namespace)");
            }
        }
        return kind.value(ClusterLookup.resource(owner).cluster(), parameterContext.findAnnotation(PolykubeKubeconfig.class).orElse(null),
                namespace, audit);
    }

    private static Injectable parameterKind(ParameterContext parameterContext, Owner owner) {
        Class<?> type = parameterContext.getParameter().getType();
        String where = describe(parameterContext);
        Optional<PolykubeKubeconfig> kubeconfig = parameterContext.findAnnotation(PolykubeKubeconfig.class);
        Injectable kind;
        if (kubeconfig.isPresent()) {
            checkGroups(kubeconfig.get(), where);
            kind = Injectable.kubeconfig(type).orElseThrow(() -> new ParameterResolutionException("@PolykubeKubeconfig "
                    + where + " has type " + type.getName() + ": use Path (the kubeconfig file) or String (its YAML)"));
        } else {
            kind = Injectable.byType(type).orElseThrow(() -> new ParameterResolutionException(unsupportedType("@Polykube "
                    + where, type)));
        }
        if (kind.perTest()) {
            if (parameterContext.getDeclaringExecutable() instanceof Constructor) {
                throw new ParameterResolutionException(where + " asks for the per-test namespace, but the constructor runs "
                        + "before it exists: use a field (@Polykube TestNamespace namespace) or a test method parameter");
            }
            requireNamespacePerTest(owner, where);
        }
        return kind;
    }

    private static String describe(ParameterContext parameterContext) {
        var executable = parameterContext.getDeclaringExecutable();
        String owner = executable.getDeclaringClass().getSimpleName();
        String name = executable instanceof Constructor ? owner + " constructor" : owner + "." + executable.getName() + "()";
        return "parameter " + parameterContext.getIndex() + " (" + parameterContext.getParameter().getType().getSimpleName()
                + ") of " + name;
    }

    // ---------------------------------------------------------------- fields

    private static List<Field> annotatedFields(Class<?> testClass) {
        Set<Field> fields = new LinkedHashSet<>(AnnotationSupport.findAnnotatedFields(testClass, Polykube.class));
        fields.addAll(AnnotationSupport.findAnnotatedFields(testClass, PolykubeKubeconfig.class));
        return new ArrayList<>(fields);
    }

    private static void validateFields(Class<?> testClass, Owner owner) {
        for (Field field : annotatedFields(testClass)) {
            fieldKind(field, owner);
        }
    }

    /** What {@code field} receives; a misuse throws a message that says what to write instead. */
    private static Injectable fieldKind(Field field, Owner owner) {
        String where = "field '" + field.getDeclaringClass().getSimpleName() + "." + field.getName() + "'";
        Class<?> type = field.getType();
        boolean polykube = AnnotationSupport.isAnnotated(field, Polykube.class);
        Optional<PolykubeKubeconfig> kubeconfig = AnnotationSupport.findAnnotation(field, PolykubeKubeconfig.class);
        if (polykube && kubeconfig.isPresent()) {
            throw new ExtensionConfigurationException(where + " has both @Polykube and @PolykubeKubeconfig: keep only "
                    + "@PolykubeKubeconfig for a kubeconfig (Path or String)");
        }
        if (Modifier.isFinal(field.getModifiers())) {
            throw new ExtensionConfigurationException((polykube ? "@Polykube " : "@PolykubeKubeconfig ") + where
                    + " must not be final: remove 'final', the extension assigns it before the tests run");
        }
        Injectable kind;
        if (kubeconfig.isPresent()) {
            checkGroups(kubeconfig.get(), where);
            kind = Injectable.kubeconfig(type).orElseThrow(() -> new ExtensionConfigurationException("@PolykubeKubeconfig "
                    + where + " has type " + type.getName() + ": use Path (the kubeconfig file) or String (its YAML)"));
        } else if (type == Path.class || type == String.class) {
            throw new ExtensionConfigurationException("@Polykube " + where + " has type " + type.getSimpleName()
                    + ": for the kubeconfig write @PolykubeKubeconfig " + type.getSimpleName() + " " + field.getName()
                    + (type == Path.class ? " (the file)" : " (its YAML)"));
        } else {
            kind = Injectable.byType(type).orElseThrow(() -> new ExtensionConfigurationException(
                    unsupportedType("@Polykube " + where, type)));
        }
        if (kind == Injectable.AUDIT_LOG && Modifier.isStatic(field.getModifiers())) {
            throw new ExtensionConfigurationException("@Polykube " + where + " is static, but the AuditLog is scoped to each "
                    + "test: make it an instance field, or take it as a test method parameter");
        }
        if (kind.perTest()) {
            if (Modifier.isStatic(field.getModifiers())) {
                throw new ExtensionConfigurationException("@Polykube " + where + " is static, but the per-test namespace "
                        + "changes with every test: make it an instance field, or take it as a test method parameter");
            }
            requireNamespacePerTest(owner, where);
        }
        return kind;
    }

    private static String unsupportedType(String where, Class<?> type) {
        return where + " has type " + type.getName() + ", which the extension cannot provide: use " + Injectable.SUPPORTED;
    }

    private static void checkGroups(PolykubeKubeconfig kubeconfig, String where) {
        if (kubeconfig.user().isEmpty() && kubeconfig.groups().length > 0) {
            throw new ExtensionConfigurationException("@PolykubeKubeconfig on " + where + " names groups but no user: write "
                    + "@PolykubeKubeconfig(user = \"alice\", groups = ...) (the admin's groups are fixed)");
        }
    }

    private static void requireNamespacePerTest(Owner owner, String where) {
        if (!owner.annotation().namespacePerTest()) {
            throw new ExtensionConfigurationException(where + " asks for the per-test namespace, but @WithPolykube on "
                    + owner.testClass().getSimpleName() + " does not create one: write @WithPolykube(namespacePerTest = true)");
        }
    }

    private static void injectFields(Object instance, Class<?> testClass, Owner owner, Predicate<Field> which,
            ClusterResource resource, TestNamespace namespace, AuditLog audit) {
        for (Field field : annotatedFields(testClass)) {
            if (!which.test(field)) {
                continue;
            }
            Object value = fieldKind(field, owner).value(resource.cluster(), field.getAnnotation(PolykubeKubeconfig.class),
                    namespace, audit);
            try {
                field.setAccessible(true);
                field.set(instance, value);
            } catch (IllegalAccessException | RuntimeException e) {
                throw new ExtensionConfigurationException("cannot set field '" + field.getDeclaringClass().getSimpleName()
                        + "." + field.getName() + "': " + e + " (in a named module, open the package to io.polykube.api)", e);
            }
        }
    }
}
