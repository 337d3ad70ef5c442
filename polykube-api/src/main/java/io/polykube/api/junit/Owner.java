package io.polykube.api.junit;

import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The class context whose {@link WithPolykube} applies (the enclosing one for {@code @Nested} classes), with that
 * annotation; the defaults when no class in the chain carries one. {@code version} is the Kubernetes version of the
 * class template invocation the context runs in ({@link VersionMatrix}), or null outside one.
 */
record Owner(ExtensionContext context, Class<?> testClass, WithPolykube annotation, String version) {
    private static final WithPolykube DEFAULTS = Defaults.class.getAnnotation(WithPolykube.class);

    @WithPolykube
    private static final class Defaults {
    }

    /** The owner of the class {@code context} runs in. */
    static Owner of(ExtensionContext context) {
        ExtensionContext classContext = classContext(context);
        ExtensionContext c = classContext;
        while (true) {
            Optional<WithPolykube> annotation = AnnotationSupport.findAnnotation(c.getRequiredTestClass(), WithPolykube.class);
            if (annotation.isPresent()) {
                return new Owner(c, c.getRequiredTestClass(), annotation.get(), VersionMatrix.versionOf(c));
            }
            Optional<ExtensionContext> parent = c.getParent().filter(p -> p.getElement().orElse(null) instanceof Class);
            if (parent.isEmpty()) {
                return new Owner(classContext, classContext.getRequiredTestClass(), DEFAULTS, null);
            }
            c = parent.get();
        }
    }

    /** Whether this is a class template of several versions seen from outside any of its invocations. */
    boolean isMatrixTemplate() {
        return version == null && annotation.versions().length > 0;
    }

    /** The context of the class {@code context} runs in (a test's, a test template's, or the class's own). */
    private static ExtensionContext classContext(ExtensionContext context) {
        ExtensionContext c = context;
        while (!(c.getElement().orElse(null) instanceof Class)) {
            c = c.getParent().orElseThrow(() -> new ExtensionConfigurationException(
                    "@WithPolykube works on test classes; " + context.getDisplayName() + " has none"));
        }
        return c;
    }
}
