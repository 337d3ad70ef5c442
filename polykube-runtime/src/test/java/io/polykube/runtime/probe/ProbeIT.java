package io.polykube.runtime.probe;

import io.polykube.runtime.port.PortAllocator;
import io.polykube.runtime.port.ReservedPort;
import io.polykube.runtime.process.ProcessSpec;
import io.polykube.runtime.process.Supervisor;
import io.polykube.runtime.process.TestFiles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** HTTPS probe against a Python HTTPS server (run by a Supervisor) with certificates from openssl, and the command probe. */
class ProbeIT {
    private static final ProbeContext CTX = ProbeContext.standalone("it", Duration.ofSeconds(3));
    private static Path dir;
    private static Supervisor supervisor;
    private static final List<ReservedPort> reserved = new ArrayList<>();
    private static URI goodServer;
    private static URI wrongNameServer;

    @BeforeAll
    static void startServers() throws Exception {
        dir = TestFiles.newDirectory("tls");
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-subj", "/CN=test-ca", "-days", "1");
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "other-ca.key", "-out", "other-ca.crt", "-subj", "/CN=other-ca", "-days", "1");
        leaf("server", "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth");
        leaf("wrong-name", "subjectAltName=DNS:not-this-host.invalid\nextendedKeyUsage=serverAuth");
        leaf("client", "extendedKeyUsage=clientAuth");
        assertThat(Files.readString(dir.resolve("client.key"))).startsWith("-----BEGIN PRIVATE KEY-----");

        PortAllocator ports = PortAllocator.builder().lockDirectory(dir.getParent().resolve("port-locks")).build();
        ReservedPort good = ports.allocate();
        ReservedPort wrongName = ports.allocate();
        reserved.add(good);
        reserved.add(wrongName);
        supervisor = Supervisor.create(dir.resolve("run"));
        supervisor.start(List.of(sServer("good", good, "server"), sServer("wrong-name", wrongName, "wrong-name")));
        goodServer = URI.create("https://127.0.0.1:" + good.port() + "/");
        wrongNameServer = URI.create("https://127.0.0.1:" + wrongName.port() + "/");
    }

    /** A Python HTTPS server that requires a client certificate signed by our CA. */
    private static ProcessSpec sServer(String name, ReservedPort port, String cert) {
        Path script = dir.resolve("https_server.py");
        try {
            Files.writeString(script, """
                    import http.server, ssl, sys
                    class H(http.server.BaseHTTPRequestHandler):
                        def do_GET(self):
                            body = b"ok"
                            self.send_response(200)
                            self.send_header("Content-Length", str(len(body)))
                            self.end_headers()
                            self.wfile.write(body)
                    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
                    ctx.load_cert_chain(sys.argv[2], sys.argv[3])
                    ctx.load_verify_locations(sys.argv[4])
                    ctx.verify_mode = ssl.CERT_REQUIRED
                    server = http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), H)
                    server.socket = ctx.wrap_socket(server.socket, server_side=True)
                    print("serving", flush=True)
                    server.serve_forever()
                    """);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return ProcessSpec.builder(name).command(Path.of("/usr/bin/python3"), script.toString(), Integer.toString(port.port()),
                        dir.resolve(cert + ".crt").toString(), dir.resolve(cert + ".key").toString(), dir.resolve("ca.crt").toString())
                .readiness(Probe.tcp("127.0.0.1", port.port())).readinessTimeout(Duration.ofSeconds(20))
                .stopGracePeriod(Duration.ofSeconds(1)).build();
    }

    private static void leaf(String name, String extensions) throws Exception {
        Files.writeString(dir.resolve(name + ".ext"), extensions + "\n");
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", name + ".key", "-out", name + ".csr", "-subj", "/CN=" + name);
        openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", name + ".crt", "-days", "1", "-extfile", name + ".ext");
    }

    private static void openssl(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/openssl"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("openssl.out").toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("openssl %s: %s", cmd, Files.readString(dir.resolve("openssl.out"))).isZero();
    }

    @AfterAll
    static void stop() {
        if (supervisor != null) {
            supervisor.stop();
        }
        reserved.forEach(ReservedPort::close);
    }

    private TlsTrust trustWithClient() {
        return TlsTrust.ca(dir.resolve("ca.crt")).withClientCertificate(dir.resolve("client.crt"), dir.resolve("client.key"));
    }

    @Test
    void httpsWithTheRightCaAndAClientCertificateIsReady() {
        ProbeResult r = Probe.https(goodServer, trustWithClient()).check(CTX);
        assertThat(r.ready()).as(r.message()).isTrue();
        assertThat(r.message()).isEqualTo("GET " + goodServer + " -> 200 'ok'");
    }

    @Test
    void httpsRejectsAServerSignedByAnotherCa() {
        TlsTrust other = TlsTrust.ca(dir.resolve("other-ca.crt"))
                .withClientCertificate(dir.resolve("client.crt"), dir.resolve("client.key"));
        ProbeResult r = Probe.https(goodServer, other).check(CTX);
        assertThat(r.ready()).isFalse();
        assertThat(r.message()).contains("TLS error: unable to find valid certification path");
    }

    @Test
    void httpsVerifiesTheHostname() {
        ProbeResult r = Probe.https(wrongNameServer, trustWithClient()).check(CTX);
        assertThat(r.ready()).isFalse();
        assertThat(r.message()).contains("TLS error").contains("127.0.0.1");
    }

    @Test
    void httpsWithoutTheRequiredClientCertificateIsNotReady() {
        ProbeResult r = Probe.https(goodServer, TlsTrust.ca(dir.resolve("ca.crt"))).check(CTX);
        assertThat(r.ready()).isFalse();
        assertThat(r.message()).startsWith("GET " + goodServer + " failed: ");
    }

    @Test
    void tlsTrustRejectsANonPkcs8Key() throws Exception {
        Path rsaKey = dir.resolve("traditional.key");
        openssl("genrsa", "-traditional", "-out", rsaKey.getFileName().toString(), "2048");
        assertThatThrownBy(() -> Probe.https(goodServer, TlsTrust.ca(dir.resolve("ca.crt"))
                .withClientCertificate(dir.resolve("client.crt"), rsaKey)))
                .hasMessageContaining("holds a 'RSA PRIVATE KEY' key; write keys as PKCS#8");
    }

    @Test
    void commandProbeChecksTheExitCodeAndKillsOverruns() {
        assertThat(Probe.command(List.of("/bin/true")).check(CTX).ready()).isTrue();
        ProbeResult failed = Probe.command(List.of("/bin/sh", "-c", "echo not yet; exit 3")).check(CTX);
        assertThat(failed.ready()).isFalse();
        assertThat(failed.message()).isEqualTo("[/bin/sh, -c, echo not yet; exit 3] exited with 3: not yet");
        long t0 = System.nanoTime();
        ProbeResult slow = Probe.command(List.of("/bin/sleep", "30"))
                .check(ProbeContext.standalone("it", Duration.ofMillis(200)));
        assertThat(slow.message()).contains("did not finish within PT0.2S");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
    }
}
