package io.polykube.samples.josdk;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Version;

/** A greeting for {@code spec.name}; its CRD is {@code greetings.samples.polykube.io.yaml} in the test resources. */
@Group("samples.polykube.io")
@Version("v1")
public class Greeting extends CustomResource<Greeting.Spec, Greeting.Status> implements Namespaced {

    /** Who to greet. */
    public record Spec(String name) {
    }

    /** What the operator made: the message and the ConfigMap holding it. */
    public record Status(String message, String configMap) {
    }

    static Greeting named(String name, String whom) {
        Greeting greeting = new Greeting();
        greeting.getMetadata().setName(name);
        greeting.setSpec(new Spec(whom));
        return greeting;
    }
}
