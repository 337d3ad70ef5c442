package io.polykube.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.polykube.runtime.probe.TlsTrust;
import io.polykube.testing.Await;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One control-plane cluster, used the way the lab uses it, with RBAC and verified TLS. */
class ControlPlaneClusterIT {
    static Cluster cluster;
    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        cluster = Cluster.builder().name("cp-it").directory(dir).mode(Mode.CONTROL_PLANE).etcd(e -> e.unsafeNoFsync(true))
                .build().start();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void controllersTurnADeploymentIntoAReplicaSetAndAPendingPod() {
        KubernetesClient client = cluster.client();
        assertThat(client.namespaces().list().getItems()).extracting(n -> n.getMetadata().getName())
                .contains("default", "kube-system", "kube-public");
        client.apps().deployments().inNamespace("default").resource(new DeploymentBuilder()
                .withNewMetadata().withName("blue").endMetadata()
                .withNewSpec().withReplicas(1).withNewSelector().addToMatchLabels("app", "blue").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "blue").endMetadata()
                .withNewSpec().addNewContainer().withName("web").withImage("polykube.local/blue:1").endContainer().endSpec()
                .endTemplate().endSpec().build()).create();
        Await.until("a ReplicaSet and a Pending pod for deployment blue", Duration.ofSeconds(60), () ->
                !client.apps().replicaSets().inNamespace("default").withLabel("app", "blue").list().getItems().isEmpty()
                        && client.pods().inNamespace("default").withLabel("app", "blue").list().getItems().stream()
                        .anyMatch(p -> "Pending".equals(p.getStatus().getPhase())));
    }

    @Test
    void aDeletedNamespaceReallyGoesAway() {
        KubernetesClient client = cluster.client();
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("doomed").endMetadata().build()).create();
        client.configMaps().inNamespace("doomed").resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
                .withNewMetadata().withName("c").endMetadata().addToData("k", "v").build()).create();
        client.namespaces().withName("doomed").delete();
        Await.until("namespace doomed to be gone (the namespace controller finalizes it)", Duration.ofSeconds(60),
                () -> client.namespaces().withName("doomed").get() == null);
    }

    @Test
    void aNewUserIsForbiddenUntilARoleBindingAllowsIt() throws Exception {
        assertThat(cluster.kubeconfig("alice")).isRegularFile();
        try (KubernetesClient alice = cluster.client("alice")) {
            assertThatThrownBy(() -> alice.secrets().inNamespace("default").list())
                    .isInstanceOf(KubernetesClientException.class)
                    .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(403));
            KubernetesClient admin = cluster.client();
            admin.rbac().roles().inNamespace("default").resource(new RoleBuilder().withNewMetadata().withName("secret-reader")
                    .endMetadata().addNewRule().withApiGroups("").withResources("secrets").withVerbs("list", "get").endRule().build())
                    .create();
            admin.rbac().roleBindings().inNamespace("default").resource(new RoleBindingBuilder().withNewMetadata()
                    .withName("alice-reads-secrets").endMetadata().withNewRoleRef("rbac.authorization.k8s.io", "Role", "secret-reader")
                    .addNewSubject().withKind("User").withName("alice").withApiGroup("rbac.authorization.k8s.io").endSubject().build())
                    .create();
            Await.until("alice to be allowed to list secrets", Duration.ofSeconds(60), () -> {
                try {
                    alice.secrets().inNamespace("default").list();
                    return true;
                } catch (KubernetesClientException e) {
                    return false;
                }
            });
            assertThatThrownBy(() -> alice.configMaps().inNamespace("default").list()).isInstanceOf(KubernetesClientException.class);
        }
    }

    @Test
    void theBuiltKubectlWorksWithTheAdminKubeconfigWithoutInsecureFlags() throws Exception {
        assertThat(Files.readString(cluster.kubeconfig())).doesNotContain("insecure-skip-tls-verify");
        Path kubectl = Path.of(System.getProperty("polykube.kubernetes.bin.dir"), "kubectl");
        Process p = new ProcessBuilder(kubectl.toString(), "--kubeconfig", cluster.kubeconfig().toString(), "get", "namespaces",
                "-o", "name").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("namespace/kube-system");
    }

    @Test
    void aRequestWithoutAClientCertificateIsUnauthorized() throws Exception {
        Path ca = cluster.directory().resolve("pki/ca.crt");
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(TlsTrust.ca(ca).sslContext()).connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(cluster.apiServerUrl() + "/api/v1/namespaces"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(401);
    }

    @Test
    void statusShowsEveryComponentReady() {
        List<ComponentStatus> status = cluster.status();
        assertThat(status).extracting(ComponentStatus::component).containsExactlyInAnyOrder(Component.ETCD, Component.KUBE_APISERVER,
                Component.KUBE_CONTROLLER_MANAGER, Component.KUBE_SCHEDULER);
        assertThat(status).allMatch(ComponentStatus::ready).allMatch(s -> s.pid().isPresent() && s.port().isPresent());
        // the timeline: each launched, then ready; the controller manager and scheduler launched once the API server served
        assertThat(status).allSatisfy(s -> assertThat(s.startup()).hasValueSatisfying(d -> assertThat(d).isPositive()));
        Map<Component, ComponentStatus> byComponent = status.stream().collect(Collectors.toMap(ComponentStatus::component, s -> s));
        Instant apiReady = byComponent.get(Component.KUBE_APISERVER).readyAt().orElseThrow();
        assertThat(byComponent.get(Component.KUBE_APISERVER).launchedAt().orElseThrow())
                .isAfterOrEqualTo(byComponent.get(Component.ETCD).readyAt().orElseThrow());
        assertThat(byComponent.get(Component.KUBE_CONTROLLER_MANAGER).launchedAt().orElseThrow()).isAfterOrEqualTo(apiReady);
        assertThat(byComponent.get(Component.KUBE_SCHEDULER).launchedAt().orElseThrow()).isAfterOrEqualTo(apiReady);
    }

    @Test
    void apiServerRunsWithoutWatchCache() throws Exception {
        long pid = cluster.status().stream().filter(s -> s.component() == Component.KUBE_APISERVER).findFirst().orElseThrow()
                .pid().orElseThrow();
        String commandLine = Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"));
        assertThat(commandLine.split("\0")).contains("--watch-cache=false");
    }

}
