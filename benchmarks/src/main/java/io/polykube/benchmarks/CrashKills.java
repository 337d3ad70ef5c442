package io.polykube.benchmarks;

import io.polykube.api.Cluster;
import io.polykube.api.spec.ClusterSpec;
import io.polykube.api.spec.Mode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The owner JVM killed with SIGKILL at random moments of {@code start()} and {@code stop()} of a FULL cluster (part of
 * {@code ./polykube bench --endurance}): after each kill, the next start of the same cluster in this JVM must clean up what
 * the killed one left and succeed; at the end nothing is left on the host.
 */
final class CrashKills {
    private static final String START = "start()";
    private static final String STOP = "stop()";
    private final int kills;
    private final long seed;

    CrashKills(int kills, long seed) {
        this.kills = kills;
        this.seed = seed;
    }

    void run(Path dir) throws Exception {
        ClusterSpec spec = KillLoopChild.spec(dir);
        Cluster.start(spec).close(); // issues the PKI; then how long start and stop take, to spread the kills over each
        long t0 = System.nanoTime();
        Cluster timed = Cluster.start(spec);
        long startMillis = (System.nanoTime() - t0) / 1_000_000;
        long t1 = System.nanoTime();
        timed.close();
        long stopMillis = (System.nanoTime() - t1) / 1_000_000;
        Random random = new Random(seed);
        int duringStart = 0;
        int duringStop = 0;
        List<Long> recoveries = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        long begin = System.nanoTime();
        for (int i = 0; i < kills; i++) {
            // Half the kills aimed at start(), half at stop(): stop is much the shorter, and spreading the kills over a
            // whole cycle put all 20 in start().
            String target = i % 2 == 0 ? START : STOP;
            long delay = (long) (random.nextDouble() * (target.equals(START) ? startMillis : stopMillis));
            String phase = killAfter(dir, target, delay);
            if (phase.startsWith("start")) {
                duringStart++;
            } else {
                duringStop++;
            }
            long r0 = System.nanoTime();
            try {
                Cluster.start(spec).close();
                recoveries.add((System.nanoTime() - r0) / 1_000_000);
            } catch (RuntimeException e) {
                failures.add("kill " + (i + 1) + " (" + phase + ", " + delay + " ms into " + target + "): " + e.getMessage());
            }
            System.out.printf("[bench] kills: %d/%d (%d ms into %s, killed in %s), %.0f s%n", i + 1, kills, delay, target, phase,
                    (System.nanoTime() - begin) / 1e9);
        }
        String title = "FULL, owner JVM killed " + kills + " times (seed " + seed + ", start " + startMillis + " ms, stop "
                + stopMillis + " ms)";
        System.out.printf("[bench] %-90s %d during start(), %d during stop(); next start cleaned up and succeeded %d of %d "
                + "(median %d ms)%n", title, duringStart, duringStop, recoveries.size(), kills, BenchCommand.median(recoveries));
        failures.forEach(f -> System.out.println("[bench]   failed: " + f));
        EnduranceBench.host(title, spec);
    }

    /**
     * Starts a child JVM that starts and stops the cluster in a loop and kills it {@code delayMillis} after it first enters
     * {@code target}; returns the phase it was in when killed.
     */
    private static String killAfter(Path dir, String target, long delayMillis) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("polykube."))
                .forEach(k -> command.add("-D" + k + "=" + System.getProperty(k)));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), KillLoopChild.class.getName(), dir.toString()));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        AtomicReference<String> phase = new AtomicReference<>("not started");
        CompletableFuture<Boolean> reached = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.startsWith(KillLoopChild.PHASE)) {
                        phase.set(line.substring(KillLoopChild.PHASE.length()));
                        if (phase.get().equals(target)) {
                            reached.complete(true);
                        }
                    }
                }
            } catch (IOException e) {
                // the child is gone
            }
            reached.complete(false);
        }, "kill-loop-output");
        reader.setDaemon(true);
        reader.start();
        try {
            if (!reached.get(2, TimeUnit.MINUTES)) {
                throw new IllegalStateException("the child JVM ended before its first " + target + "; exit " + child.waitFor());
            }
            Thread.sleep(delayMillis);
            return phase.get();
        } finally {
            child.destroyForcibly(); // SIGKILL: no shutdown hook runs
            child.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** Run in the child JVM: starts and stops the cluster until killed, saying which it is doing. */
    public static final class KillLoopChild {
        static final String PHASE = "PHASE ";

        private KillLoopChild() {
        }

        static ClusterSpec spec(Path dir) {
            return ClusterSpec.builder().name("endure-kill").directory(dir).mode(Mode.FULL).etcd(e -> e.unsafeNoFsync(true))
                    .node(n -> n.dns(false)).build();
        }

        public static void main(String[] args) {
            ClusterSpec spec = spec(Path.of(args[0]));
            while (true) {
                System.out.println(PHASE + START);
                System.out.flush();
                Cluster cluster = Cluster.start(spec);
                System.out.println(PHASE + STOP);
                System.out.flush();
                cluster.close();
            }
        }
    }
}
