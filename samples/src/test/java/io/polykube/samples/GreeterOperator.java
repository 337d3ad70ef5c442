package io.polykube.samples;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.Map;

/**
 * A minimal operator, the kind of code {@link GreeterOperatorIT} tests: for every ConfigMap labelled {@code greeter=true}
 * in its namespace it keeps a ConfigMap {@code <name>-greeting} saying hello to {@code data.name}. The greeting is owned
 * by its source, so Kubernetes' garbage collector deletes it with the source.
 */
final class GreeterOperator implements AutoCloseable {
    static final String LABEL = "greeter";

    private final KubernetesClient client;
    private final SharedIndexInformer<ConfigMap> informer;

    /** Starts watching; {@code client}'s default namespace is the one it serves. */
    GreeterOperator(KubernetesClient client) {
        this.client = client;
        this.informer = client.configMaps().withLabel(LABEL, "true").inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(ConfigMap source) {
                reconcile(source);
            }

            @Override
            public void onUpdate(ConfigMap old, ConfigMap source) {
                reconcile(source);
            }

            @Override
            public void onDelete(ConfigMap source, boolean finalStateUnknown) {
                // Nothing to do: the owner reference lets the garbage collector delete the greeting.
            }
        });
    }

    private void reconcile(ConfigMap source) {
        Map<String, String> data = source.getData() == null ? Map.of() : source.getData();
        ConfigMap greeting = new ConfigMapBuilder()
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
        client.configMaps().resource(greeting).fieldManager("greeter").forceConflicts().serverSideApply();
    }

    @Override
    public void close() {
        informer.close();
    }
}
