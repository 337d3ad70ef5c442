package io.polykube.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.polykube.api.Cluster;
import io.polykube.api.junit.Polykube;
import io.polykube.api.junit.PolykubeKubeconfig;
import io.polykube.api.junit.TestNamespace;
import io.polykube.api.junit.WithPolykube;
import io.polykube.testing.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * RBAC with restricted users: the cluster issues each user a client certificate (CN = user, O = groups); the API server
 * authorizes with RBAC, so a new user can do nothing until a binding allows it.
 */
@WithPolykube(namespacePerTest = true)
class RbacIT {
    @Polykube
    Cluster cluster;
    @Polykube
    TestNamespace namespace;

    @Test
    void aliceMayReadSecretsOnlyAfterARoleBindingAllowsIt() {
        KubernetesClient admin = namespace.client();
        admin.secrets().resource(new SecretBuilder().withNewMetadata().withName("db").endMetadata()
                .addToStringData("password", "s3cret").build()).create();

        try (KubernetesClient alice = cluster.client("alice")) { // a new certificate for user alice; we close this client
            assertForbidden(() -> alice.secrets().inNamespace(namespace.name()).list());

            admin.rbac().roles().resource(new RoleBuilder().withNewMetadata().withName("secret-reader").endMetadata()
                    .addNewRule().withApiGroups("").withResources("secrets").withVerbs("get", "list").endRule()
                    .build()).create();
            admin.rbac().roleBindings().resource(new RoleBindingBuilder().withNewMetadata().withName("alice-reads").endMetadata()
                    .withNewRoleRef("rbac.authorization.k8s.io", "Role", "secret-reader")
                    .addNewSubject().withApiGroup("rbac.authorization.k8s.io").withKind("User").withName("alice").endSubject()
                    .build()).create();

            // The authorizer learns about new bindings through a watch: poll the real condition, with a deadline.
            eventually(Duration.ofSeconds(30), () -> alice.secrets().inNamespace(namespace.name()).list());
            assertThat(alice.secrets().inNamespace(namespace.name()).withName("db").get().getData()).containsKey("password");

            // Only reading, only here.
            assertForbidden(() -> alice.secrets().inNamespace(namespace.name()).withName("db").delete());
            assertForbidden(() -> alice.secrets().inNamespace("kube-system").list());
        }
    }

    @Test
    void aGroupBindingAppliesToEveryMemberAndKubeconfigsWorkForTools(
            @PolykubeKubeconfig(user = "bob", groups = "viewers") Path bobKubeconfig) throws Exception {
        String binding = "viewers-" + namespace.name(); // cluster-scoped: unique per test
        try (KubernetesClient bob = cluster.client("bob", "viewers")) {
            assertForbidden(() -> bob.configMaps().inNamespace(namespace.name()).list());

            namespace.client().rbac().clusterRoleBindings().resource(new ClusterRoleBindingBuilder()
                    .withNewMetadata().withName(binding).endMetadata()
                    .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", "view")
                    .addNewSubject().withApiGroup("rbac.authorization.k8s.io").withKind("Group").withName("viewers").endSubject()
                    .build()).create();
            try {
                eventually(Duration.ofSeconds(30), () -> bob.configMaps().inNamespace(namespace.name()).list());
                assertForbidden(() -> bob.secrets().inNamespace(namespace.name()).list()); // "view" excludes secrets
            } finally {
                namespace.client().rbac().clusterRoleBindings().withName(binding).delete();
            }
        }
        // The same identity as a kubeconfig file, for kubectl, helm or any other tool.
        assertThat(Files.readString(bobKubeconfig)).contains("client-certificate-data", cluster.apiServerUrl().toString());
    }

    private static void assertForbidden(ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(KubernetesClientException.class,
                e -> assertThat(e.getCode()).as(e.getMessage()).isEqualTo(403));
    }

    /** Retries {@code call} while it is forbidden, until it succeeds or the deadline passes. */
    private static void eventually(Duration timeout, Runnable call) {
        AtomicReference<KubernetesClientException> forbidden = new AtomicReference<>();
        Await.until(() -> "the call to be allowed (last answer: " + forbidden.get().getMessage() + ")", timeout, () -> {
            try {
                call.run();
                return true;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 403) {
                    throw e;
                }
                forbidden.set(e);
                return false;
            }
        });
    }
}
