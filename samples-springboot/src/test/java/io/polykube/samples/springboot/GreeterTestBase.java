package io.polykube.samples.springboot;

import static org.assertj.core.api.Assertions.assertThat;

import io.polykube.api.Cluster;
import io.polykube.api.junit.PolykubeKubeconfig;
import io.polykube.api.junit.WithPolykube;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The configuration every Spring test class of the app extends: the polykube cluster, and the app pointed at it through
 * {@code app.kubeconfig}. Classes that extend it share one Spring context (Spring's context cache) and one cluster
 * (polykube shares a cluster among classes asking for the same spec).
 *
 * <p>Why a base class: Spring's cache key includes the {@code @DynamicPropertySource} methods themselves, so each class
 * declaring its own would get a context of its own. The cached context keeps pointing at the cluster it was made with,
 * which is right only because that cluster is shared: with {@code @WithPolykube(freshCluster = true)}, mark the class
 * {@code @DirtiesContext}. {@code @WithPolykube} comes first, so its static fields are set before Spring makes the
 * context.
 */
@WithPolykube
@SpringBootTest(classes = GreeterApplication.class)
abstract class GreeterTestBase {
    /** What the classes saw, to check that they saw the same; only the second class to run can tell. */
    private static final Set<ApplicationContext> CONTEXTS = ConcurrentHashMap.newKeySet();
    private static final Set<Path> CLUSTERS = ConcurrentHashMap.newKeySet();

    /** The admin kubeconfig of the cluster, set by polykube before Spring makes the context. */
    @PolykubeKubeconfig
    static Path kubeconfig;

    @DynamicPropertySource
    static void cluster(DynamicPropertyRegistry registry) {
        registry.add("app.kubeconfig", () -> kubeconfig.toString()); // read when the context is made
    }

    @Test
    void everyClassGetsTheSameSpringContextAndCluster(ApplicationContext context, Cluster cluster) {
        CONTEXTS.add(context);
        CLUSTERS.add(cluster.directory());

        assertThat(CONTEXTS).as("Spring contexts seen by the test classes").hasSize(1);
        assertThat(CLUSTERS).as("polykube clusters seen by the test classes").hasSize(1);
        assertThat(context.getEnvironment().getProperty("app.kubeconfig")).isEqualTo(cluster.kubeconfig().toString());
    }
}
