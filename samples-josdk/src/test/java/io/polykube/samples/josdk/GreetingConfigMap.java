package io.polykube.samples.josdk;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;

/**
 * The ConfigMap {@code <greeting>-greeting} a {@link Greeting} owns. JOSDK creates and updates it from {@link #desired}
 * and sets the owner reference, so Kubernetes' garbage collector deletes it with the Greeting.
 */
public class GreetingConfigMap extends CRUDKubernetesDependentResource<ConfigMap, Greeting> {

    static String nameOf(Greeting greeting) {
        return greeting.getMetadata().getName() + "-greeting";
    }

    static String messageFor(Greeting greeting) {
        return "Hello, " + greeting.getSpec().name() + "!";
    }

    @Override
    protected ConfigMap desired(Greeting greeting, Context<Greeting> context) {
        return new ConfigMapBuilder()
                .withNewMetadata()
                    .withName(nameOf(greeting))
                    .withNamespace(greeting.getMetadata().getNamespace())
                .endMetadata()
                .addToData("greeting", messageFor(greeting))
                .build();
    }
}
