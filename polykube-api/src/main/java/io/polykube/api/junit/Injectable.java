package io.polykube.api.junit;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.polykube.api.Cluster;
import io.polykube.api.audit.AuditLog;
import io.polykube.api.error.PolykubeException;
import io.polykube.api.faults.Faults;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** What the extension can inject, and how each is obtained. */
enum Injectable {
    CLUSTER(Cluster.class),
    CLIENT(KubernetesClient.class),
    TEST_NAMESPACE(TestNamespace.class),
    NAMESPACE(Namespace.class),
    KUBECONFIG_PATH(Path.class),
    KUBECONFIG_YAML(String.class),
    AUDIT_LOG(AuditLog.class),
    FAULTS(Faults.class);

    static final String SUPPORTED = "Cluster, KubernetesClient, TestNamespace or io.fabric8.kubernetes.api.model.Namespace "
            + "(per test), AuditLog (per test), Faults, or @PolykubeKubeconfig Path/String for the kubeconfig";

    private final Class<?> type;

    Injectable(Class<?> type) {
        this.type = type;
    }

    Class<?> type() {
        return type;
    }

    boolean perTest() {
        return this == TEST_NAMESPACE || this == NAMESPACE;
    }

    /** Whether the value changes with every test (injected before each test). */
    boolean eachTest() {
        return perTest() || this == AUDIT_LOG;
    }

    /** What an un-annotated parameter or an {@code @Polykube} element of {@code type} receives. */
    static Optional<Injectable> byType(Class<?> type) {
        for (Injectable i : new Injectable[] {CLUSTER, CLIENT, TEST_NAMESPACE, NAMESPACE, AUDIT_LOG, FAULTS}) {
            if (i.type == type) {
                return Optional.of(i);
            }
        }
        return Optional.empty();
    }

    /** What a {@code @PolykubeKubeconfig} element of {@code type} receives. */
    static Optional<Injectable> kubeconfig(Class<?> type) {
        if (type == Path.class) {
            return Optional.of(KUBECONFIG_PATH);
        }
        return type == String.class ? Optional.of(KUBECONFIG_YAML) : Optional.empty();
    }

    Object value(Cluster cluster, PolykubeKubeconfig kubeconfig, TestNamespace namespace, AuditLog audit) {
        switch (this) {
            case CLUSTER:
                return cluster;
            case CLIENT:
                return cluster.client();
            case FAULTS:
                return cluster.faults();
            case TEST_NAMESPACE:
                return namespace;
            case NAMESPACE:
                return namespace.namespace();
            case KUBECONFIG_PATH:
                return kubeconfigPath(cluster, kubeconfig);
            case AUDIT_LOG:
                if (audit == null) {
                    throw new PolykubeException("cluster '" + cluster.name() + "' has auditing off, so there is no AuditLog to "
                            + "inject: drop apiServer(a -> a.audit(false)) from the configurer");
                }
                return audit;
            case KUBECONFIG_YAML:
                Path path = kubeconfigPath(cluster, kubeconfig);
                try {
                    return Files.readString(path);
                } catch (IOException e) {
                    throw new PolykubeException("cannot read the kubeconfig " + path + " of cluster '" + cluster.name() + "': " + e, e);
                }
            default:
                throw new IllegalStateException(name());
        }
    }

    private static Path kubeconfigPath(Cluster cluster, PolykubeKubeconfig kubeconfig) {
        if (kubeconfig != null && kubeconfig.faults()) {
            return kubeconfig.user().isEmpty() ? cluster.faults().kubeconfig()
                    : cluster.faults().kubeconfig(kubeconfig.user(), kubeconfig.groups());
        }
        if (kubeconfig == null || kubeconfig.user().isEmpty()) {
            return cluster.kubeconfig();
        }
        return cluster.kubeconfig(kubeconfig.user(), kubeconfig.groups());
    }
}
