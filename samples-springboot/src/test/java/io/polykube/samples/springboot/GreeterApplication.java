package io.polykube.samples.springboot;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Path;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * The application under test: it keeps greetings as ConfigMaps ({@link GreetingStore}) in the cluster its
 * {@code app.kubeconfig} names. Test code here; in a real project it is the main code.
 */
@SpringBootApplication
public class GreeterApplication {

    public static void main(String[] args) {
        SpringApplication.run(GreeterApplication.class, args);
    }

    /**
     * The app's client, from the kubeconfig file {@code app.kubeconfig} alone: never {@code ~/.kube/config}, the
     * {@code KUBECONFIG} variable or an in-cluster service account, so a test decides which cluster the app talks to.
     */
    @Bean(destroyMethod = "close")
    KubernetesClient kubernetesClient(@Value("${app.kubeconfig}") Path kubeconfig) {
        return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeconfig.toFile())).build();
    }
}
