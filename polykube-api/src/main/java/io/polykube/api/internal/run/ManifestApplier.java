package io.polykube.api.internal.run;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.polykube.api.error.PolykubeException;
import io.polykube.api.internal.Await;
import io.polykube.api.spec.Manifest;
import io.polykube.api.spec.Mode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a cluster's manifests at start, with server-side apply (field manager {@code polykube}), in order but every
 * CustomResourceDefinition first; waits until the CRDs are Established and, in mode FULL, the Deployments available.
 */
final class ManifestApplier {
    private static final Logger LOG = LoggerFactory.getLogger(ManifestApplier.class);
    private static final String FIELD_MANAGER = "polykube";
    private static final Duration POLL = Duration.ofMillis(50);

    private final KubernetesClient client;
    private final String clusterName;
    private final Mode mode;

    ManifestApplier(KubernetesClient client, String clusterName, Mode mode) {
        this.client = client;
        this.clusterName = clusterName;
        this.mode = mode;
    }

    void apply(List<Manifest> manifests, long deadline) {
        if (manifests.isEmpty()) {
            return;
        }
        long t0 = System.nanoTime();
        List<Manifest.Document> crds = new ArrayList<>();
        List<Manifest.Document> others = new ArrayList<>();
        for (Manifest manifest : manifests) {
            for (Manifest.Document doc : manifest.documents()) {
                (isCrd(doc) ? crds : others).add(doc);
            }
        }
        List<HasMetadata> applied = new ArrayList<>();
        for (Manifest.Document doc : crds) {
            applied.add(apply(doc));
        }
        for (int i = 0; i < crds.size(); i++) {
            String name = applied.get(i).getMetadata().getName();
            Manifest.Document doc = crds.get(i);
            await(doc, "Established", deadline, () -> {
                CustomResourceDefinition crd = client.apiextensions().v1().customResourceDefinitions().withName(name).get();
                return crd != null && crd.getStatus() != null && crd.getStatus().getConditions() != null
                        && crd.getStatus().getConditions().stream()
                        .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
            });
        }
        List<Deployment> deployments = new ArrayList<>();
        List<Manifest.Document> deploymentDocs = new ArrayList<>();
        for (Manifest.Document doc : others) {
            HasMetadata object = apply(doc);
            if (object instanceof Deployment d) {
                deployments.add(d);
                deploymentDocs.add(doc);
            }
        }
        if (mode == Mode.FULL) {
            for (int i = 0; i < deployments.size(); i++) {
                Deployment d = deployments.get(i);
                String namespace = Objects.requireNonNullElse(d.getMetadata().getNamespace(), client.getNamespace());
                await(deploymentDocs.get(i), "available", deadline, () -> {
                    Deployment live = client.apps().deployments().inNamespace(namespace).withName(d.getMetadata().getName()).get();
                    return live != null && live.getStatus() != null && live.getStatus().getConditions() != null
                            && live.getStatus().getConditions().stream()
                            .anyMatch(c -> "Available".equals(c.getType()) && "True".equals(c.getStatus()));
                });
            }
        }
        LOG.info("Cluster '{}': applied {} manifest object(s) ({} CRDs) in {} ms", clusterName, crds.size() + others.size(),
                crds.size(), Duration.ofNanos(System.nanoTime() - t0).toMillis());
    }

    private static boolean isCrd(Manifest.Document doc) {
        return "CustomResourceDefinition".equals(doc.kind())
                && doc.object().path("apiVersion").asText().startsWith("apiextensions.k8s.io/");
    }

    private HasMetadata apply(Manifest.Document doc) {
        HasMetadata object;
        try {
            object = client.getKubernetesSerialization().unmarshal(doc.object().toString(), HasMetadata.class);
        } catch (RuntimeException e) {
            throw new PolykubeException("cluster '" + clusterName + "': manifest " + doc.describe() + " cannot be read as a "
                    + "Kubernetes object: " + e.getMessage(), e);
        }
        try {
            return client.resource(object).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
        } catch (KubernetesClientException e) {
            String message = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage();
            throw new PolykubeException("cluster '" + clusterName + "': manifest " + doc.describe()
                    + " was refused by the API server: " + message + "; fix the manifest", e);
        }
    }

    private void await(Manifest.Document doc, String what, long deadline, BooleanSupplier condition) {
        Await.until(doc.describe() + " to become " + what, deadline, POLL, Await.when(condition), () -> { },
                last -> new PolykubeException("cluster '" + clusterName + "': " + doc.describe() + " did not become " + what
                        + " before the start timeout (last result: " + last + ")"));
    }
}
