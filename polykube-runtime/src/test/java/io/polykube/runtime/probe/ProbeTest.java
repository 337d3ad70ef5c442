package io.polykube.runtime.probe;

import com.sun.net.httpserver.HttpServer;
import io.polykube.runtime.ProcessException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProbeTest {
    private static final ProbeContext CTX = ProbeContext.standalone("test", Duration.ofSeconds(2));

    @Test
    void tcpReportsRefusedThenReady() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
            ProbeResult ok = Probe.tcp("127.0.0.1", port).check(CTX);
            assertThat(ok.ready()).isTrue();
        }
        ProbeResult refused = Probe.tcp("127.0.0.1", port).check(CTX);
        assertThat(refused.ready()).isFalse();
        assertThat(refused.message()).isEqualTo("TCP connect to 127.0.0.1:" + port + " failed: connection refused");
    }

    @Test
    void unixSocket(@TempDir Path dir) throws Exception {
        Path socket = dir.resolve("s.sock");
        assertThat(Probe.unixSocket(socket).check(CTX).message()).contains("does not exist yet");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            assertThat(Probe.unixSocket(socket).check(CTX).ready()).isTrue();
        }
    }

    @Test
    void httpReportsStatusAndBodySnippet() throws Exception {
        AtomicInteger status = new AtomicInteger(503);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/healthz", exchange -> {
            byte[] body = (status.get() == 200 ? "ok" : "[-]etcd failed: not ready").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status.get(), body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        try {
            URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/healthz");
            ProbeResult notReady = Probe.http(uri).check(CTX);
            assertThat(notReady.ready()).isFalse();
            assertThat(notReady.message()).isEqualTo("GET " + uri + " -> 503 '[-]etcd failed: not ready'");

            status.set(200);
            assertThat(Probe.http(uri).check(CTX).ready()).isTrue();
            ProbeResult wrongBody = Probe.http(uri, "healthy"::equals, "'healthy'").check(CTX);
            assertThat(wrongBody.ready()).isFalse();
            assertThat(wrongBody.message()).contains("body does not match: 'healthy'");
            assertThat(Probe.http(uri).await(Duration.ofMillis(10), Duration.ofSeconds(1)).ready()).isTrue();
        } finally {
            server.stop(0);
        }
    }

    @Test
    void awaitFailsAtTheDeadlineWithTheLastResult() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> Probe.tcp("127.0.0.1", port).await(Duration.ofMillis(50), Duration.ofMillis(300)))
                .isInstanceOf(ProcessException.class)
                .hasMessageContaining("did not pass within PT0.3S")
                .hasMessageContaining("connection refused");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isBetween(Duration.ofMillis(300), Duration.ofSeconds(2));
    }

    @Test
    void allOfReportsTheFirstFailure() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Probe ok = Probe.tcp("127.0.0.1", s.getLocalPort());
            Probe log = Probe.logLine(Pattern.compile("ready"));
            Probe all = Probe.allOf(ok, log);

            ProbeResult r = all.check(CTX);
            assertThat(r.ready()).isFalse();
            assertThat(r.message()).contains("no output line of 'test' matched /ready/");
            assertThat(all.description()).startsWith("all of [TCP connect to 127.0.0.1:");

            ProbeContext sawReady = new ProbeContext() {
                @Override
                public String processName() {
                    return "p";
                }

                @Override
                public Duration attemptTimeout() {
                    return Duration.ofSeconds(1);
                }

                @Override
                public boolean outputMatches(Pattern pattern) {
                    return pattern.matcher("server ready").find();
                }
            };
            assertThat(all.check(sawReady).ready()).isTrue();
        }
    }

    @Test
    void rejectsBadArguments() {
        assertThatThrownBy(() -> Probe.tcp("127.0.0.1", 0)).hasMessageContaining("port must be 1..65535");
        assertThatThrownBy(() -> Probe.http(URI.create("https://x/"))).hasMessageContaining("use Probe.https");
        assertThatThrownBy(() -> Probe.https(URI.create("https://127.0.0.1/"), TlsTrust.ca(Path.of("/nonexistent/ca.pem"))))
                .hasMessageContaining("CA certificate file /nonexistent/ca.pem does not exist");
        assertThatThrownBy(Probe::allOf).hasMessageContaining("at least one");
    }
}
