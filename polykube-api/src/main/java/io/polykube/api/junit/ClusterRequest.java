package io.polykube.api.junit;

import io.polykube.api.Cluster;
import io.polykube.api.error.PolykubeException;
import io.polykube.api.spec.ClusterSpec;
import io.polykube.api.spec.Mode;
import io.polykube.api.spec.WebhookManifests;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * What one test class asks for: its annotation and the spec it leads to. {@link #keySpec()} has a placeholder name and
 * directory unless the configurer set them, so equal requests from different classes compare equal and share a cluster;
 * {@link #specFor} fills them in.
 */
record ClusterRequest(Class<?> testClass, WithPolykube annotation, ClusterSpec keySpec) {

    static final String UNSET_NAME = "polykube-junit";
    static final Path UNSET_DIRECTORY = Path.of("/polykube-junit-unset");

    static ClusterRequest of(Class<?> testClass, WithPolykube annotation) {
        return of(testClass, annotation, null);
    }

    /** What {@code owner} asks for: with the version of its class template invocation, if any. */
    static ClusterRequest of(Owner owner) {
        return of(owner.testClass(), owner.annotation(), owner.version());
    }

    /** With {@code version} (a version of the matrix; null: the annotation's), set before the configurer runs. */
    static ClusterRequest of(Class<?> testClass, WithPolykube annotation, String version) {
        if (annotation.mode() == Mode.FULL && !HostCheck.root()) {
            throw new PolykubeException(HostCheck.notRootMessage(testClass));
        }
        ClusterSpec.Builder<ClusterSpec> builder = ClusterSpec.builder()
                .name(UNSET_NAME)
                .directory(UNSET_DIRECTORY)
                .mode(annotation.mode())
                .etcd(e -> e.unsafeNoFsync(true));
        if (!annotation.dns()) {
            builder.node(n -> n.dns(false));
        }
        if (annotation.nodes() != 1) {
            builder.nodes(n -> n.count(annotation.nodes()));
        }
        if (version != null) {
            builder.kubernetesVersion(version);
        } else if (!annotation.version().isBlank()) {
            builder.kubernetesVersion(annotation.version());
        }
        for (String location : annotation.manifests()) {
            addManifest(builder, location, testClass);
        }
        if (annotation.configurer() != PolykubeConfigurer.class) {
            instantiate(annotation.configurer(), "configurer", testClass).configure(builder);
        }
        checkWebhooks(annotation, testClass);
        try {
            return new ClusterRequest(testClass, annotation, builder.build());
        } catch (PolykubeException e) {
            throw new PolykubeException("@WithPolykube on " + testClass.getName() + ": " + e.getMessage(), e);
        }
    }

    /** The spec to start: the key spec with the extension's name and directory where the configurer set none. */
    ClusterSpec specFor(String name, Path directory) {
        ClusterSpec k = keySpec;
        return new ClusterSpec(nameChosen() ? k.name() : name, directoryChosen() ? k.directory() : directory,
                k.kubernetesVersion(), k.mode(), k.binaryDirectory(), k.pki(), k.etcd(), k.apiServer(), k.controllerManager(),
                k.scheduler(), k.node(), k.startTimeout(), k.manifests(), k.webhooks());
    }

    boolean nameChosen() {
        return !UNSET_NAME.equals(keySpec.name());
    }

    boolean directoryChosen() {
        return !UNSET_DIRECTORY.equals(keySpec.directory());
    }

    /** A name from the spec's content: the same spec gives the same name in every run, two specs two names. */
    String derivedName(String salt) {
        return String.format("pk-%08x", (keySpec.toString() + salt).hashCode());
    }

    private static void addManifest(ClusterSpec.Builder<?> builder, String location, Class<?> testClass) {
        String prefix = "classpath:";
        if (!location.startsWith(prefix)) {
            builder.manifests(Path.of(location));
            return;
        }
        String resource = location.substring(prefix.length()).replaceFirst("^/", "");
        ClassLoader loader = testClass.getClassLoader();
        try (InputStream in = loader == null ? null : loader.getResourceAsStream(resource)) {
            if (in == null) {
                throw new ExtensionConfigurationException("@WithPolykube(manifests = \"" + location + "\") on "
                        + testClass.getName() + ": there is no resource '" + resource + "' on the class path; put the file "
                        + "under src/test/resources/" + resource + " or give a file path");
            }
            builder.manifest(location, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ExtensionConfigurationException("@WithPolykube(manifests = \"" + location + "\") on "
                    + testClass.getName() + ": cannot read it: " + e.getMessage(), e);
        }
    }

    private static void checkWebhooks(WithPolykube annotation, Class<?> testClass) {
        boolean manifests = annotation.webhooks().length > 0;
        boolean server = annotation.webhookServer() != WebhookServer.class;
        if (manifests != server) {
            throw new ExtensionConfigurationException("@WithPolykube on " + testClass.getName() + ": "
                    + (manifests ? "webhooks need a webhookServer = YourServer.class (a WebhookServer) to call"
                    : "webhookServer is given without webhooks; name the webhook manifests with webhooks = \"classpath:...\""));
        }
    }

    /** Whether the class asks for webhooks registered at start (and so for a server started before the cluster). */
    boolean hasWebhooks() {
        return annotation.webhooks().length > 0;
    }

    /** A new instance of the class's webhook server. */
    WebhookServer newWebhookServer() {
        return instantiate(annotation.webhookServer(), "webhookServer", testClass);
    }

    /** The class's webhook manifests, every service pointed at {@code port}. */
    WebhookManifests webhookManifests(int port) {
        WebhookManifests.Builder builder = WebhookManifests.builder();
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        try {
            if (testClass.getClassLoader() != null) {
                Thread.currentThread().setContextClassLoader(testClass.getClassLoader());
            }
            for (String location : annotation.webhooks()) {
                if (location.startsWith("classpath:")) {
                    builder.classpath(location);
                } else {
                    builder.manifests(Path.of(location));
                }
            }
            return builder.server(port).build();
        } catch (IllegalArgumentException e) {
            throw new ExtensionConfigurationException("@WithPolykube(webhooks = ...) on " + testClass.getName() + ": "
                    + e.getMessage(), e);
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    /** {@code spec} with {@code webhooks} registered at start. */
    static ClusterSpec withWebhooks(ClusterSpec k, WebhookManifests webhooks) {
        return new ClusterSpec(k.name(), k.directory(), k.kubernetesVersion(), k.mode(), k.binaryDirectory(), k.pki(), k.etcd(),
                k.apiServer(), k.controllerManager(), k.scheduler(), k.node(), k.startTimeout(), k.manifests(),
                java.util.List.of(webhooks));
    }

    private static <T> T instantiate(Class<? extends T> type, String attribute, Class<?> testClass) {
        String fix = "give it a no-argument constructor (and make it a top-level or static nested class)";
        String where = "@WithPolykube(" + attribute + " = " + type.getSimpleName() + ".class) on " + testClass.getName() + ": ";
        if (type.isInterface() || Modifier.isAbstract(type.getModifiers())) {
            throw new ExtensionConfigurationException(where + type.getName() + " is abstract; name a concrete class that "
                    + "implements " + (attribute.equals("configurer") ? "PolykubeConfigurer" : "WebhookServer"));
        }
        if (type.getEnclosingClass() != null && !Modifier.isStatic(type.getModifiers())) {
            throw new ExtensionConfigurationException(where + type.getName() + " is an inner class; " + fix);
        }
        Constructor<? extends T> constructor;
        try {
            constructor = type.getDeclaredConstructor();
        } catch (NoSuchMethodException e) {
            throw new ExtensionConfigurationException(where + type.getName() + " has no no-argument constructor; " + fix, e);
        }
        try {
            constructor.setAccessible(true);
            return constructor.newInstance();
        } catch (ReflectiveOperationException | RuntimeException e) {
            Throwable cause = e instanceof java.lang.reflect.InvocationTargetException ite ? ite.getCause() : e;
            throw new ExtensionConfigurationException(where + "cannot create " + type.getName() + ": " + cause, cause);
        }
    }
}
