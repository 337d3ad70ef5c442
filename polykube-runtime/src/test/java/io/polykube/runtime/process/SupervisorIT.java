package io.polykube.runtime.process;

import io.polykube.runtime.port.PortAllocator;
import io.polykube.runtime.port.ReservedPort;
import io.polykube.runtime.probe.Probe;
import io.polykube.runtime.probe.ProbeContext;
import io.polykube.testing.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

import static io.polykube.runtime.process.TestFiles.alive;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SupervisorIT {
    private static final Pattern READY = Pattern.compile("^ready$");

    private Path dir;
    private Supervisor supervisor;
    private final List<ProcessEvent> events = new CopyOnWriteArrayList<>();
    private PortAllocator ports;

    @BeforeEach
    void setUp() {
        dir = TestFiles.newDirectory("supervisor");
        supervisor = Supervisor.builder().runDirectory(dir.resolve("run")).listener(events::add).build();
        ports = PortAllocator.builder().lockDirectory(dir.getParent().resolve("port-locks")).build();
    }

    @AfterEach
    void tearDown() {
        supervisor.stop();
    }

    /** A script that becomes ready (prints "ready") after the given delay and then sleeps. */
    private ProcessSpec.Builder slowStarter(String name, String delay) {
        Path script = TestFiles.script(dir, name + ".sh", "echo starting " + name + "\nsleep " + delay + "\necho ready\nexec sleep 600");
        return ProcessSpec.builder(name).executable(script).readiness(Probe.logLine(READY))
                .readinessTimeout(Duration.ofSeconds(20)).stopGracePeriod(Duration.ofSeconds(2));
    }

    private ProcessInfo info(String name) {
        return supervisor.process(name).orElseThrow();
    }

    @Test
    void startsInDependencyOrderAndStopsInReverse() {
        supervisor.start(List.of(
                slowStarter("c", "0.2").dependsOn("b").build(),
                slowStarter("b", "0.2").dependsOn("a").build(),
                slowStarter("a", "0.2").build()));

        ProcessInfo a = info("a"), b = info("b"), c = info("c");
        assertThat(List.of(a, b, c)).allMatch(p -> p.state() == ProcessState.READY);
        assertThat(b.startedAt().orElseThrow()).isAfterOrEqualTo(a.readyAt().orElseThrow());
        assertThat(c.startedAt().orElseThrow()).isAfterOrEqualTo(b.readyAt().orElseThrow());
        assertThat(Files.exists(dir.resolve("run/a.json"))).isTrue();
        assertThat(supervisor.logTail("a", 5)).contains("starting a", "ready");

        supervisor.stop();

        List<String> stopped = events.stream().filter(e -> e.type() == ProcessEvent.Type.STOPPED).map(ProcessEvent::name).toList();
        assertThat(stopped).containsExactly("c", "b", "a");
        assertThat(List.of(a, b, c)).allMatch(p -> !alive(p.pid().getAsLong()));
        assertThat(dir.resolve("run/a.json")).doesNotExist();
    }

    @Test
    void startsIndependentProcessesInParallel() {
        long t0 = System.nanoTime();
        supervisor.start(List.of(
                slowStarter("x", "1").build(),
                slowStarter("y", "1").build(),
                slowStarter("z", "0.1").dependsOn("x", "y").build()));
        Duration elapsed = Duration.ofNanos(System.nanoTime() - t0);

        ProcessInfo x = info("x"), y = info("y"), z = info("z");
        // x and y overlap: each started before the other became ready
        assertThat(x.startedAt().orElseThrow()).isBefore(y.readyAt().orElseThrow());
        assertThat(y.startedAt().orElseThrow()).isBefore(x.readyAt().orElseThrow());
        Instant lastDependency = x.readyAt().orElseThrow().isAfter(y.readyAt().orElseThrow()) ? x.readyAt().orElseThrow() : y.readyAt().orElseThrow();
        assertThat(z.startedAt().orElseThrow()).isAfterOrEqualTo(lastDependency);
        // sequential would take >= 2.1 s
        assertThat(elapsed).isLessThan(Duration.ofMillis(1900));
        System.out.println("parallel start of x(1s), y(1s) then z(0.1s) took " + elapsed.toMillis() + " ms");
    }

    @Test
    void aProcessThatExitsWhileProbedFailsFastWithItsLogTail() {
        try (ReservedPort port = ports.allocate()) {
            Path crasher = TestFiles.script(dir, "crasher.sh", "echo loading config\necho 'fatal: unknown flag --foo' >&2\nexit 3");
            ProcessSpec bystander = ProcessSpec.builder("bystander").command(Path.of("/bin/sleep"), "600").build();
            ProcessSpec crash = ProcessSpec.builder("crasher").executable(crasher)
                    .readiness(Probe.tcp("127.0.0.1", port.port())).readinessTimeout(Duration.ofSeconds(30)).build();

            long t0 = System.nanoTime();
            Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> supervisor.start(List.of(bystander, crash)));
            Duration elapsed = Duration.ofNanos(System.nanoTime() - t0);

            assertThat(thrown).isInstanceOf(ProcessStartException.class);
            ProcessStartException e = (ProcessStartException) thrown;
            assertThat(elapsed).isLessThan(Duration.ofSeconds(5));
            assertThat(e.processName()).isEqualTo("crasher");
            assertThat(e.exitCode()).hasValue(3);
            assertThat(e.logTail()).containsExactly("loading config", "fatal: unknown flag --foo");
            assertThat(e.getMessage())
                    .contains("Process 'crasher' did not become ready: it exited with code 3")
                    .contains("Waited for: TCP connect to 127.0.0.1:" + port.port())
                    .contains("Full log: " + dir.resolve("run/logs/crasher.log"))
                    .contains("  | fatal: unknown flag --foo");
            System.out.println("crash detected after " + elapsed.toMillis() + " ms (timeout 30 s)");
            // the process started alongside it was stopped, and the failed batch is forgotten
            assertThat(events).anyMatch(ev -> ev.type() == ProcessEvent.Type.STOPPED && ev.name().equals("bystander"));
            long bystanderPid = events.stream().filter(ev -> ev.name().equals("bystander")).findFirst().orElseThrow()
                    .process().pid().getAsLong();
            assertThat(alive(bystanderPid)).isFalse();
            assertThat(supervisor.processes()).isEmpty();
        }
    }

    @Test
    void aProbeThatNeverPassesFailsAtItsDeadline() throws Exception {
        try (ReservedPort port = ports.allocate()) {
            ProcessSpec spec = ProcessSpec.builder("silent").command(Path.of("/bin/sleep"), "600")
                    .readiness(Probe.tcp("127.0.0.1", port.port())).readinessTimeout(Duration.ofSeconds(1))
                    .stopGracePeriod(Duration.ofMillis(500)).build();

            long t0 = System.nanoTime();
            assertThatThrownBy(() -> supervisor.start(List.of(spec)))
                    .isInstanceOf(ProcessStartException.class)
                    .hasMessageContaining("its readiness probe did not pass within PT1S")
                    .hasMessageContaining("Last probe result: TCP connect to 127.0.0.1:" + port.port() + " failed: connection refused")
                    .satisfies(e -> assertThat(((ProcessStartException) e).exitCode()).isEmpty());
            Duration elapsed = Duration.ofNanos(System.nanoTime() - t0);
            assertThat(elapsed).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(3));
            long pid = events.get(0).process().pid().getAsLong();
            Await.until("pid " + pid + " to exit", Duration.ofSeconds(2), () -> !alive(pid));
        }
    }

    @Test
    void restartsAProcessKilledWithSigkillAndProbesItAgain() throws Exception {
        Path www = Files.createDirectories(dir.resolve("www"));
        Files.writeString(www.resolve("index.html"), "hello");
        try (ReservedPort port = ports.allocate()) {
            URI uri = URI.create("http://127.0.0.1:" + port.port() + "/index.html");
            ProcessSpec httpd = ProcessSpec.builder("httpd")
                    .command(Path.of("/bin/busybox"), "httpd", "-f", "-p", "127.0.0.1:" + port.port(), "-h", www.toString())
                    .readiness(Probe.http(uri, "hello"::equals, "'hello'")).readinessTimeout(Duration.ofSeconds(10))
                    .restartPolicy(RestartPolicy.onFailure(3, Duration.ofMillis(200), Duration.ofSeconds(2)))
                    .build();
            supervisor.start(List.of(httpd));
            long firstPid = info("httpd").pid().getAsLong();

            ProcessHandle.of(firstPid).orElseThrow().destroyForcibly();

            Await.until("httpd to be READY again in a new process", Duration.ofSeconds(10),
                    () -> info("httpd").state() == ProcessState.READY && info("httpd").pid().getAsLong() != firstPid);
            ProcessInfo after = info("httpd");
            assertThat(after.restartCount()).isEqualTo(1);
            assertThat(after.lastExitCode()).hasValue(128 + 9);
            assertThat(events).extracting(ProcessEvent::type).containsSubsequence(ProcessEvent.Type.STARTED,
                    ProcessEvent.Type.READY, ProcessEvent.Type.EXITED, ProcessEvent.Type.RESTARTING,
                    ProcessEvent.Type.RESTARTED, ProcessEvent.Type.READY);
            assertThat(Probe.http(uri).check(ProbeContext.standalone("t", Duration.ofSeconds(2))).ready()).isTrue();
            assertThat(Files.readString(dir.resolve("run/httpd.json"))).contains("\"pid\" : " + after.pid().getAsLong());
        }
    }

    @Test
    void aProcessThatDiesWithoutRestartPolicyIsFailed() throws Exception {
        supervisor.start(List.of(ProcessSpec.builder("short").command(Path.of("/bin/sleep"), "0.3").build()));
        Await.until("short to be FAILED", Duration.ofSeconds(5), () -> info("short").state() == ProcessState.FAILED);
        assertThat(info("short").lastExitCode()).hasValue(0);
        Await.until("a FAILED event saying 'no restarts left'", Duration.ofSeconds(5), () -> events.stream()
                .anyMatch(e -> e.type() == ProcessEvent.Type.FAILED && e.message().contains("no restarts left")));
    }

    @Test
    void stopKillsAProcessThatIgnoresSigtermAndItsChildren() throws Exception {
        Path stubborn = TestFiles.script(dir, "stubborn.sh", "trap '' TERM\nsleep 600 &\nsleep 600 &\necho ready\nwait");
        supervisor.start(List.of(ProcessSpec.builder("stubborn").executable(stubborn).readiness(Probe.logLine(READY))
                .stopGracePeriod(Duration.ofMillis(500)).build()));
        long pid = info("stubborn").pid().getAsLong();
        List<Long> children = ProcessHandle.of(pid).orElseThrow().descendants().map(ProcessHandle::pid).toList();
        assertThat(children).hasSize(2);

        long t0 = System.nanoTime();
        supervisor.stop();
        Duration elapsed = Duration.ofNanos(System.nanoTime() - t0);

        assertThat(alive(pid)).isFalse();
        assertThat(children).noneMatch(TestFiles::alive);
        assertThat(elapsed).isBetween(Duration.ofMillis(500), Duration.ofSeconds(5));
        System.out.println("stop of a SIGTERM-ignoring tree with 500 ms grace took " + elapsed.toMillis() + " ms");
        assertThat(info("stubborn").state()).isEqualTo(ProcessState.STOPPED);
        supervisor.stop(); // idempotent
    }

    @Test
    void replaceFreezesTheOldRunLaunchesTheNewOneAndKillsTheOldOnceTheNewOneTookOver() throws Exception {
        supervisor.start(List.of(slowStarter("svc", "0").build()));
        long old = info("svc").pid().getAsLong();
        List<Character> oldStateDuringSwap = new CopyOnWriteArrayList<>();
        List<Long> askedAbout = new CopyOnWriteArrayList<>();

        supervisor.replace("svc", () -> oldStateDuringSwap.add(procState(old)), pid -> {
            askedAbout.add(pid);
            return askedAbout.size() >= 3; // "took over" on the third look
        }, Duration.ofSeconds(5));

        assertThat(oldStateDuringSwap).containsExactly('T'); // stopped (SIGSTOP) while beforeLaunch ran
        assertThat(info("svc").state()).isEqualTo(ProcessState.READY);
        long now = info("svc").pid().getAsLong();
        assertThat(now).isNotEqualTo(old);
        assertThat(askedAbout).hasSize(3).allMatch(pid -> pid == now);
        Await.until("the old pid " + old + " to exit", Duration.ofSeconds(5), () -> !alive(old));
        assertThat(Files.readString(dir.resolve("run/svc.json"))).contains("\"pid\" : " + now);
        assertThat(supervisor.logTail("svc", 5)).contains("ready");
    }

    private static char procState(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2);
        } catch (java.io.IOException e) {
            return '?';
        }
    }

    @Test
    void addsStopsAndRestartsSingleProcesses() {
        supervisor.start(List.of(slowStarter("base", "0").build()));
        supervisor.addAndStart(slowStarter("extra", "0").dependsOn("base").build());
        long before = info("extra").pid().getAsLong();

        supervisor.restart("extra");
        assertThat(info("extra").state()).isEqualTo(ProcessState.READY);
        assertThat(info("extra").pid().getAsLong()).isNotEqualTo(before);
        assertThat(alive(before)).isFalse();

        supervisor.stop("extra");
        assertThat(info("extra").state()).isEqualTo(ProcessState.STOPPED);
        assertThat(info("base").state()).isEqualTo(ProcessState.READY);
        assertThat(supervisor.processes()).extracting(ProcessInfo::name).containsExactly("base", "extra");
        assertThatThrownBy(() -> supervisor.stop("nope")).hasMessageContaining("No process named 'nope'");
    }
}
