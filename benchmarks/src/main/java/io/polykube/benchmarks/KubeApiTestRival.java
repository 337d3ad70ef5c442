package io.polykube.benchmarks;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.polykube.api.error.PolykubeException;
import io.polykube.runtime.binaries.Binaries;
import io.polykube.runtime.binaries.BinaryVersions;
import io.polykube.runtime.binaries.ClusterBinary;
import io.polykube.runtime.binaries.ResolvedBinary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;

/**
 * fabric8 kube-api-test (etcd and kube-apiserver, no controllers, no scheduler) started on the same etcd and
 * kube-apiserver binaries polykube uses: its binary directory is made of links to them and it runs in offline mode, so
 * it downloads nothing.
 */
final class KubeApiTestRival {
    /** A short name for the bench table. */
    String name() {
        return "kube-api-test";
    }

    /** What it starts, for the bench table. */
    String description() {
        return "fabric8 kube-api-test: etcd + API server, same binaries, warm certificates";
    }

    /**
     * Starts it with its state in {@code directory} (kept between runs, so a second run is warm), waits until its API
     * is ready, stops it, and returns the milliseconds from asking for the start to ready; the stop is not counted.
     */
    long startAndStopMillis(Path directory) {
        String version = linkBinaries(directory);
        KubeAPIServer server = new KubeAPIServer(KubeAPIServerConfigBuilder.anAPIServerConfig()
                .withTestDir(directory.toString())
                .withApiServerVersion(version)
                .withOfflineMode(true)
                .withUpdateKubeConfig(false)
                .build());
        long t0 = System.nanoTime();
        server.start();
        long millis = (System.nanoTime() - t0) / 1_000_000;
        server.stop();
        return millis;
    }

    /** Links {@code <dir>/k8s/<version>-linux-amd64/{etcd,kube-apiserver,kubectl}} to polykube's binaries; returns the version. */
    private static String linkBinaries(Path directory) {
        BinaryVersions versions = BinaryVersions.defaults();
        Map<ClusterBinary, ResolvedBinary> binaries = Binaries.builder().versions(versions).build()
                .resolveAll(EnumSet.of(ClusterBinary.ETCD, ClusterBinary.KUBE_APISERVER, ClusterBinary.KUBECTL));
        String version = binaries.get(ClusterBinary.KUBE_APISERVER).version().replaceFirst("^v", "");
        Path dir = directory.resolve("k8s").resolve(version + "-linux-" + arch());
        try {
            Files.createDirectories(dir);
            for (ResolvedBinary b : binaries.values()) {
                Path link = dir.resolve(b.binary().fileName());
                if (!Files.exists(link)) {
                    Files.createSymbolicLink(link, b.path().toAbsolutePath());
                }
            }
        } catch (IOException e) {
            throw new PolykubeException("cannot link the binaries for kube-api-test into " + dir + ": " + e.getMessage()
                    + "; check that the directory is writable", e);
        }
        return version;
    }

    private static String arch() {
        String arch = System.getProperty("os.arch");
        return arch.equals("aarch64") ? "arm64" : arch.equals("x86_64") ? "amd64" : arch;
    }
}
