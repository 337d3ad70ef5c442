package io.polykube.samples;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A minimal operator, the kind of code {@link GreeterOperatorIT} tests: for every ConfigMap labelled {@code greeter=true}
 * in its namespace it keeps a ConfigMap {@code <name>-greeting} saying hello to {@code data.name}. The greeting is owned
 * by its source, so Kubernetes' garbage collector deletes it with the source.
 *
 * <p>Like a controller-runtime controller, it reconciles from a work queue: an informer event queues the source's key,
 * one worker reconciles the latest version from the informer's cache, and a failed reconcile is queued again: at once
 * after a conflict, after the server's {@code Retry-After} when throttled, after a short back-off otherwise.
 * {@link GreeterOperatorUnderFaultsIT} makes the API server answer with those errors.
 */
final class GreeterOperator implements AutoCloseable {
    static final String LABEL = "greeter";
    private static final Duration BACK_OFF = Duration.ofMillis(200);

    private final KubernetesClient client;
    private final ScheduledExecutorService queue = Executors.newSingleThreadScheduledExecutor(work -> {
        Thread worker = new Thread(work, "greeter-reconciler");
        worker.setDaemon(true);
        return worker;
    });
    private final SharedIndexInformer<ConfigMap> informer;

    /** Starts watching; {@code client}'s default namespace is the one it serves. */
    GreeterOperator(KubernetesClient client) {
        this.client = client;
        // assigned before it runs: the events of objects that exist already reach a reconcile that reads its cache
        this.informer = client.configMaps().withLabel(LABEL, "true").runnableInformer(0);
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(ConfigMap source) {
                enqueue(Cache.metaNamespaceKeyFunc(source), Duration.ZERO);
            }

            @Override
            public void onUpdate(ConfigMap old, ConfigMap source) {
                enqueue(Cache.metaNamespaceKeyFunc(source), Duration.ZERO);
            }

            @Override
            public void onDelete(ConfigMap source, boolean finalStateUnknown) {
                // Nothing to do: the owner reference lets the garbage collector delete the greeting.
            }
        });
        informer.run(); // returns once the first list is in the cache
    }

    private void enqueue(String key, Duration delay) {
        try {
            queue.schedule(() -> reconcile(key), delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closed) {
            // the operator is closing
        }
    }

    private void reconcile(String key) {
        ConfigMap source = informer.getStore().getByKey(key);
        if (source == null) {
            return; // deleted meanwhile
        }
        try {
            client.configMaps().resource(greeting(source)).fieldManager("greeter").forceConflicts().serverSideApply();
        } catch (KubernetesClientException e) {
            enqueue(key, retryDelay(e));
        }
    }

    /** When to try again after {@code failure}: at once after a conflict, after {@code Retry-After} when throttled. */
    private static Duration retryDelay(KubernetesClientException failure) {
        Status status = failure.getStatus();
        if (failure.getCode() == 409) {
            return Duration.ZERO;
        }
        if (failure.getCode() == 429 && status != null && status.getDetails() != null
                && status.getDetails().getRetryAfterSeconds() != null) {
            return Duration.ofSeconds(status.getDetails().getRetryAfterSeconds());
        }
        return BACK_OFF;
    }

    private static ConfigMap greeting(ConfigMap source) {
        Map<String, String> data = source.getData() == null ? Map.of() : source.getData();
        return new ConfigMapBuilder()
                .withNewMetadata()
                    .withName(source.getMetadata().getName() + "-greeting")
                    .addNewOwnerReference()
                        .withApiVersion("v1").withKind("ConfigMap")
                        .withName(source.getMetadata().getName()).withUid(source.getMetadata().getUid())
                        .withController(true)
                    .endOwnerReference()
                .endMetadata()
                .addToData("greeting", "Hello, " + data.getOrDefault("name", "world") + "!")
                .build();
    }

    @Override
    public void close() {
        informer.close();
        queue.shutdownNow();
    }
}
