package io.polykube.api.layout;

import static org.assertj.core.api.Assertions.assertThat;

import io.polykube.api.status.Component;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cluster directory's documented layout, path by path. */
class ClusterLayoutTest {
    private static final Path ROOT = Path.of("/srv/polykube/it");
    private final ClusterLayout layout = new ClusterLayout(ROOT);

    @Test
    void holdsTheDocumentedTopLevel() {
        assertThat(layout.pki()).isEqualTo(ROOT.resolve("pki"));
        assertThat(layout.kubeconfigs()).isEqualTo(ROOT.resolve("kubeconfig"));
        assertThat(layout.etcdData()).isEqualTo(ROOT.resolve("etcd"));
        assertThat(layout.logs()).isEqualTo(ROOT.resolve("logs"));
        assertThat(layout.run()).isEqualTo(ROOT.resolve("run"));
        assertThat(layout.config()).isEqualTo(ROOT.resolve("config"));
        assertThat(layout.clusterJson()).isEqualTo(ROOT.resolve("cluster.json"));
        assertThat(layout.lockFile()).isEqualTo(ROOT.resolve("cluster.lock"));
        assertThat(layout.encryptionKeyFingerprint()).isEqualTo(ROOT.resolve("etcd-encryption-key.sha256"));
    }

    @Test
    void namesEveryFileInside() {
        assertThat(layout.adminKubeconfig()).isEqualTo(ROOT.resolve("kubeconfig/admin.kubeconfig"));
        assertThat(layout.kubeconfig(Component.KUBE_SCHEDULER)).isEqualTo(ROOT.resolve("kubeconfig/kube-scheduler.kubeconfig"));
        assertThat(layout.userKubeconfig("alice")).isEqualTo(ROOT.resolve("kubeconfig/users/alice.kubeconfig"));
        assertThat(layout.bootstrapKubeconfig()).isEqualTo(ROOT.resolve("kubeconfig/bootstrap-kubelet.kubeconfig"));
        assertThat(layout.bootstrapToken()).isEqualTo(ROOT.resolve("pki/bootstrap-token"));
        assertThat(layout.encryptionKey()).isEqualTo(ROOT.resolve("pki/encryption.key"));
        assertThat(layout.servingCert("scheduler")).isEqualTo(ROOT.resolve("pki/scheduler-serving.crt"));
        assertThat(layout.servingKey("controller-manager")).isEqualTo(ROOT.resolve("pki/controller-manager-serving.key"));
        assertThat(layout.log(Component.KUBELET)).isEqualTo(ROOT.resolve("logs/kubelet.log"));
        assertThat(layout.log("kubelet.worker-1")).isEqualTo(ROOT.resolve("logs/kubelet.worker-1.log"));
        assertThat(layout.supervisorLog()).isEqualTo(ROOT.resolve("logs/supervisor.log"));
        assertThat(layout.auditLog()).isEqualTo(ROOT.resolve("logs/audit.log"));
        assertThat(layout.apiServerCertDir()).isEqualTo(ROOT.resolve("run/kube-apiserver"));
        assertThat(layout.stopFile()).isEqualTo(ROOT.resolve("run/stop"));
        assertThat(layout.configFile("kubelet.yaml")).isEqualTo(ROOT.resolve("config/kubelet.yaml"));
        assertThat(layout.registryHosts()).isEqualTo(ROOT.resolve("config/registry-hosts"));
    }

    @Test
    void givesTheNodesDirectories() {
        NodeDirectories node = layout.node();
        assertThat(node.root()).isEqualTo(ROOT.resolve("node"));
        assertThat(node.hostRecord()).isEqualTo(ROOT.resolve("node/host.json"));
        assertThat(node.containerdRoot()).isEqualTo(ROOT.resolve("node/containerd/root"));
        assertThat(node.containerdState()).isEqualTo(ROOT.resolve("node/containerd/state"));
        assertThat(node.containerdSocket()).isEqualTo(ROOT.resolve("node/containerd/containerd.sock"));
        assertThat(node.runcRoot()).isEqualTo(ROOT.resolve("node/containerd/state/runc"));
        assertThat(node.shimTasks()).isEqualTo(ROOT.resolve("node/containerd/state/io.containerd.runtime.v2.task"));
        assertThat(node.kubeletRoot()).isEqualTo(ROOT.resolve("node/kubelet"));
        assertThat(node.kubeletCertDir()).isEqualTo(ROOT.resolve("node/kubelet/pki"));
        assertThat(node.kubeletServingCert()).isEqualTo(ROOT.resolve("node/kubelet/pki/kubelet-server-current.pem"));
        assertThat(node.kubeletKubeconfig()).isEqualTo(ROOT.resolve("node/kubelet/kubeconfig"));
        assertThat(node.volumePluginDir()).isEqualTo(ROOT.resolve("node/kubelet/volume-plugins"));
        assertThat(node.cniConfDir()).isEqualTo(ROOT.resolve("node/cni/net.d"));
        assertThat(node.ipamDir()).isEqualTo(ROOT.resolve("node/cni/ipam"));
        assertThat(node.podLogs()).isEqualTo(ROOT.resolve("node/pod-logs"));
        assertThat(node.image("sandbox.tar")).isEqualTo(ROOT.resolve("node/images/sandbox.tar"));
        assertThat(node.runtimeState()).containsExactly(ROOT.resolve("node/containerd/state"), ROOT.resolve("node/cni/ipam"),
                ROOT.resolve("node/kubelet/pods"), ROOT.resolve("node/pod-logs"));

        NodeDirectories worker = layout.worker("worker-2");
        assertThat(layout.workers()).isEqualTo(ROOT.resolve("node/workers"));
        assertThat(worker.root()).isEqualTo(ROOT.resolve("node/workers/worker-2"));
        assertThat(worker.configFile("kubelet.yaml")).isEqualTo(ROOT.resolve("node/workers/worker-2/config/kubelet.yaml"));
        assertThat(worker.kubeletRoot()).isEqualTo(ROOT.resolve("node/workers/worker-2/kubelet"));
    }

    @Test
    void theNodesDirectoryIsAbsoluteEvenForARelativeRoot() {
        assertThat(new ClusterLayout(Path.of("relative")).node().root()).isEqualTo(Path.of("relative/node").toAbsolutePath());
    }

    @Test
    void createsTheDirectoriesAndRecognisesAClusterDirectory(@TempDir Path dir) {
        ClusterLayout fresh = new ClusterLayout(dir.resolve("c"));
        assertThat(fresh.looksLikeClusterDirectory()).isFalse();
        fresh.create();
        assertThat(fresh.pki()).isDirectory();
        assertThat(fresh.kubeconfigs()).isDirectory();
        assertThat(fresh.logs()).isDirectory();
        assertThat(fresh.run()).isDirectory();
        assertThat(fresh.config()).isDirectory();
        assertThat(fresh.looksLikeClusterDirectory()).isTrue();
        assertThat(Files.exists(fresh.clusterJson())).isFalse();
    }
}
