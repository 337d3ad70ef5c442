package io.polykube.api.junit;

import io.polykube.api.audit.AuditLog;
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
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Field and parameter injection: what each {@code @Polykube} or {@code @PolykubeKubeconfig} field and each parameter
 * receives ({@link Injectable}), and when; a misuse (final field, wrong type, per-test value in a static field or a
 * constructor) is rejected with a message that says what to write instead.
 */
final class Injector {
    private Injector() {
    }

    /** Whether the extension resolves this parameter: annotated, or of a type it provides. */
    static boolean supports(ParameterContext parameterContext) {
        return parameterContext.isAnnotated(PolykubeKubeconfig.class) || parameterContext.isAnnotated(Polykube.class)
                || Injectable.byType(parameterContext.getParameter().getType()).isPresent();
    }

    /** The value of a parameter {@link #supports} accepted; a misuse throws a message that says what to write instead. */
    static Object resolve(ParameterContext parameterContext, ExtensionContext extensionContext, Owner owner) {
        Injectable kind = parameterKind(parameterContext, owner);
        TestNamespace namespace = null;
        AuditLog audit = null;
        if (kind == Injectable.AUDIT_LOG) {
            audit = PerTestValues.audit(extensionContext);
            if (audit == null && ClusterLookup.resource(owner).cluster().spec().apiServer().audit().enabled()) {
                throw new ParameterResolutionException(describe(parameterContext) + " asks for the test's AuditLog, which exists "
                        + "only around each test: take it in a @Test, @BeforeEach or @AfterEach method, or in a field "
                        + "(@Polykube AuditLog audit), or use Cluster.audit() for the whole log");
            }
        }
        if (kind.perTest()) {
            namespace = PerTestValues.namespace(extensionContext);
            if (namespace == null) {
                throw new ParameterResolutionException(describe(parameterContext) + " asks for the per-test namespace, which "
                        + "exists only around each test: take it in a @Test, @BeforeEach or @AfterEach method, or in a "
                        + "field (@Polykube TestNamespace namespace)");
            }
        }
        return kind.value(ClusterLookup.resource(owner).cluster(),
                parameterContext.findAnnotation(PolykubeKubeconfig.class).orElse(null), namespace, audit);
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

    private static List<Field> annotatedFields(Class<?> testClass) {
        Set<Field> fields = new LinkedHashSet<>(AnnotationSupport.findAnnotatedFields(testClass, Polykube.class));
        fields.addAll(AnnotationSupport.findAnnotatedFields(testClass, PolykubeKubeconfig.class));
        return new ArrayList<>(fields);
    }

    /** Checks every annotated field of {@code testClass}; a misuse throws a message that says what to write instead. */
    static void validateFields(Class<?> testClass, Owner owner) {
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

    /** Sets the static fields of {@code testClass}, once per class. */
    static void injectStatic(Class<?> testClass, Owner owner, ClusterResource resource) {
        injectFields(null, testClass, owner, f -> Modifier.isStatic(f.getModifiers()), resource, null, null);
    }

    /** Sets the instance fields whose value is the same for every test (the cluster, its client, a kubeconfig). */
    static void injectInstance(Object testInstance, Owner owner, ClusterResource resource) {
        injectFields(testInstance, testInstance.getClass(), owner,
                f -> !Modifier.isStatic(f.getModifiers()) && !fieldKind(f, owner).eachTest(), resource, null, null);
    }

    /** Sets the instance fields whose value changes with every test (the namespace, the AuditLog). */
    static void injectEachTest(Object instance, Owner owner, ClusterResource resource, PerTestValues values) {
        injectFields(instance, instance.getClass(), owner,
                f -> !Modifier.isStatic(f.getModifiers()) && fieldKind(f, owner).eachTest(), resource, values.namespace(),
                values.audit());
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
