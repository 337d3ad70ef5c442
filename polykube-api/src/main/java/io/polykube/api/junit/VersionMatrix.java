package io.polykube.api.junit;

import io.polykube.api.error.PolykubeException;
import io.polykube.runtime.binaries.BinaryException;
import io.polykube.runtime.binaries.BinaryVersions;
import io.polykube.runtime.binaries.KnownVersions;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ClassTemplateInvocationContext;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The invocations of a {@link WithPolykube} class (a JUnit class template): one per version of
 * {@link WithPolykube#versions()}, each named {@code [k8s 1.36.5]} and carrying its version in its store, where
 * {@link Owner} finds it; a class without {@code versions} runs once, named by the version it asks for.
 */
final class VersionMatrix {
    private static final String VERSION = "matrix-version";

    private VersionMatrix() {
    }

    /** The version of the invocation {@code classContext} runs in (a store answers with its parents' values too), or null. */
    static String versionOf(ExtensionContext classContext) {
        return classContext.getStore(ClusterLookup.STORE).get(VERSION, String.class);
    }

    static Stream<ClassTemplateInvocationContext> invocations(Class<?> testClass, WithPolykube annotation) {
        if (annotation.versions().length == 0) {
            return Stream.of(new Invocation(null, singleName(testClass, annotation)));
        }
        return versions(testClass, annotation).stream().map(v -> new Invocation(v, "[k8s " + v + "]"));
    }

    /**
     * The exact versions {@code versions} names, in order, without repeats: known minors (each at its pinned patch), exact
     * patches, {@code default}, {@code supported} (every minor in upstream support) and {@code all} (every known minor).
     */
    static List<String> versions(Class<?> testClass, WithPolykube annotation) {
        if (!annotation.version().isBlank()) {
            throw new ExtensionConfigurationException("@WithPolykube on " + testClass.getName() + " sets both version = \""
                    + annotation.version() + "\" and versions: keep one (versions = {\"" + annotation.version()
                    + "\", ...} runs the class once per version)");
        }
        Set<String> versions = new LinkedHashSet<>();
        for (String entry : annotation.versions()) {
            try {
                KnownVersions.select(entry).stream().map(BinaryVersions::kubernetes).forEach(versions::add);
            } catch (BinaryException e) {
                throw new ExtensionConfigurationException("@WithPolykube(versions = ...) on " + testClass.getName() + ": "
                        + e.getMessage() + " (also \"" + KnownVersions.SUPPORTED + "\" or \"" + KnownVersions.ALL + "\")", e);
            }
        }
        return List.copyOf(versions);
    }

    private static String singleName(Class<?> testClass, WithPolykube annotation) {
        try {
            return "[k8s " + ClusterRequest.of(testClass, annotation).keySpec().kubernetesVersion() + "]";
        } catch (PolykubeException | ExtensionConfigurationException e) {
            return "[k8s]"; // the class fails with the reason when it asks for its cluster
        }
    }

    private record Invocation(String version, String name) implements ClassTemplateInvocationContext {
        @Override
        public String getDisplayName(int invocationIndex) {
            return name;
        }

        @Override
        public void prepareInvocation(ExtensionContext context) {
            if (version != null) {
                context.getStore(ClusterLookup.STORE).put(VERSION, version);
            }
        }
    }
}
