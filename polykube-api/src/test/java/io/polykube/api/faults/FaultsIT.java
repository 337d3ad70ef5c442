package io.polykube.api.faults;

import static io.polykube.api.faults.FaultAction.conflict;
import static io.polykube.api.faults.FaultAction.expireWatchAfter;
import static io.polykube.api.faults.FaultAction.latency;
import static io.polykube.api.faults.FaultAction.tooManyRequests;
import static io.polykube.api.faults.RequestMatcher.get;
import static io.polykube.api.faults.RequestMatcher.list;
import static io.polykube.api.faults.RequestMatcher.update;
import static io.polykube.api.faults.RequestMatcher.watch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.polykube.api.Cluster;
import io.polykube.api.audit.AuditMark;
import io.polykube.api.audit.AuditQuery;
import io.polykube.api.spec.Mode;
import io.polykube.testing.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fault proxy in front of a real API server: transparent without rules, each fault as a real client meets it. */
class FaultsIT {
    static Cluster cluster;
    static Faults faults;
    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        cluster = Cluster.builder().name("faults-it").directory(dir).mode(Mode.CONTROL_PLANE).etcd(e -> e.unsafeNoFsync(true))
                .build().start();
        faults = cluster.faults();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @AfterEach
    void clearRules() {
        faults.clear();
    }

    @Test
    void withoutRulesTheProxyIsTransparentAndTheAuditLogShowsTheCallersOwnUser() throws Exception {
        String ns = namespace("transparent");
        AuditMark mark = cluster.audit().mark();
        try (KubernetesClient alice = faults.client("alice", "system:masters")) {
            assertThat(alice.getMasterUrl().toString()).startsWith(faults.url().toString());
            assertThat(alice.getKubernetesVersion().getGitVersion())
                    .isEqualTo(cluster.client().getKubernetesVersion().getGitVersion());
            alice.configMaps().inNamespace(ns).resource(configMap("one")).create();
            assertThat(alice.configMaps().inNamespace(ns).withName("one").get().getData()).containsEntry("k", "v");
            // a watch streams through: 20 events, complete and in order
            List<String> seen = new CopyOnWriteArrayList<>();
            try (Watch w = alice.configMaps().inNamespace(ns).watch(new Watcher<>() {
                @Override
                public void eventReceived(Action action, ConfigMap resource) {
                    if (action == Action.ADDED && resource.getMetadata().getName().startsWith("w-")) {
                        seen.add(resource.getMetadata().getName());
                    }
                }

                @Override
                public void onClose(WatcherException cause) {
                }
            })) {
                for (int i = 0; i < 20; i++) {
                    cluster.client().configMaps().inNamespace(ns).resource(configMap(String.format("w-%02d", i))).create();
                }
                Await.until("20 watch events through the proxy", Duration.ofSeconds(20), () -> seen.size() == 20);
            }
            assertThat(seen).isSorted().hasSize(20);
            alice.configMaps().inNamespace(ns).withName("one").delete();
        }
        AuditQuery aliceCreates = AuditQuery.all().verbs("create").resource("configmaps").namespace(ns).user("alice");
        Await.until("the audit log to show alice's create", Duration.ofSeconds(10),
                () -> !cluster.audit().events(mark, aliceCreates).isEmpty());
        assertThat(faults.log().isEmpty()).isTrue();
    }

    @Test
    void anUpdateGetsTheInjectedConflictTwiceThenSucceeds() {
        String ns = namespace("conflict");
        cluster.client().configMaps().inNamespace(ns).resource(configMap("settings")).create();
        try (KubernetesClient operator = faults.client("operator", "system:masters");
                InjectedFault twice = faults.inject(Fault.on(update("configmaps").in(ns)).then(conflict()).times(2))) {
            for (int i = 0; i < 2; i++) {
                ConfigMap latest = operator.configMaps().inNamespace(ns).withName("settings").get();
                latest.getData().put("attempt", String.valueOf(i));
                assertThatThrownBy(() -> operator.configMaps().inNamespace(ns).resource(latest).update())
                        .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                            assertThat(e.getCode()).isEqualTo(409);
                            assertThat(e.getStatus().getReason()).isEqualTo("Conflict");
                            assertThat(e.getMessage()).contains("the object has been modified");
                        });
            }
            ConfigMap latest = operator.configMaps().inNamespace(ns).withName("settings").get();
            latest.getData().put("attempt", "3");
            operator.configMaps().inNamespace(ns).resource(latest).update();
            assertThat(twice.hits()).isEqualTo(2);
            assertThat(twice.active()).isFalse();
        }
        assertThat(cluster.client().configMaps().inNamespace(ns).withName("settings").get().getData())
                .containsEntry("attempt", "3");
        FaultLog log = faults.log();
        assertThat(log.entries()).hasSize(2).allSatisfy(e -> {
            assertThat(e.request().verb()).isEqualTo("update");
            assertThat(e.request().user()).isEqualTo("operator");
            assertThat(e.request().name()).isEqualTo("settings");
        });
        assertThat(log.format()).contains("update configmaps " + ns + "/settings by operator <- 409 Conflict");
    }

    @Test
    void throttlingCarriesRetryAfterAndFabric8RetriesItself() throws Exception {
        String ns = namespace("throttle");
        faults.inject(Fault.on(list("configmaps").in(ns)).then(tooManyRequests(Duration.ofSeconds(1))).times(1));
        try (KubernetesClient raw = clientWithoutRetries()) {
            HttpClient http = raw.getHttpClient();
            HttpResponse<String> answer = http.sendAsync(http.newHttpRequestBuilder()
                    .uri(faults.url() + "/api/v1/namespaces/" + ns + "/configmaps").build(), String.class)
                    .get(20, TimeUnit.SECONDS);
            assertThat(answer.code()).isEqualTo(429);
            assertThat(answer.header("Retry-After")).isEqualTo("1");
            assertThat(answer.body()).contains("\"reason\":\"TooManyRequests\"").contains("\"retryAfterSeconds\":1");
        }
        // fabric8 retries a 429 itself (on its own backoff, shorter than Retry-After here): two 429s, then the list succeeds
        InjectedFault twice = faults.inject(Fault.on(list("configmaps").in(ns)).then(tooManyRequests(Duration.ofSeconds(1)))
                .times(2));
        assertThat(faults.client().configMaps().inNamespace(ns).list().getItems()).isNotNull();
        assertThat(twice.hits()).isEqualTo(2);
    }

    @Test
    void aWatchStreamedOverHttpEndsAfterTwoEventsOrExpiresAtOnce() throws Exception {
        String ns = namespace("streamed");
        for (int i = 1; i <= 4; i++) {
            cluster.client().configMaps().inNamespace(ns).resource(configMap("s-" + i)).create();
        }
        InjectedFault end = faults.inject(Fault.on(watch("configmaps").in(ns)).then(FaultAction.endWatchAfter(2)).times(1));
        try (KubernetesClient raw = clientWithoutRetries()) {
            HttpClient http = raw.getHttpClient();
            String url = faults.url() + "/api/v1/namespaces/" + ns + "/configmaps?watch=true";
            // without a resource version the API server starts with an ADDED event per object: 5 here, the proxy lets 2 through
            HttpResponse<String> ended = http.sendAsync(http.newHttpRequestBuilder().uri(url).build(), String.class)
                    .get(20, TimeUnit.SECONDS);
            assertThat(ended.code()).isEqualTo(200);
            assertThat(ended.body().strip().split("\n")).hasSize(2).allSatisfy(line -> assertThat(line).startsWith(
                    "{\"type\":\"ADDED\""));
            assertThat(end.hits()).isEqualTo(1);
            faults.inject(Fault.on(watch("configmaps").in(ns)).then(expireWatchAfter(0)).times(1));
            HttpResponse<String> expired = http.sendAsync(http.newHttpRequestBuilder().uri(url).build(), String.class)
                    .get(20, TimeUnit.SECONDS);
            assertThat(expired.body()).startsWith("{\"type\":\"ERROR\"").contains("\"code\":410").contains("\"reason\":\"Expired\"");
        }
    }

    @Test
    void aWatchExpiredWith410MakesAnInformerListAgainAndSeeEveryObject() {
        String ns = namespace("expire");
        AuditMark mark = cluster.audit().mark();
        InjectedFault expire = faults.inject(Fault.on(watch("configmaps").in(ns)).then(expireWatchAfter(1)).times(1));
        try (KubernetesClient informerClient = faults.client("informer", "system:masters");
                SharedIndexInformer<ConfigMap> informer = informerClient.configMaps().inNamespace(ns).inform()) {
            for (int i = 1; i <= 3; i++) {
                cluster.client().configMaps().inNamespace(ns).resource(configMap("cm-" + i)).create();
            }
            Await.until("the watch to be expired once", Duration.ofSeconds(20), () -> expire.hits() == 1);
            for (int i = 4; i <= 5; i++) {
                cluster.client().configMaps().inNamespace(ns).resource(configMap("cm-" + i)).create();
            }
            Await.until("the informer to hold all 5 config maps", Duration.ofSeconds(30), () -> informer.getStore().list()
                    .stream().filter(c -> c.getMetadata().getName().startsWith("cm-")).count() == 5);
        }
        // the informer listed twice: at its start and after the 410 (the audit log names the proxied user)
        AuditQuery lists = AuditQuery.all().user("informer").verbs("list").resource("configmaps").namespace(ns)
                .stage("ResponseComplete");
        Await.until(() -> "the audit log to show the informer's two lists; its requests: " + cluster.audit().events(mark,
                AuditQuery.all().user("informer")), Duration.ofSeconds(10), () -> cluster.audit().events(mark, lists).size() >= 2);
    }

    @Test
    void latencyShowsInTheClientsTiming() {
        String ns = namespace("latency");
        cluster.client().configMaps().inNamespace(ns).resource(configMap("slow")).create();
        KubernetesClient through = faults.client();
        through.configMaps().inNamespace(ns).withName("slow").get();
        InjectedFault slow = faults.inject(Fault.on(get("configmaps").named("slow")).then(latency(Duration.ofMillis(400))));
        long delayed = timeGet(through, ns);
        assertThat(slow.hits()).isEqualTo(1);
        assertThat(delayed).as("a get held back 400 ms, in ms").isGreaterThanOrEqualTo(400);
        slow.close();
        assertThat(faults.injected()).isEmpty();
        timeGet(through, ns); // a lower bound is all a timing can prove on a busy host: the closed rule is not met again
        assertThat(slow.hits()).isEqualTo(1);
        assertThat(faults.log().entries()).hasSize(1);
    }

    private static long timeGet(KubernetesClient client, String ns) {
        long t0 = System.nanoTime();
        assertThat(client.configMaps().inNamespace(ns).withName("slow").get()).isNotNull();
        return (System.nanoTime() - t0) / 1_000_000;
    }

    private static KubernetesClient clientWithoutRetries() throws Exception {
        Path kubeconfig = faults.kubeconfig("raw", "system:masters");
        Config config = Config.fromKubeconfig(null, Files.readString(kubeconfig), kubeconfig.toString());
        config.setRequestRetryBackoffLimit(0);
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    private static String namespace(String name) {
        cluster.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
                .create();
        return name;
    }

    private static ConfigMap configMap(String name) {
        return new ConfigMapBuilder().withNewMetadata().withName(name).endMetadata().addToData("k", "v").build();
    }
}
