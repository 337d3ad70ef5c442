package io.polykube.runtime.binaries;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipParameters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Downloads the real binaries from a mirror on 127.0.0.1 in the official release layout into a
 * temporary cache, each checked against a pinned digest; tampered files are refused and leave nothing in the cache.
 */
class ReleaseMirrorIT {

    private static final BinaryVersions VERSIONS = BinaryVersions.defaults();

    /** The etcd tarball is made once per class (gzip of ~60 MB takes a few seconds). */
    @TempDir
    static Path shared;
    private static Path etcdTarball;

    @TempDir
    Path tmp;
    private final Map<String, Path> served = new ConcurrentHashMap<>();
    private HttpServer server;
    private URI base;
    private String k8s;
    private String etcdDir;
    private String tarballName;
    private Path digestsFile;

    @BeforeEach
    void serveTheRealBinaries() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            Path file = served.get(exchange.getRequestURI().getPath());
            if (file == null) {
                exchange.sendResponseHeaders(404, -1);
            } else {
                exchange.sendResponseHeaders(200, Files.size(file));
                try (OutputStream out = exchange.getResponseBody()) {
                    Files.copy(file, out);
                }
            }
            exchange.close();
        });
        server.start();
        base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");

        k8s = "/release/v" + VERSIONS.kubernetes() + "/bin/linux/" + ReleaseMirror.goArch(System.getProperty("os.arch")) + "/";
        StringBuilder pins = new StringBuilder("# pinned by the test from the binaries it serves\n");
        for (Binary binary : ClusterBinarySet.KUBERNETES.binaries()) {
            Path file = BuiltBinaries.kubernetesDir().resolve(binary.fileName());
            served.put(k8s + binary.fileName(), file);
            pins.append(Sha256.of(file)).append("  ").append(k8s.substring(1)).append(binary.fileName()).append('\n');
        }

        etcdDir = "/etcd/v" + VERSIONS.etcd() + "/";
        tarballName = "etcd-v" + VERSIONS.etcd() + "-linux-" + ReleaseMirror.goArch(System.getProperty("os.arch")) + ".tar.gz";
        if (etcdTarball == null) {
            etcdTarball = etcdTarball(shared.resolve(tarballName));
        }
        served.put(etcdDir + tarballName, etcdTarball);
        pins.append(Sha256.of(etcdTarball)).append("  ").append(etcdDir.substring(1)).append(tarballName).append('\n');
        digestsFile = Files.writeString(tmp.resolve("release.sha256"), pins);
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void downloadsKubernetesAndEtcdIntoTheCache() throws IOException {
        BinaryCache cache = new BinaryCache(tmp.resolve("cache"));
        Binaries binaries = mirrorOnly(cache);
        Map<ClusterBinary, ResolvedBinary> all = binaries.resolveAll(EnumSet.of(ClusterBinary.KUBECTL, ClusterBinary.KUBE_APISERVER,
                ClusterBinary.ETCD, ClusterBinary.ETCDCTL));

        // the first binary of each set downloads the whole set; the others then come from the cache
        assertThat(all.get(ClusterBinary.KUBE_APISERVER).source()).isEqualTo(Source.DOWNLOADED);
        assertThat(all.get(ClusterBinary.KUBECTL).source()).isEqualTo(Source.CACHE);
        assertThat(all.get(ClusterBinary.ETCD).source()).isEqualTo(Source.DOWNLOADED);
        assertThat(all.get(ClusterBinary.ETCDCTL).source()).isEqualTo(Source.CACHE);
        assertThat(all.get(ClusterBinary.KUBECTL).version()).isEqualTo(VERSIONS.kubernetes());
        assertThat(all.get(ClusterBinary.ETCD).version()).isEqualTo(VERSIONS.etcd());
        assertThat(all.get(ClusterBinary.KUBECTL).path()).isEqualTo(cache.setDir(ClusterBinarySet.KUBERNETES, VERSIONS.kubernetes()).resolve("kubectl"));
        assertThat(Sha256.of(all.get(ClusterBinary.ETCD).path())).isEqualTo(Sha256.of(BuiltBinaries.etcdDir().resolve("etcd")));
        Manifest manifest = cache.manifest(ClusterBinarySet.KUBERNETES, VERSIONS.kubernetes()).orElseThrow();
        assertThat(manifest.source()).isEqualTo("download from " + base + ", checked against the SHA-256s pinned in " + digestsFile);
        assertThat(manifest.files()).hasSize(6);
        assertThat(cache.check(ClusterBinarySet.ETCD, VERSIONS.etcd()).state()).isEqualTo(BinaryCache.State.VALID);

        // a second resolver finds them in the cache without downloading
        server.stop(0);
        assertThat(mirrorOnly(cache).resolve(ClusterBinary.KUBELET).source()).isEqualTo(Source.CACHE);
    }

    @Test
    void tamperedKubectlIsRefusedAndNothingIsCached() throws IOException {
        Path tampered = tmp.resolve("kubectl-tampered");
        byte[] bytes = Files.readAllBytes(BuiltBinaries.kubernetesDir().resolve("kubectl"));
        bytes[bytes.length / 3] ^= 0x01;
        Files.write(tampered, bytes);
        served.put(k8s + "kubectl", tampered);
        String expected = Sha256.of(BuiltBinaries.kubernetesDir().resolve("kubectl"));
        String actual = Sha256.of(tampered);

        BinaryCache cache = new BinaryCache(tmp.resolve("cache"));
        assertThatThrownBy(() -> mirrorOnly(cache).resolve(ClusterBinary.KUBE_APISERVER))
                .isInstanceOf(BinaryException.class)
                .hasMessageContaining("checksum mismatch for " + base.resolve(k8s.substring(1) + "kubectl"))
                .hasMessageContaining("expected sha256 " + expected)
                .hasMessageContaining("got " + actual)
                .hasMessageContaining("nothing was cached");
        assertThat(cache.setDir(ClusterBinarySet.KUBERNETES, VERSIONS.kubernetes())).doesNotExist();
        assertThat(cacheContents(cache)).noneMatch(n -> n.contains("kubernetes-v") && !n.endsWith(".lock"));
    }

    @Test
    void tamperedEtcdTarballIsRefusedAndNothingIsCached() throws IOException {
        Path tarball = served.get(etcdDir + tarballName);
        Path tampered = tmp.resolve("tampered.tar.gz");
        byte[] bytes = Files.readAllBytes(tarball);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(tampered, bytes);
        served.put(etcdDir + tarballName, tampered);

        BinaryCache cache = new BinaryCache(tmp.resolve("cache"));
        assertThatThrownBy(() -> mirrorOnly(cache).resolve(ClusterBinary.ETCDCTL))
                .isInstanceOf(BinaryException.class)
                .hasMessageContaining("checksum mismatch for " + base.resolve(etcdDir.substring(1) + tarballName))
                .hasMessageContaining("expected sha256 " + Sha256.of(tarball))
                .hasMessageContaining("got " + Sha256.of(tampered));
        assertThat(cacheContents(cache)).noneMatch(n -> n.contains("etcd-v") && !n.endsWith(".lock"));
    }

    @Test
    void aVersionWithNoPinIsNotDownloaded() {
        BinaryCache cache = new BinaryCache(tmp.resolve("cache"));
        Binaries binaries = Binaries.builder().versions(VERSIONS.withEtcd("3.6.99")).environment(Map.of()).cache(cache)
                .searchPath("").mirror(base, ReleaseDigests.read(digestsFile)).build();
        assertThatThrownBy(() -> binaries.resolve(ClusterBinary.ETCD))
                .isInstanceOf(BinaryException.class)
                .hasMessageContaining("no SHA-256 is pinned for etcd 3.6.99 in " + digestsFile);
    }

    private Binaries mirrorOnly(BinaryCache cache) {
        return Binaries.builder().environment(Map.of()).cache(cache).searchPath("").mirror(base, ReleaseDigests.read(digestsFile)).build();
    }

    private static List<String> cacheContents(BinaryCache cache) throws IOException {
        if (!Files.exists(cache.binDir())) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(cache.binDir())) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }

    /** etcd's release tarball layout: etcd-v<ver>-linux-<arch>/{etcd,etcdctl,etcdutl,README.md}. */
    private Path etcdTarball(Path target) throws IOException {
        String top = tarballName.replace(".tar.gz", "") + "/";
        GzipParameters gzip = new GzipParameters();
        gzip.setCompressionLevel(1);
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(
                new GzipCompressorOutputStream(Files.newOutputStream(target), gzip))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            TarArchiveEntry dir = new TarArchiveEntry(top);
            tar.putArchiveEntry(dir);
            tar.closeArchiveEntry();
            byte[] readme = "etcd release (test copy)\n".getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry readmeEntry = new TarArchiveEntry(top + "README.md");
            readmeEntry.setSize(readme.length);
            tar.putArchiveEntry(readmeEntry);
            tar.write(readme);
            tar.closeArchiveEntry();
            for (Binary binary : ClusterBinarySet.ETCD.binaries()) {
                Path file = BuiltBinaries.etcdDir().resolve(binary.fileName());
                TarArchiveEntry entry = new TarArchiveEntry(file.toFile(), top + binary.fileName());
                entry.setMode(0755);
                tar.putArchiveEntry(entry);
                Files.copy(file, tar);
                tar.closeArchiveEntry();
            }
        }
        return target;
    }
}
