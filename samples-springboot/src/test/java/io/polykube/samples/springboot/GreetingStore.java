package io.polykube.samples.springboot;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Optional;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/** The app's business bean: a greeting per name, kept as the ConfigMap {@code greeting-<name>} in {@code app.namespace}. */
@Component
public class GreetingStore {
    static final String KEY = "message";

    private final KubernetesClient client;
    private final String namespace;

    GreetingStore(KubernetesClient client, @Value("${app.namespace:default}") String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    static String configMapName(String name) {
        return "greeting-" + name;
    }

    /** Creates or replaces the greeting for {@code name} (server-side apply). */
    public void save(String name, String message) {
        ConfigMap configMap = new ConfigMapBuilder()
                .withNewMetadata().withName(configMapName(name)).withNamespace(namespace).endMetadata()
                .addToData(KEY, message)
                .build();
        client.configMaps().inNamespace(namespace).resource(configMap).forceConflicts().serverSideApply();
    }

    /** The greeting for {@code name}, if there is one. */
    public Optional<String> message(String name) {
        return Optional.ofNullable(client.configMaps().inNamespace(namespace).withName(configMapName(name)).get())
                .map(cm -> cm.getData().get(KEY));
    }
}
