package io.polykube.api.junit;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import java.util.Objects;

/**
 * The namespace {@link WithPolykube#namespacePerTest()} creates for one test method: a unique name and a client whose
 * default namespace it is. Deleted (and the deletion awaited) after the test.
 */
public final class TestNamespace {
    private final Namespace namespace;
    private final KubernetesClient client;

    TestNamespace(Namespace namespace, KubernetesClient adminClient) {
        this.namespace = Objects.requireNonNull(namespace, "namespace");
        this.client = adminClient.adapt(NamespacedKubernetesClient.class).inNamespace(namespace.getMetadata().getName());
    }

    /** The namespace's name, e.g. {@code creates-a-configmap-x7k2p}. */
    public String name() {
        return namespace.getMetadata().getName();
    }

    /**
     * The admin client with this namespace as its default: {@code namespace.client().configMaps().resource(cm).create()}
     * creates in it. It shares the cluster's connection: do not close it.
     */
    public KubernetesClient client() {
        return client;
    }

    /** The namespace object as the API server returned it on creation. */
    public Namespace namespace() {
        return namespace;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TestNamespace other && other.name().equals(name());
    }

    @Override
    public int hashCode() {
        return name().hashCode();
    }

    @Override
    public String toString() {
        return name();
    }
}
