package io.polykube.api.internal.run;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The pods a reset removes in mode {@code FULL}: every pod made since start, and first the workloads that made them
 * (Deployments, ReplicaSets, DaemonSets, StatefulSets, Jobs, CronJobs made since start), which would otherwise make new
 * ones as fast as they are deleted. Workloads that existed at start (the cluster DNS, the manifests') are left alone.
 */
final class PodSweep {
    private final Set<String> startPods;
    private final Set<String> startOwners;

    private PodSweep(Set<String> startPods, Set<String> startOwners) {
        this.startPods = Set.copyOf(startPods);
        this.startOwners = Set.copyOf(startOwners);
    }

    static PodSweep none() {
        return new PodSweep(Set.of(), Set.of());
    }

    /** What runs now, to be kept: the pods and every owner up their controller chains. */
    static PodSweep of(KubernetesClient client) {
        Set<String> pods = new HashSet<>();
        Set<String> owners = new HashSet<>();
        for (Pod pod : client.pods().inAnyNamespace().list().getItems()) {
            pods.add(pod.getMetadata().getUid());
            HasMetadata current = pod;
            for (int depth = 0; depth < 5; depth++) {
                Optional<HasMetadata> owner = controller(client, current);
                if (owner.isEmpty()) {
                    break;
                }
                owners.add(owner.get().getMetadata().getUid());
                current = owner.get();
            }
        }
        return new PodSweep(pods, owners);
    }

    int startPodCount() {
        return startPods.size();
    }

    /**
     * What one sweep did: pods deleted, and new pods left to a workload of the start state (which replaced a pod of its
     * own; deleting it would only make another).
     */
    record Result(int deleted, int leftToStartWorkloads) {
    }

    /** Deletes the workloads made since start that own pods, then (grace 0) every pod made since start. */
    Result sweep(KubernetesClient client) {
        List<Pod> extra = client.pods().inAnyNamespace().list().getItems().stream()
                .filter(p -> !startPods.contains(p.getMetadata().getUid()) && !deletedAtOnce(p))
                .toList();
        int left = 0;
        for (Pod pod : extra) {
            HasMetadata top = pod;
            boolean keptOwner = false;
            for (int depth = 0; depth < 5; depth++) {
                Optional<HasMetadata> owner = controller(client, top);
                if (owner.isEmpty()) {
                    break;
                }
                if (startOwners.contains(owner.get().getMetadata().getUid())) {
                    keptOwner = true;
                    break;
                }
                top = owner.get();
            }
            if (keptOwner) {
                left++;
                continue; // a workload of the start state replaced its pod: leave it to that workload
            }
            if (top != pod) {
                delete(client, top);
            }
            ignoreGone(() -> client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                    .withGracePeriod(0).delete());
        }
        return new Result(extra.size() - left, left);
    }

    /** Already deleted with grace 0 (a pod deleted with a grace period is deleted again, at once). */
    private static boolean deletedAtOnce(Pod pod) {
        return pod.getMetadata().getDeletionTimestamp() != null && Long.valueOf(0).equals(pod.getMetadata().getDeletionGracePeriodSeconds());
    }

    private static void delete(KubernetesClient client, HasMetadata owner) {
        ignoreGone(() -> client.genericKubernetesResources(owner.getApiVersion(), owner.getKind())
                .inNamespace(owner.getMetadata().getNamespace()).withName(owner.getMetadata().getName())
                .withPropagationPolicy(DeletionPropagation.BACKGROUND).delete());
    }

    private static Optional<HasMetadata> controller(KubernetesClient client, HasMetadata object) {
        for (OwnerReference ref : object.getMetadata().getOwnerReferences()) {
            if (Boolean.TRUE.equals(ref.getController())) {
                try {
                    GenericKubernetesResource owner = client.genericKubernetesResources(ref.getApiVersion(), ref.getKind())
                            .inNamespace(object.getMetadata().getNamespace()).withName(ref.getName()).get();
                    return Optional.ofNullable(owner);
                } catch (KubernetesClientException e) {
                    return Optional.empty(); // an owner kind the API does not serve: nothing to walk up to
                }
            }
        }
        return Optional.empty();
    }

    private static void ignoreGone(Runnable action) {
        try {
            action.run();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
        }
    }
}
