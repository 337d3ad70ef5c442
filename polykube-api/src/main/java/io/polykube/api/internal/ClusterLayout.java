package io.polykube.api.internal;

import io.polykube.api.error.PolykubeException;
import io.polykube.api.status.Component;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where a cluster keeps what it owns, all under one directory. */
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

    public Path etcdData() {
        return root.resolve("etcd");
    }

    public Path logs() {
        return root.resolve("logs");
    }

    public Path log(Component component) {
        return logs().resolve(component.processName() + ".log");
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

    public Path config() {
        return root.resolve("config");
    }

    public Path configFile(String name) {
        return config().resolve(name);
    }

    /** What is running: pids, ports, versions. */
    public Path clusterJson() {
        return root.resolve("cluster.json");
    }

    /** Creates the directories, failing with a clear message when the location cannot be written. */
    public void create() {
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
