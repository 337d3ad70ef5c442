package io.polykube.samples;

import static io.polykube.api.faults.FaultAction.conflict;
import static io.polykube.api.faults.FaultAction.expireWatchAfter;
import static io.polykube.api.faults.FaultAction.tooManyRequests;
import static io.polykube.api.faults.RequestMatcher.patch;
import static io.polykube.api.faults.RequestMatcher.watch;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.polykube.api.audit.AuditEvent;
import io.polykube.api.audit.AuditLog;
import io.polykube.api.audit.AuditQuery;
import io.polykube.api.faults.Fault;
import io.polykube.api.faults.FaultLog;
import io.polykube.api.faults.Faults;
import io.polykube.api.faults.InjectedFault;
import io.polykube.api.junit.Polykube;
import io.polykube.api.junit.TestNamespace;
import io.polykube.api.junit.WithPolykube;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The operator's error handling against the real API server: the operator talks through {@link Faults} (the fault
 * proxy), which answers chosen requests with a conflict, throttling or an expired watch, while the test's own client
 * stays direct. What the operator met is asserted from the {@link FaultLog}; what reached the API server, from the
 * audit log. The extension withdraws every rule after each test, and prints the fault log when a test fails.
 */
@WithPolykube(namespacePerTest = true)
class GreeterOperatorUnderFaultsIT {
    private static final AuditQuery BY_OPERATOR = AuditQuery.all().user("greeter").stage("ResponseComplete");

    @Polykube
    TestNamespace namespace;
    @Polykube
    AuditLog audit;
    @Polykube
    Faults faults;

    @Test
    void aConflictIsReconciledAgainUntilTheWriteGoesThrough() {
        InjectedFault conflicts = faults.inject(Fault.on(patch("configmaps").in(namespace.name()).named("team-greeting"))
                .then(conflict()).times(2));
        try (KubernetesClient client = operatorClient(); GreeterOperator operator = new GreeterOperator(client)) {
            createSource("team", "conflicts");
            awaitGreeting("team", "Hello, conflicts!");
        }

        assertThat(conflicts.hits()).as("conflicts answered").isEqualTo(2);
        assertThat(faults.log().entries()).as("the fault log").hasSize(2).allSatisfy(e -> {
            assertThat(e.request().verb()).isEqualTo("patch");
            assertThat(e.request().user()).isEqualTo("greeter");
        });
        // the two conflicts never reached the API server: it saw exactly one write, and it succeeded
        assertThat(audit.inNamespace(namespace.name()).await(BY_OPERATOR.writes(), 1, Duration.ofSeconds(10)))
                .singleElement().satisfies(e -> assertThat(e.responseCode()).isIn(200, 201));
    }

    @Test
    void throttlingIsWaitedOutForTheServersRetryAfter() {
        InjectedFault throttled = faults.inject(Fault.on(patch("configmaps").in(namespace.name()))
                .then(tooManyRequests(Duration.ofSeconds(1))).times(1));
        try (KubernetesClient client = operatorClient(); GreeterOperator operator = new GreeterOperator(client)) {
            createSource("team", "throttling");
            awaitGreeting("team", "Hello, throttling!");
        }

        assertThat(throttled.hits()).isEqualTo(1);
        Instant answered429 = faults.log().entries().get(0).time();
        AuditEvent write = audit.inNamespace(namespace.name()).await(BY_OPERATOR.writes(), 1, Duration.ofSeconds(10)).get(0);
        assertThat(write.received()).as("when the retried write reached the API server").get()
                .satisfies(received -> assertThat(received).isAfterOrEqualTo(answered429.plusSeconds(1)));
    }

    @Test
    void anExpiredWatchMakesTheInformerListAgainAndMissNothing() {
        InjectedFault expired = faults.inject(Fault.on(watch("configmaps").in(namespace.name()))
                .then(expireWatchAfter(0)).times(1));
        createSource("before", "first");
        try (KubernetesClient client = operatorClient(); GreeterOperator operator = new GreeterOperator(client)) {
            awaitGreeting("before", "Hello, first!");
            createSource("after", "second");
            awaitGreeting("after", "Hello, second!");
        }

        assertThat(expired.hits()).as("watches ended with 410 Expired").isEqualTo(1);
        assertThat(faults.log().entries()).singleElement().satisfies(e -> assertThat(e.request().isWatch()).isTrue());
        // the informer listed at its start and again after the 410
        List<AuditEvent> lists = audit.inNamespace(namespace.name())
                .await(BY_OPERATOR.verbs("list").resource("configmaps"), 2, Duration.ofSeconds(10));
        assertThat(lists).hasSizeGreaterThanOrEqualTo(2);
    }

    /**
     * The operator's client goes through the fault proxy, as the user {@code greeter}, in this test's namespace; fabric8's
     * own retries are off, so the operator's work queue, not the client, is what meets the errors (as in
     * controller-runtime). With fabric8's default, it would retry a 429 or a 5xx itself before the operator saw it.
     */
    private KubernetesClient operatorClient() {
        try (KubernetesClient proxied = faults.client("greeter", "system:masters")) {
            return new KubernetesClientBuilder().withConfig(new ConfigBuilder(proxied.getConfiguration())
                    .withNamespace(namespace.name()).withRequestRetryBackoffLimit(0).build()).build();
        }
    }

    private void createSource(String name, String greeted) {
        namespace.client().configMaps().resource(new ConfigMapBuilder()
                .withNewMetadata().withName(name).addToLabels(GreeterOperator.LABEL, "true").endMetadata()
                .addToData("name", greeted).build()).create();
    }

    private void awaitGreeting(String source, String greeting) {
        ConfigMap made = namespace.client().configMaps().withName(source + "-greeting")
                .waitUntilCondition(cm -> cm != null && greeting.equals(cm.getData().get("greeting")), 30, TimeUnit.SECONDS);
        assertThat(made.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(owner -> assertThat(owner.getName()).isEqualTo(source));
    }
}
