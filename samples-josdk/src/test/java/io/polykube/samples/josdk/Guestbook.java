package io.polykube.samples.josdk;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Stands for a system outside the cluster (a DNS zone, a bucket, a SaaS account): the operator signs every greeting in,
 * and since Kubernetes' garbage collector knows nothing of it, only the operator's finalizer takes an entry out again.
 */
final class Guestbook {
    private final Set<String> entries = ConcurrentHashMap.newKeySet();

    void signIn(Greeting greeting) {
        entries.add(key(greeting));
    }

    void signOut(Greeting greeting) {
        entries.remove(key(greeting));
    }

    boolean contains(String namespace, String name) {
        return entries.contains(namespace + "/" + name);
    }

    private static String key(Greeting greeting) {
        return greeting.getMetadata().getNamespace() + "/" + greeting.getMetadata().getName();
    }
}
