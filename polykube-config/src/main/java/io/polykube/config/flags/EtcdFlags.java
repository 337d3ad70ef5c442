package io.polykube.config.flags;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/** Typed flags of {@code etcd} (v3.6). */
public final class EtcdFlags extends ComponentFlags<EtcdFlags> {
    private EtcdFlags() {
        super("etcd");
    }

    public static EtcdFlags builder() {
        return new EtcdFlags();
    }

    public EtcdFlags name(String name) {
        return text("name", name);
    }

    public EtcdFlags dataDir(Path dir) {
        return path("data-dir", dir);
    }

    public EtcdFlags listenClientUrls(List<URI> urls) {
        return list("listen-client-urls", urls);
    }

    public EtcdFlags advertiseClientUrls(List<URI> urls) {
        return list("advertise-client-urls", urls);
    }

    public EtcdFlags listenPeerUrls(List<URI> urls) {
        return list("listen-peer-urls", urls);
    }

    public EtcdFlags initialAdvertisePeerUrls(List<URI> urls) {
        return list("initial-advertise-peer-urls", urls);
    }

    /** {@code name=peerURL,...}. */
    public EtcdFlags initialCluster(String cluster) {
        return text("initial-cluster", cluster);
    }

    public EtcdFlags initialClusterToken(String token) {
        return text("initial-cluster-token", token);
    }

    public EtcdFlags listenMetricsUrls(List<URI> urls) {
        return list("listen-metrics-urls", urls);
    }

    /** Server certificate and key for client connections, and the CA that signs clients. */
    public EtcdFlags clientTls(Path certFile, Path keyFile, Path trustedCaFile) {
        path("cert-file", certFile);
        path("key-file", keyFile);
        path("trusted-ca-file", trustedCaFile);
        return bool("client-cert-auth", true);
    }

    /** Peer certificate and key, and the CA that signs peers. */
    public EtcdFlags peerTls(Path certFile, Path keyFile, Path trustedCaFile) {
        path("peer-cert-file", certFile);
        path("peer-key-file", keyFile);
        path("peer-trusted-ca-file", trustedCaFile);
        return bool("peer-client-cert-auth", true);
    }

    /** Skip fsync: fast and unsafe, fine for throwaway test data. */
    public EtcdFlags unsafeNoFsync(boolean value) {
        return bool("unsafe-no-fsync", value);
    }

    public EtcdFlags quotaBackendBytes(long bytes) {
        return number("quota-backend-bytes", bytes);
    }

    public EtcdFlags logLevel(String level) {
        return text("log-level", level);
    }

    /** etcd has no {@code --v}: use {@link #logLevel(String)}. */
    @Override
    public EtcdFlags verbosity(int level) {
        throw new io.polykube.config.ConfigException("etcd --v", "etcd has no --v flag; use logLevel(\"debug\")");
    }
}
