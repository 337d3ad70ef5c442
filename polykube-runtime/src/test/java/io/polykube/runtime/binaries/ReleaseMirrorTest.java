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
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Downloads from a mirror on 127.0.0.1, checked against pinned digests and never against the mirror's own checksums. */
class ReleaseMirrorTest {

    private static final String ZERO = "0".repeat(64);

    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final List<String> requested = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private URI base;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requested.add(exchange.getRequestURI().getPath());
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
        assertThatThrownBy(() -> Binaries.builder().mirror(URI.create("http://mirror.example/"), ReleaseDigests.parse("", "none")))
                .isInstanceOf(BinaryException.class)
                .hasMessageContaining("plain http would bring the binaries over a connection anyone on the way can read and change")
                .hasMessageContaining("Use https, or http only for a mirror on this machine");
        assertThatThrownBy(() -> ReleaseMirror.checkBase(URI.create("ftp://mirror.example/")))
                .hasMessageContaining("it must be an https URL");
        assertThatThrownBy(() -> ReleaseMirror.checkBase(URI.create("file:///srv/mirror/")))
                .hasMessageContaining("it must be an https URL");
    }

    @Test
    void downloadsKubernetesBinariesCheckedAgainstThePinnedDigests(@TempDir Path dir) {
        Map<String, String> pins = new TreeMap<>();
        for (Binary b : ClusterBinarySet.KUBERNETES.binaries()) {
            byte[] released = ("binary " + b.fileName()).getBytes(StandardCharsets.UTF_8);
            pins.put(serve(k8s("1.34.4", b), released), sha(released));
        }
        Provenance provenance = ReleaseMirror.of(base, ReleaseDigests.of(pins, "the test's pins")).downloadKubernetes("1.34.4", dir);
        assertThat(provenance.source()).isEqualTo("download from " + base + "/, checked against the SHA-256s pinned in the test's pins");
        assertThat(dir.resolve("kubelet")).hasContent("binary kubelet").isExecutable();
        assertThat(requested).containsExactlyInAnyOrderElementsOf(pins.keySet().stream().map(p -> "/mirror/" + p).toList());
    }

    /** A mirror that serves a changed kubectl with a checksum file to match it: only the pin counts. */
    @Test
    void aMirrorsOwnChecksumFileIsNotTrusted(@TempDir Path dir) {
        Map<String, String> pins = new TreeMap<>();
        for (Binary b : ClusterBinarySet.KUBERNETES.binaries()) {
            byte[] released = b.fileName().getBytes(StandardCharsets.UTF_8);
            pins.put(serve(k8s("1.34.4", b), released), sha(released));
            files.put("/mirror/" + k8s("1.34.4", b) + ".sha256", sha(released).getBytes(StandardCharsets.UTF_8));
        }
        byte[] tampered = "kubectl with a backdoor".getBytes(StandardCharsets.UTF_8);
        files.put("/mirror/" + k8s("1.34.4", "kubectl"), tampered);
        files.put("/mirror/" + k8s("1.34.4", "kubectl") + ".sha256", sha(tampered).getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> ReleaseMirror.of(base, ReleaseDigests.of(pins, "pins.sha256")).downloadKubernetes("1.34.4", dir))
                .isInstanceOf(BinaryException.class)
                .hasMessageContaining("checksum mismatch for " + base + "/" + k8s("1.34.4", "kubectl"))
                .hasMessageContaining("expected sha256 " + sha("kubectl".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("got " + sha(tampered))
                .hasMessageContaining("(pinned in pins.sha256)");
        assertThat(dir.resolve("kubectl")).doesNotExist();
        assertThat(requested).isNotEmpty().noneMatch(p -> p.endsWith(".sha256") || p.endsWith("SHA256SUMS"));
    }

    @Test
    void missingPinsAreNamedBeforeAnythingIsDownloaded(@TempDir Path dir) throws IOException {
        Map<String, String> pins = new TreeMap<>();
        for (Binary b : ClusterBinarySet.KUBERNETES.binaries()) {
            byte[] released = b.fileName().getBytes(StandardCharsets.UTF_8);
            String path = serve(k8s("1.34.4", b), released);
            if (!b.fileName().equals("kubelet") && !b.fileName().equals("kube-proxy")) {
                pins.put(path, sha(released));
            }
        }
        ReleaseMirror mirror = ReleaseMirror.of(base, ReleaseDigests.of(pins, "pins.sha256"));
        assertThatThrownBy(() -> mirror.downloadKubernetes("1.34.4", dir))
                .isInstanceOf(BinaryException.class)
                .hasMessageContaining("no SHA-256 is pinned for Kubernetes 1.34.4 in pins.sha256: 2 file(s) missing")
                .hasMessageContaining(k8s("1.34.4", "kubelet"))
                .hasMessageContaining(k8s("1.34.4", "kube-proxy"))
                .hasMessageContaining("never from the mirror itself");
        assertThatThrownBy(() -> mirror.downloadEtcd("3.6.16", dir))
                .isInstanceOf(BinaryException.class)
                .hasMessageContaining("no SHA-256 is pinned for etcd 3.6.16 in pins.sha256: 1 file(s) missing "
                        + "(etcd/v3.6.16/etcd-v3.6.16-linux-");
        assertThat(requested).isEmpty();
        try (var left = Files.list(dir)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void missingVersionOrUnreachableMirrorIsAClearError(@TempDir Path dir) {
        Map<String, String> pins = new TreeMap<>();
        for (Binary b : ClusterBinarySet.KUBERNETES.binaries()) {
            pins.put(k8s("1.34.99", b), ZERO);
        }
        String etcd = "etcd/v3.6.16/etcd-v3.6.16-linux-" + ReleaseMirror.goArch(System.getProperty("os.arch")) + ".tar.gz";
        pins.put(etcd, ZERO);
        ReleaseDigests digests = ReleaseDigests.of(pins, "pins");
        assertThatThrownBy(() -> ReleaseMirror.of(base, digests).downloadKubernetes("1.34.99", dir))
                .isInstanceOf(BinaryException.class)
                .hasMessageContaining("cannot download " + base + "/" + k8s("1.34.99", "kube-apiserver") + ": HTTP 404");
        server.stop(0);
        assertThatThrownBy(() -> ReleaseMirror.of(base, digests).downloadEtcd("3.6.16", dir))
                .isInstanceOf(BinaryException.class)
                .hasMessageContaining("cannot download " + base + "/" + etcd)
                .hasMessageContaining("reachable");
        assertThatThrownBy(() -> ReleaseMirror.of(base, digests).download(ClusterBinarySet.PAUSE, "1", dir))
                .isInstanceOf(BinaryException.class)
                .hasMessageContaining("pause is not published on release mirrors");
    }

    @Test
    void aZeroPinNeverMatches(@TempDir Path dir) throws IOException {
        Map<String, String> pins = new TreeMap<>();
        for (Binary b : ClusterBinarySet.KUBERNETES.binaries()) {
            pins.put(serve(k8s("1.34.4", b), new byte[0]), ZERO);
        }
        assertThatThrownBy(() -> ReleaseMirror.of(base, ReleaseDigests.of(pins, "pins")).downloadKubernetes("1.34.4", dir))
                .isInstanceOf(BinaryException.class).hasMessageContaining("expected sha256 " + ZERO);
        try (var left = Files.list(dir)) {
            assertThat(left).isEmpty();
        }
    }

    private static String k8s(String version, Binary binary) {
        return k8s(version, binary.fileName());
    }

    private static String k8s(String version, String name) {
        return "release/v" + version + "/bin/linux/" + ReleaseMirror.goArch(System.getProperty("os.arch")) + "/" + name;
    }

    /** Serves {@code body} at {@code path} under the mirror; returns {@code path}. */
    private String serve(String path, byte[] body) {
        files.put("/mirror/" + path, body);
        return path;
    }

    private static String sha(byte[] bytes) {
        return Sha256.hex(Sha256.newDigest().digest(bytes));
    }
}
