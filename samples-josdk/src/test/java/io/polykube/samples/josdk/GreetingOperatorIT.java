package io.polykube.samples.josdk;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.javaoperatorsdk.operator.Operator;
import io.polykube.api.junit.Polykube;
import io.polykube.api.junit.Reset;
import io.polykube.api.junit.WithPolykube;
import java.util.Objects;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A Java Operator SDK operator against a real control plane: the API server stores the Greeting's status and
 * finalizer, the controller manager's garbage collector deletes the owned ConfigMap and its namespace controller
 * deletes a whole namespace, finalizers first. The CRD is applied when the cluster starts; {@link Reset#PER_METHOD}
 * brings the cluster back to that state before each test (the CRD stays), so every test uses the same names.
 */
@WithPolykube(manifests = "classpath:greetings.samples.polykube.io.yaml", reset = Reset.PER_METHOD)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // only to run the reset check last
class GreetingOperatorIT {
    private static final String NAMESPACE = "greetings";
    private static final long TIMEOUT_SECONDS = 60;

    @Polykube
    KubernetesClient client;

    private final Guestbook guestbook = new Guestbook();
    private Operator operator;

    @BeforeEach
    void startOperator() {
        // The operator works through polykube's admin client. That client belongs to the cluster: the operator must not
        // close it when it stops.
        operator = new Operator(o -> o.withKubernetesClient(client).withCloseClientOnStop(false));
        operator.register(new GreetingReconciler(guestbook));
        operator.start(); // returns once its informers have synced
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
                .create();
    }

    @AfterEach
    void stopOperator() {
        operator.stop();
    }

    @Test
    void reconcileCreatesTheOwnedConfigMapAndSetsTheStatus() {
        Greeting created = greetings().resource(Greeting.named("hello", "polykube")).create();

        Greeting greeting = awaitStatus("hello", "Hello, polykube!");
        assertThat(greeting.getStatus().configMap()).isEqualTo("hello-greeting");
        assertThat(greeting.getMetadata().getFinalizers()).as("JOSDK's finalizer, since the reconciler is a Cleaner")
                .hasSize(1);
        assertThat(guestbook.contains(NAMESPACE, "hello")).isTrue();

        ConfigMap configMap = client.configMaps().inNamespace(NAMESPACE).withName("hello-greeting").get();
        assertThat(configMap.getData()).containsEntry("greeting", "Hello, polykube!");
        assertThat(configMap.getMetadata().getOwnerReferences()).singleElement().satisfies(owner -> {
            assertThat(owner.getKind()).isEqualTo("Greeting");
            assertThat(owner.getUid()).isEqualTo(created.getMetadata().getUid());
        });

        greetings().withName("hello").edit(g -> {
            g.setSpec(new Greeting.Spec("Kubernetes"));
            return g;
        });
        awaitStatus("hello", "Hello, Kubernetes!");
        client.configMaps().inNamespace(NAMESPACE).withName("hello-greeting").waitUntilCondition(
                cm -> cm != null && "Hello, Kubernetes!".equals(cm.getData().get("greeting")), TIMEOUT_SECONDS, SECONDS);
        // left in place: the reset before the next test removes it
    }

    @Test
    void theGarbageCollectorDeletesTheConfigMapWithItsGreeting() {
        greetings().resource(Greeting.named("hello", "polykube")).create();
        awaitStatus("hello", "Hello, polykube!");

        greetings().withName("hello").delete();

        // The finalizer holds the Greeting until cleanup ran; then the API server deletes it, and the garbage collector
        // (kube-controller-manager) deletes what it owns: JOSDK itself deletes nothing. The collector finds a CRD made
        // after it started at its next discovery, every 30 s, so this can take that long.
        greetings().withName("hello").waitUntilCondition(Objects::isNull, TIMEOUT_SECONDS, SECONDS);
        assertThat(guestbook.contains(NAMESPACE, "hello")).isFalse();
        client.configMaps().inNamespace(NAMESPACE).withName("hello-greeting")
                .waitUntilCondition(Objects::isNull, TIMEOUT_SECONDS, SECONDS);
    }

    @Test
    void theFinalizerRunsWhenTheNamespaceIsDeleted() {
        greetings().resource(Greeting.named("hello", "polykube")).create();
        awaitStatus("hello", "Hello, polykube!");
        assertThat(guestbook.contains(NAMESPACE, "hello")).isTrue();

        client.namespaces().withName(NAMESPACE).delete();

        // The namespace controller deletes the Greeting but cannot remove the namespace while the Greeting's finalizer
        // is there: the namespace is gone only after the operator's cleanup ran and JOSDK removed the finalizer. (If the
        // controller deletes the ConfigMap first, a reconcile fails to make it again in the terminating namespace: JOSDK
        // logs that 403 as a warning and carries on.)
        client.namespaces().withName(NAMESPACE).waitUntilCondition(Objects::isNull, TIMEOUT_SECONDS, SECONDS);
        assertThat(guestbook.contains(NAMESPACE, "hello")).as("signed out by the finalizer").isFalse();
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void eachTestStartsFromTheClusterAsItStarted() {
        // The tests before this one left a Greeting and its ConfigMap behind (and @BeforeEach made the namespace again
        // without a conflict): the reset removed them, and kept the CRD that the cluster started with.
        assertThat(client.resources(Greeting.class).inAnyNamespace().list().getItems()).isEmpty();
        assertThat(client.configMaps().inNamespace(NAMESPACE).withName("hello-greeting").get()).isNull();
        assertThat(client.apiextensions().v1().customResourceDefinitions().withName("greetings.samples.polykube.io").get())
                .isNotNull();
    }

    private NonNamespaceOperation<Greeting, KubernetesResourceList<Greeting>, Resource<Greeting>> greetings() {
        return client.resources(Greeting.class).inNamespace(NAMESPACE);
    }

    private Greeting awaitStatus(String name, String message) {
        return greetings().withName(name).waitUntilCondition(
                g -> g != null && g.getStatus() != null && message.equals(g.getStatus().message()), TIMEOUT_SECONDS, SECONDS);
    }
}
