package io.polykube.api.internal.reuse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.polykube.api.error.PolykubeException;
import io.polykube.api.layout.ClusterLayout;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reuse endpoint's lease, token and resets, with resets counted instead of done (no cluster). */
class ReuseOwnerTest {
    private static final String KEY = "a".repeat(64);

    @TempDir
    Path directory;

    private ClusterLayout layout;
    private final AtomicInteger resets = new AtomicInteger();
    private volatile Optional<String> unhealthy = Optional.empty();
    private final CountDownLatch idle = new CountDownLatch(1);
    private ReuseOwner owner;

    @BeforeEach
    void serve() throws IOException {
        layout = new ClusterLayout(directory);
        Files.createDirectories(layout.run());
        owner = ReuseOwner.serve(layout, KEY, Duration.ofSeconds(2), new ReuseOwner.Operations() {
            @Override
            public void reset() {
                resets.incrementAndGet();
            }

            @Override
            public Optional<String> unhealthy() {
                return unhealthy;
            }
        }, idle::countDown);
    }

    @AfterEach
    void close() {
        owner.close();
    }

    private ReuseControl control() {
        return ReuseControl.of(layout, ReuseEndpoint.read(layout).orElseThrow());
    }

    @Test
    void theEndpointNamesThisProcessAndTheKeyAndItsTokenIsPrivate() throws IOException {
        ReuseEndpoint endpoint = ReuseEndpoint.read(layout).orElseThrow();

        assertThat(endpoint.key()).isEqualTo(KEY);
        assertThat(endpoint.ownerPid()).isEqualTo(ProcessHandle.current().pid());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(ReuseEndpoint.tokenFile(layout)))).isEqualTo("rw-------");
    }

    @Test
    void aFirstAttachDoesNotResetAndTheNextAttachAfterAReleaseFindsItResetAlready() throws Exception {
        ReuseControl control = control();
        control.attach(Duration.ofSeconds(5));
        assertThat(resets).hasValue(0);

        control.reset(Duration.ofSeconds(5));
        assertThat(resets).hasValue(1);

        control.release();
        awaitResets(2); // the owner resets right after the release, while nobody waits
        control.attach(Duration.ofSeconds(5));
        assertThat(resets).as("clean already: no reset on attach").hasValue(2);
    }

    @Test
    void anotherLiveProcessHoldingTheLeaseIsReportedAsInUse() throws Exception {
        assertThat(post("/attach?pid=1", token())).isEqualTo(200); // pid 1 lives as long as the machine

        assertThatThrownBy(() -> control().attach(Duration.ofSeconds(5))).isInstanceOf(ReuseControl.InUseException.class)
                .hasMessageContaining("in use by the test JVM pid 1");
        assertThatThrownBy(() -> control().reset(Duration.ofSeconds(5))).isInstanceOf(PolykubeException.class)
                .hasMessageContaining("holds no lease");
    }

    @Test
    void aLeaseOfADeadProcessLapsesAndTheNextAttachResets() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        assertThat(post("/attach?pid=" + gone.pid(), token())).isEqualTo(200);

        control().attach(Duration.ofSeconds(5));

        assertThat(resets).as("the dead JVM left it used").hasValue(1);
    }

    @Test
    void anUnhealthyClusterIsNotLent() {
        unhealthy = Optional.of("kube-apiserver is RESTARTING");

        assertThatThrownBy(() -> control().attach(Duration.ofSeconds(5))).isInstanceOf(PolykubeException.class)
                .hasMessageContaining("refused 'attach' (503): kube-apiserver is RESTARTING");
    }

    @Test
    void aRequestWithoutTheTokenIsRefused() throws Exception {
        assertThat(post("/attach?pid=" + ProcessHandle.current().pid(), "0".repeat(64))).isEqualTo(403);
        assertThat(post("/attach?pid=" + ProcessHandle.current().pid(), null)).isEqualTo(403);
    }

    @Test
    void anUnusedOwnerIsToldToStopAfterTheIdleTimeout() throws Exception {
        assertThat(idle.await(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aRecordedPidThatStartedAtAnotherTimeIsNoOwner() throws IOException {
        owner.close();
        Files.writeString(ReuseEndpoint.file(layout), "{\"key\":\"" + KEY + "\",\"port\":1234,\"ownerPid\":1,"
                + "\"ownerStartedAtMillis\":12345,\"idleTimeout\":\"PT1H\"}");

        assertThat(ReuseEndpoint.read(layout)).as("pid 1 runs, but it is not the process the record names").isEmpty();
    }

    @Test
    void aDirectoryOthersMayWriteIsRefused() throws IOException {
        Files.setPosixFilePermissions(directory, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));

        assertThatThrownBy(() -> ReuseEndpoint.read(layout)).isInstanceOf(PolykubeException.class)
                .hasMessageContaining(directory.toString());
    }

    @Test
    void closingRemovesTheEndpointFiles() {
        owner.close();

        assertThat(ReuseEndpoint.read(layout)).isEmpty();
        assertThat(ReuseEndpoint.tokenFile(layout)).doesNotExist();
    }

    private void awaitResets(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (resets.get() < count && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(resets).hasValue(count);
    }

    private String token() throws IOException {
        return Files.readString(ReuseEndpoint.tokenFile(layout)).trim();
    }

    private int post(String path, String token) throws IOException {
        int port = ReuseEndpoint.read(layout).orElseThrow().port();
        HttpURLConnection c = (HttpURLConnection) new URL("http://127.0.0.1:" + port + path).openConnection();
        c.setRequestMethod("POST");
        if (token != null) {
            c.setRequestProperty(ReuseOwner.TOKEN_HEADER, token);
        }
        c.setDoOutput(true);
        c.getOutputStream().close();
        return c.getResponseCode();
    }
}
