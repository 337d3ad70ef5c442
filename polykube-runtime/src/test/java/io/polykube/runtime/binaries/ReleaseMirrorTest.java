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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReleaseMirrorTest {

    private static final String ZERO = "0".repeat(64);

    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private HttpServer server;
    private URI base;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = files.get(exchange.getRequestURI().getPath());
            exchange.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : body.length);
            if (body != null) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
            exchange.close();
        });
        server.start();
        base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/mirror");
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void aMirrorMustBeHttpsOrOnThisMachine() {
        for (String ok : new String[] {"https://mirror.example/", "http://127.0.0.1:8080/", "http://localhost/", "http://[::1]:80/"}) {
            assertThat(ReleaseMirror.checkBase(URI.create(ok))).as(ok).isEqualTo(URI.create(ok));
        }
        assertThatThrownBy(() -> Binaries.builder().mirror(URI.create("http://mirror.example/")))
                .isInstanceOf(BinaryException.class)
                .hasMessageContaining("plain http would bring the binaries and their checksums over a connection")
                .hasMessageContaining("Use https, or http only for a mirror on this machine");
        assertThatThrownBy(() -> ReleaseMirror.checkBase(URI.create("ftp://mirror.example/")))
                .hasMessageContaining("it must be an https URL");
        assertThatThrownBy(() -> ReleaseMirror.checkBase(URI.create("file:///srv/mirror/")))
                .hasMessageContaining("it must be an https URL");
    }

    @Test
    void parsesBothChecksumFormats() {
        String a = "a".repeat(64);
        String b = "b".repeat(64);
        assertThat(ReleaseMirror.parseDigest(a + "\n", null, "x")).isEqualTo(a);
        assertThat(ReleaseMirror.parseDigest(a.toUpperCase() + "  kubectl\n", null, "x")).isEqualTo(a);
        String sums = a + "  etcd-v3.6.16-darwin-arm64.zip\n" + b + "  etcd-v3.6.16-linux-amd64.tar.gz\n";
        assertThat(ReleaseMirror.parseDigest(sums, "etcd-v3.6.16-linux-amd64.tar.gz", "x")).isEqualTo(b);
        assertThatThrownBy(() -> ReleaseMirror.parseDigest(sums, "etcd-v3.6.17-linux-amd64.tar.gz", "SUMS"))
                .isInstanceOf(BinaryException.class).hasMessageContaining("checksum file SUMS has no line for etcd-v3.6.17");
        assertThatThrownBy(() -> ReleaseMirror.parseDigest("<html>not found</html>", null, "k.sha256"))
                .isInstanceOf(BinaryException.class).hasMessageContaining("holds no SHA-256 digest");
    }

    @Test
    void downloadsVerifiedKubernetesBinaries(@TempDir Path dir) throws IOException {
        for (Binary b : ClusterBinarySet.KUBERNETES.binaries()) {
            serve("release/v1.34.4/bin/linux/amd64/" + b.fileName(), ("binary " + b.fileName()).getBytes(StandardCharsets.UTF_8), true);
        }
        Provenance provenance = ReleaseMirror.of(base).downloadKubernetes("1.34.4", dir);
        assertThat(provenance.source()).isEqualTo("download from " + base + "/");
        assertThat(dir.resolve("kubelet")).hasContent("binary kubelet").isExecutable();
    }

    @Test
    void checksumMismatchIsRefusedNamingFileAndDigests(@TempDir Path dir) throws IOException {
        for (Binary b : ClusterBinarySet.KUBERNETES.binaries()) {
            serve("release/v1.34.4/bin/linux/amd64/" + b.fileName(), b.fileName().getBytes(StandardCharsets.UTF_8), true);
        }
        byte[] tampered = "kubectl with a backdoor".getBytes(StandardCharsets.UTF_8);
        files.put("/mirror/release/v1.34.4/bin/linux/amd64/kubectl", tampered);
        String actual = Sha256.hex(Sha256.newDigest().digest(tampered));
        String expected = Sha256.hex(Sha256.newDigest().digest("kubectl".getBytes(StandardCharsets.UTF_8)));

        assertThatThrownBy(() -> ReleaseMirror.of(base).downloadKubernetes("1.34.4", dir))
                .isInstanceOf(BinaryException.class)
                .hasMessageContaining("checksum mismatch for " + base + "/release/v1.34.4/bin/linux/amd64/kubectl")
                .hasMessageContaining("expected sha256 " + expected)
                .hasMessageContaining("got " + actual);
        assertThat(dir.resolve("kubectl")).doesNotExist();
    }

    @Test
    void missingVersionOrUnreachableMirrorIsAClearError(@TempDir Path dir) {
        assertThatThrownBy(() -> ReleaseMirror.of(base).downloadKubernetes("1.34.99", dir))
                .isInstanceOf(BinaryException.class)
                .hasMessageContaining("cannot download " + base + "/release/v1.34.99/bin/linux/amd64/kube-apiserver.sha256: HTTP 404");
        server.stop(0);
        assertThatThrownBy(() -> ReleaseMirror.of(base).downloadEtcd("3.6.16", dir))
                .isInstanceOf(BinaryException.class)
                .hasMessageContaining("cannot download " + base + "/etcd/v3.6.16/SHA256SUMS")
                .hasMessageContaining("reachable");
        assertThatThrownBy(() -> ReleaseMirror.of(base).download(ClusterBinarySet.PAUSE, "1", dir))
                .isInstanceOf(BinaryException.class)
                .hasMessageContaining("pause is not published on release mirrors");
    }

    private void serve(String path, byte[] body, boolean withSha) {
        files.put("/mirror/" + path, body);
        if (withSha) {
            files.put("/mirror/" + path + ".sha256",
                    Sha256.hex(Sha256.newDigest().digest(body)).getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void zeroDigestNeverMatches(@TempDir Path dir) throws IOException {
        for (Binary b : ClusterBinarySet.KUBERNETES.binaries()) {
            serve("release/v1.34.4/bin/linux/amd64/" + b.fileName(), new byte[0], false);
            files.put("/mirror/release/v1.34.4/bin/linux/amd64/" + b.fileName() + ".sha256", ZERO.getBytes(StandardCharsets.UTF_8));
        }
        assertThatThrownBy(() -> ReleaseMirror.of(base).downloadKubernetes("1.34.4", dir))
                .isInstanceOf(BinaryException.class).hasMessageContaining("expected sha256 " + ZERO);
        assertThat(Files.list(dir)).isEmpty();
    }
}
