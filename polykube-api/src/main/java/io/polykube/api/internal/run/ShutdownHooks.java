package io.polykube.api.internal.run;

import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** The JVM shutdown hook of each running cluster, by directory: added when its processes start, removed when it stops. */
final class ShutdownHooks {
    private static final ConcurrentMap<Path, Thread> HOOKS = new ConcurrentHashMap<>();

    private ShutdownHooks() {
    }

    static void add(Path root, Thread hook) {
        Runtime.getRuntime().addShutdownHook(hook);
        HOOKS.put(root, hook);
    }

    static void remove(Path root) {
        Thread hook = HOOKS.remove(root);
        if (hook != null && hook != Thread.currentThread()) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is shutting down: the hook runs (or ran) anyway
            }
        }
    }
}
