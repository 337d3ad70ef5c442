package io.polykube.runtime.process;

import io.polykube.testing.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.polykube.runtime.process.TestFiles.alive;
import static org.assertj.core.api.Assertions.assertThat;

/** A JVM that crashes leaves processes; the next supervisor on the directory stops exactly those. */
class OrphanReapIT {
    private final List<Process> ours = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        ours.forEach(p -> {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        });
    }

    @Test
    void aNewSupervisorStopsOrphansOfACrashedJvmAndLeavesReusedPidsAlone() throws Exception {
        Path dir = TestFiles.newDirectory("orphans");
        Path run = dir.resolve("run");
        Path tree = TestFiles.script(dir, "tree.sh", "trap '' TERM\nsleep 600 &\necho ready\nwait");

        long[] pids = startAndCrashOwner(run, tree);
        long sleeper = pids[0], treePid = pids[1], grandchild = pids[2];
        assertThat(run.resolve("sleeper.json")).exists();
        assertThat(run.resolve("tree.json")).exists();

        // an unrelated process (started by this test) whose pid appears in records that do not match it
        Process unrelated = new ProcessBuilder("/bin/sleep", "600").start();
        ours.add(unrelated);
        ProcFs.Identity id = ProcFs.read(unrelated.pid()).orElseThrow();
        new ProcessRecord("reused-start", unrelated.pid(), id.startTicks() + 1, id.commandLine(), Instant.now(),
                Duration.ofSeconds(1), 1).write(run);
        new ProcessRecord("reused-cmd", unrelated.pid(), id.startTicks(), List.of("/usr/bin/etcd", "--data-dir", "x"),
                Instant.now(), Duration.ofSeconds(1), 1).write(run);

        long t0 = System.nanoTime();
        try (Supervisor next = Supervisor.create(run)) {
            next.start(List.of(ProcessSpec.builder("fresh").command(Path.of("/bin/sleep"), "600").build()));
            System.out.println("reaping orphans and starting took " + (System.nanoTime() - t0) / 1_000_000 + " ms");

            Await.until("orphans and their descendants to be stopped", Duration.ofSeconds(5),
                    () -> !alive(sleeper) && !alive(treePid) && !alive(grandchild));
            assertThat(unrelated.isAlive()).as("a process that merely reuses a recorded pid is left alone").isTrue();
            try (var files = Files.list(run)) {
                assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json")))
                        .containsExactly("fresh.json");
            }
        }
        assertThat(unrelated.isAlive()).isTrue();
    }

    @Test
    void aChildKeepsRunningAndLoggingAfterItsOwnerIsKilledUntilTheNextStartReapsIt() throws Exception {
        Path dir = TestFiles.newDirectory("orphan-logs");
        Path run = dir.resolve("run");
        // writes a line every 50 ms: with its output piped into the JVM it would die of SIGPIPE once the JVM is gone
        Path ticker = TestFiles.script(dir, "ticker.sh", "sleep 600 &\necho ready\nn=0\n"
                + "while :; do n=$((n+1)); echo \"tick $n\"; sleep 0.05; done");

        long[] pids = startAndCrashOwner(run, ticker);
        long tickerPid = pids[1];
        Path log = run.resolve("logs/tree.log");
        long sizeAtCrash = Files.size(log);

        Await.until("the orphan to keep writing to its log file after its owner died", Duration.ofSeconds(5),
                () -> size(log) > sizeAtCrash + 200);
        assertThat(alive(tickerPid)).as("the orphan keeps running").isTrue();
        assertThat(Files.readAllLines(log)).last().asString().startsWith("tick ");

        try (Supervisor next = Supervisor.create(run)) {
            next.start(List.of(ProcessSpec.builder("fresh").command(Path.of("/bin/sleep"), "600").build()));
            Await.until("the next start to reap it and its children", Duration.ofSeconds(5),
                    () -> !alive(tickerPid) && !alive(pids[2]));
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (java.io.IOException e) {
            return -1;
        }
    }

    /** Starts an OrphanMaker JVM with "sleeper" and "tree" (the script), kills it with SIGKILL; returns sleeper, tree, grandchild pids. */
    private long[] startAndCrashOwner(Path run, Path tree) throws Exception {
        Process jvm = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), OrphanMaker.class.getName(), run.toString(), tree.toString())
                .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.PIPE).start();
        ours.add(jvm);
        CompletableFuture<String> pidsLine = CompletableFuture.supplyAsync(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                StringBuilder seen = new StringBuilder();
                while ((line = r.readLine()) != null) {
                    if (line.startsWith("PIDS ")) {
                        return line;
                    }
                    seen.append(line).append('\n');
                }
                throw new IllegalStateException("child JVM ended without PIDS line:\n" + seen);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        long[] pids = Arrays.stream(pidsLine.get(60, TimeUnit.SECONDS).substring(5).split(" ")).mapToLong(Long::parseLong).toArray();

        // the JVM crashes: no shutdown hook, no cleanup
        jvm.destroyForcibly();
        assertThat(jvm.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(alive(pids[0]) && alive(pids[1]) && alive(pids[2])).as("orphans survive the JVM").isTrue();
        return pids;
    }

    @Test
    void reapOrphansOnAnEmptyOrMissingDirectoryDoesNothing() {
        Path dir = TestFiles.newDirectory("no-orphans");
        assertThat(Supervisor.reapOrphans(dir.resolve("missing")).stopped()).isEmpty();
        ReapReport report = Supervisor.reapOrphans(dir);
        assertThat(report.stopped()).isEmpty();
        assertThat(report.stale()).isEmpty();
    }
}
