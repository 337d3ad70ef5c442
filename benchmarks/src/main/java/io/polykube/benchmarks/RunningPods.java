package io.polykube.benchmarks;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts a namespace's Running pods from a watch (an informer), so that waiting for a hundred pods costs a few events
 * per pod instead of a full list every poll: the bench must not take the CPU it measures the node's pods with.
 */
final class RunningPods implements AutoCloseable {
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    private final Object changed = new Object();
    private final SharedIndexInformer<Pod> informer;

    RunningPods(KubernetesClient client, String namespace) {
        this.informer = client.pods().inNamespace(namespace).inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                update(pod);
            }

            @Override
            public void onUpdate(Pod before, Pod pod) {
                update(pod);
            }

            @Override
            public void onDelete(Pod pod, boolean finalStateUnknown) {
                running.remove(pod.getMetadata().getName());
            }
        });
    }

    private void update(Pod pod) {
        String name = pod.getMetadata().getName();
        if (pod.getStatus() != null && "Running".equals(pod.getStatus().getPhase())) {
            running.add(name);
        } else {
            running.remove(name);
        }
        synchronized (changed) {
            changed.notifyAll();
        }
    }

    /** Waits until {@code count} pods are Running or {@code timeout} passes; returns how many are Running. */
    int await(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (changed) {
            while (running.size() < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                changed.wait(Math.max(1, left / 1_000_000));
            }
        }
        return running.size();
    }

    @Override
    public void close() {
        informer.close();
    }
}
