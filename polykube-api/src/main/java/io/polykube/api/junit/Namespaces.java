package io.polykube.api.junit;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.polykube.api.error.PolykubeException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;

/** Creates the per-test namespaces and deletes them, waiting until they are really gone. */
final class Namespaces {
    static final String MANAGED_BY = "polykube-junit";
    static final Duration DELETE_TIMEOUT = Duration.ofMinutes(2);
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

    private Namespaces() {
    }

    /** A new namespace named after {@code testName} with a random suffix, e.g. {@code creates-config-map-k3x9q}. */
    static TestNamespace create(KubernetesClient client, String testName, String testId) {
        for (int attempt = 0; ; attempt++) {
            String name = name(testName);
            Namespace ns = new NamespaceBuilder().withNewMetadata().withName(name)
                    .addToLabels("app.kubernetes.io/managed-by", MANAGED_BY)
                    .addToAnnotations("polykube.io/test", testId)
                    .endMetadata().build();
            try {
                return new TestNamespace(client.namespaces().resource(ns).create(), client);
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt >= 3) {
                    throw new PolykubeException("cannot create the per-test namespace " + name + " for " + testId + ": "
                            + e.getMessage(), e);
                }
            }
        }
    }

    static String name(String testName) {
        String base = testName.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        if (base.length() > 40) {
            base = base.substring(0, 40).replaceAll("-+$", "");
        }
        StringBuilder out = new StringBuilder(base.isEmpty() ? "test" : base).append('-');
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < 5; i++) {
            out.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return out.toString();
    }

    /** Asks the API server to delete the namespace; the namespace controller empties and removes it later. */
    static void delete(KubernetesClient client, String name) {
        client.namespaces().withName(name).delete();
    }

    /**
     * Returns once none of {@code names} exists any more. Kubernetes' namespace controller waits 5 s after a deletion
     * before it empties a namespace, so this is done once for all namespaces of a class, not after each test.
     */
    static void awaitGone(KubernetesClient client, Collection<String> names, Duration timeout) {
        if (names.isEmpty()) {
            return;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        long pauseNanos = Duration.ofMillis(20).toNanos();
        while (true) {
            List<Namespace> remaining = client.namespaces().withLabel("app.kubernetes.io/managed-by", MANAGED_BY).list().getItems()
                    .stream().filter(ns -> names.contains(ns.getMetadata().getName())).toList();
            if (remaining.isEmpty()) {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new PolykubeException(remaining.size() + " per-test namespace(s) still exist " + timeout.toSeconds()
                        + " s after their deletion: " + remaining.stream().map(Namespaces::describe).toList()
                        + ". An object in them keeps a finalizer, or the controller manager is not running (see its log)");
            }
            LockSupport.parkNanos(pauseNanos);
            pauseNanos = Math.min(pauseNanos * 2, Duration.ofMillis(250).toNanos());
        }
    }

    private static String describe(Namespace ns) {
        var status = ns.getStatus();
        return ns.getMetadata().getName() + " (phase " + (status == null ? "?" : status.getPhase()) + ", conditions "
                + (status == null ? "[]" : status.getConditions().stream().filter(c -> "True".equals(c.getStatus()))
                        .map(c -> c.getType() + ": " + c.getMessage()).toList()) + ")";
    }
}
