package io.polykube.api.layout;

import io.polykube.api.error.PolykubeException;
import io.polykube.api.status.Component;
import java.io.IOException;
import io.polykube.files.PrivateDirectory;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Where a cluster keeps what it owns, all under one directory: every path of that directory is made here (a node's own
 * subdirectories by {@link NodeDirectories}, which {@link #node()} and {@link #worker(String)} give).
 */
public record ClusterLayout(Path root) {

    public Path pki() {
        return root.resolve("pki");
    }

    public Path kubeconfigs() {
        return root.resolve("kubeconfig");
    }

    public Path adminKubeconfig() {
        return kubeconfigs().resolve("admin.kubeconfig");
    }

    public Path kubeconfig(Component component) {
        return kubeconfigs().resolve(component.processName() + ".kubeconfig");
    }

    public Path userKubeconfig(String user) {
        return kubeconfigs().resolve("users").resolve(user + ".kubeconfig");
    }

    /** The kubeconfig joining kubelets bootstrap with (a token, no client certificate). */
    public Path bootstrapKubeconfig() {
        return kubeconfigs().resolve("bootstrap-kubelet.kubeconfig");
    }

    /** The bootstrap token of joining kubelets (0600). */
    public Path bootstrapToken() {
        return pki().resolve("bootstrap-token");
    }

    /** A serving certificate polykube issues, {@code pki/<name>-serving.crt} ({@code controller-manager}, {@code scheduler}). */
    public Path servingCert(String name) {
        return pki().resolve(name + "-serving.crt");
    }

    public Path servingKey(String name) {
        return pki().resolve(name + "-serving.key");
    }

    public Path etcdData() {
        return root.resolve("etcd");
    }

    public Path logs() {
        return root.resolve("logs");
    }

    public Path log(Component component) {
        return log(component.processName());
    }

    /** The log of a process by its name, e.g. {@code kubelet.worker-1}. */
    public Path log(String processName) {
        return logs().resolve(processName + ".log");
    }

    /** The log of the detached owner that {@code polykube up} starts. */
    public Path supervisorLog() {
        return log("supervisor");
    }

    /** The key that encrypts resources at rest (0600). */
    public Path encryptionKey() {
        return pki().resolve("encryption.key");
    }

    /** The SHA-256 of the key etcd's data is encrypted with; kept outside {@code pki/} so a lost PKI is noticed. */
    public Path encryptionKeyFingerprint() {
        return root.resolve("etcd-encryption-key.sha256");
    }

    /** The API server's audit log (JSON lines; rotated files beside it). */
    public Path auditLog() {
        return logs().resolve("audit.log");
    }

    /** The supervisor's run directory: process records, pid files, sockets. */
    public Path run() {
        return root.resolve("run");
    }

    /** The API server's {@code --cert-dir} (it writes nothing there: its certificates are given). */
    public Path apiServerCertDir() {
        return run().resolve("kube-apiserver");
    }

    /** A file that asks the detached owner to stop the cluster. */
    public Path stopFile() {
        return run().resolve("stop");
    }

    public Path config() {
        return root.resolve("config");
    }

    public Path configFile(String name) {
        return config().resolve(name);
    }

    /** containerd's registry hosts directory (every host sent to a closed local port). */
    public Path registryHosts() {
        return configFile("registry-hosts");
    }

    /** The first node's directory, {@code node/} (absolute: sockets and mounts live under it). */
    public NodeDirectories node() {
        return new NodeDirectories(root.toAbsolutePath().resolve("node"));
    }

    /** Where the workers' directories are, {@code node/workers/}. */
    public Path workers() {
        return node().root().resolve("workers");
    }

    /** A worker's directory, {@code node/workers/<name>/}. */
    public NodeDirectories worker(String name) {
        return new NodeDirectories(workers().resolve(name));
    }

    /** What is running: pids, ports, versions. */
    public Path clusterJson() {
        return root.resolve("cluster.json");
    }

    /** Held by the running cluster's owner (a JVM's file lock): one cluster per directory. */
    public Path lockFile() {
        return root.resolve("cluster.lock");
    }

    /** Whether {@link #root()} looks like a cluster's directory: it has {@code cluster.json}, {@code cluster.lock} or {@code pki/}. */
    public boolean looksLikeClusterDirectory() {
        return Files.isRegularFile(clusterJson()) || Files.isRegularFile(lockFile()) || Files.isDirectory(pki());
    }

    /**
     * Refuses the directory, as {@link PrivateDirectory#check} does, unless this user owns it and nobody else may write in
     * it: its records are acted on as root (processes stopped, mounts removed, files deleted). A link to the directory is
     * followed and the real directory checked. A missing directory passes (there is nothing in it to trust).
     *
     * @throws PolykubeException naming the problem and the fix
     */
    public void checkOwnership() {
        Path real;
        try {
            real = root.toRealPath();
        } catch (NoSuchFileException e) {
            return;
        } catch (IOException e) {
            throw new PolykubeException("cannot resolve cluster directory " + root + " (" + e.getMessage() + "): check its path", e);
        }
        try {
            PrivateDirectory.check(real, "cluster directory " + root + (real.equals(root) ? "" : " (really " + real + ")"));
        } catch (IOException e) {
            throw new PolykubeException(e.getMessage(), e);
        }
    }

    /**
     * Makes the cluster directory if it is missing ({@code 0700}, and so are the missing parents), then {@link #checkOwnership}.
     *
     * @throws PolykubeException if it cannot be made, or is not this user's own
     */
    public void createPrivately() {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            try {
                PrivateDirectory.ensure(root, "cluster directory " + root);
            } catch (IOException e) {
                throw new PolykubeException("cannot create cluster directory " + root + " (" + e.getMessage()
                        + "): choose a writable location with Cluster.builder().directory(..)", e);
            }
        }
        checkOwnership();
    }

    /** Creates the directories, failing with a clear message when the location cannot be written. */
    public void create() {
        createPrivately();
        for (Path dir : new Path[] {root, pki(), kubeconfigs(), logs(), run(), config()}) {
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new PolykubeException("cannot create cluster directory " + dir + " (" + e.getMessage()
                        + "): choose a writable location with Cluster.builder().directory(..)", e);
            }
        }
        if (!Files.isWritable(root)) {
            throw new PolykubeException("cluster directory " + root + " is not writable: fix its permissions or choose another "
                    + "with Cluster.builder().directory(..)");
        }
    }
}
