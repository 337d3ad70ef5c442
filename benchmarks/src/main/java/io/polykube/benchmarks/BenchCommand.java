package io.polykube.benchmarks;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.polykube.api.Cluster;
import io.polykube.api.images.Images;
import io.polykube.api.spec.ClusterSpec;
import io.polykube.api.spec.Mode;
import io.polykube.api.status.ComponentStatus;
import io.polykube.files.TreeDeletion;
import io.polykube.pki.ClusterPki;
import io.polykube.pki.ClusterPkiSpec;
import io.polykube.pki.KeyAlgorithm;
import io.polykube.runtime.binaries.Progress;
import io.polykube.runtime.binaries.ProgressListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Prints start times and memory: the speed targets live here, never in timed tests. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Measure PKI issue time, control-plane and FULL start times (with a timeline per component) and memory, polykube against kube-api-test, the cost of auditing, of webhooks and of the JUnit extension, start and memory per Kubernetes minor (median of N runs).")
final class BenchCommand implements Callable<Integer> {
    @Option(names = "--runs", description = "runs per measurement (default: ${DEFAULT-VALUE})", defaultValue = "5")
    int runs;

    @Option(names = "--control-plane-only", description = "skip the FULL cluster measurements")
    boolean controlPlaneOnly;

    @Option(names = "--audit-only", description = "only the audit measurements (log read time, overhead on API and start)")
    boolean auditOnly;

    @Option(names = "--start-only", description = "only the control-plane start: its timeline and the side-by-side comparisons")
    boolean startOnly;

    @Option(names = "--nodes-only", description = "only the multi-node measurements (start to 3 nodes Ready, memory per extra node)")
    boolean nodesOnly;

    @Option(names = "--versions-only", description = "only the start times and memory per Kubernetes minor (those built)")
    boolean versionsOnly;

    @Option(names = "--matrix-only", description = "only the version matrix (three minors in one JUnit run against a JVM per minor)")
    boolean matrixOnly;

    @Option(names = "--webhooks-only", description = "only the webhook measurements (install until called, latency a call adds)")
    boolean webhooksOnly;

    @Option(names = "--faults-only", description = "only the fault proxy's cost with no rule (get latency, 1,000 creates, a watch of 10,000 events)")
    boolean faultsOnly;

    @Option(names = "--reuse-only", description = "only the edit-test loop: JUnit start to first test on a reused control plane, "
            + "a fresh one, and kube-api-test")
    boolean reuseOnly;

    @Option(names = "--reset-only", description = "only the reset distribution (one config map made, then reset(), --resets times)")
    boolean resetOnly;

    @Option(names = "--resets", description = "resets in the reset distribution (default: ${DEFAULT-VALUE})", defaultValue = "200")
    int resets;

    @Option(names = "--endurance", description = "only the endurance runs (long: start/stop cycles, resets, pods, load), "
            + "which the full bench leaves out")
    boolean endurance;

    @Option(names = "--cycles", description = "control-plane start/stop cycles in --endurance (default: ${DEFAULT-VALUE})",
            defaultValue = "200")
    int cycles;

    @Option(names = "--full-cycles", description = "FULL start/stop cycles in --endurance (default: ${DEFAULT-VALUE})",
            defaultValue = "50")
    int fullCycles;

    @Option(names = "--endurance-resets", description = "resets of one cluster in --endurance (default: ${DEFAULT-VALUE})",
            defaultValue = "1000")
    int enduranceResets;

    @Option(names = "--pods-only", description = "only the pod measurements of --endurance (--pods on one node, "
            + "--pods-per-node on each of 3 nodes; needs root)")
    boolean podsOnly;

    @Option(names = "--pods", description = "pods on one node in --endurance (default: ${DEFAULT-VALUE})", defaultValue = "100")
    int pods;

    @Option(names = "--pods-per-node", description = "pods on each of 3 nodes in --endurance (default: ${DEFAULT-VALUE})",
            defaultValue = "30")
    int podsPerNode;

    @Option(names = "--kills", description = "SIGKILLs of the owner JVM during start and stop in --endurance "
            + "(default: ${DEFAULT-VALUE})", defaultValue = "20")
    int kills;

    @Option(names = "--kills-only", description = "only the SIGKILLs of --endurance (--kills of them, half in start(), half "
            + "in stop(); needs root)")
    boolean killsOnly;

    @Option(names = "--load-seconds", description = "seconds of load from 8 clients in --endurance (default: ${DEFAULT-VALUE})",
            defaultValue = "60")
    int loadSeconds;

    /** Runs done of the total, elapsed and an estimate: one updating line on a terminal, a line per run otherwise. */
    private final ProgressListener progress = ProgressListener.printingTo(System.out, "[bench] ", System.console() != null);

    @Override
    public Integer call() throws Exception {
        Path work = Files.createTempDirectory("polykube-bench");
        try {
            if (endurance) {
                if (cycles < 1 || fullCycles < 1 || enduranceResets < 1 || pods < 1 || podsPerNode < 1 || kills < 1
                        || loadSeconds < 1) {
                    throw new IllegalArgumentException("--cycles, --full-cycles, --endurance-resets, --pods, --pods-per-node, "
                            + "--kills and --load-seconds must each be at least 1");
                }
                new EnduranceBench(cycles, fullCycles, enduranceResets, pods, podsPerNode, kills, Duration.ofSeconds(loadSeconds))
                        .run(work.resolve("endurance"), Mode.defaultForCurrentUser() == Mode.FULL && !controlPlaneOnly);
                return 0;
            }
            if (podsOnly) {
                if (pods < 1 || podsPerNode < 1) {
                    throw new IllegalArgumentException("--pods and --pods-per-node must each be at least 1");
                }
                if (Mode.defaultForCurrentUser() != Mode.FULL) {
                    throw new IllegalArgumentException("--pods-only runs FULL clusters: run it as root");
                }
                new EnduranceBench(cycles, fullCycles, enduranceResets, pods, podsPerNode, kills, Duration.ofSeconds(loadSeconds))
                        .pods(work.resolve("pods"));
                return 0;
            }
            if (killsOnly) {
                if (kills < 1) {
                    throw new IllegalArgumentException("--kills must be at least 1");
                }
                if (Mode.defaultForCurrentUser() != Mode.FULL) {
                    throw new IllegalArgumentException("--kills-only runs FULL clusters: run it as root");
                }
                new CrashKills(kills, System.nanoTime()).run(work.resolve("kills"));
                return 0;
            }
            if (auditOnly) {
                new AuditBench(runs).run(work.resolve("audit"));
                return 0;
            }
            if (nodesOnly) {
                multiNode(work.resolve("nodes"));
                return 0;
            }
            if (matrixOnly) {
                new MatrixBench(Math.min(runs, 3)).run(work.resolve("matrix"));
                return 0;
            }
            if (webhooksOnly) {
                new WebhookBench(runs).run(work.resolve("webhooks"));
                return 0;
            }
            if (faultsOnly) {
                new FaultBench().run(work.resolve("faults"));
                return 0;
            }
            if (reuseOnly) {
                new ReuseBench(runs).run(work.resolve("reuse"));
                return 0;
            }
            if (resetOnly) {
                resetDistribution(work.resolve("reset-loop"));
                return 0;
            }
            if (versionsOnly) {
                new VersionsBench(runs).run(work.resolve("versions"), Mode.defaultForCurrentUser() == Mode.FULL && !controlPlaneOnly);
                return 0;
            }
            if (startOnly) {
                controlPlane(work.resolve("cp"));
                compare(work.resolve("compare"));
                return 0;
            }
            pki(work.resolve("pki"));
            controlPlane(work.resolve("cp"));
            compare(work.resolve("compare"));
            new AuditBench(runs).run(work.resolve("audit"));
            reset(work.resolve("reset"));
            resetDistribution(work.resolve("reset-loop"));
            extension(work.resolve("sections"));
            new ReuseBench(runs).run(work.resolve("reuse"));
            new WebhookBench(runs).run(work.resolve("webhooks"));
            new FaultBench().run(work.resolve("faults"));
            new MatrixBench(Math.min(runs, 3)).run(work.resolve("matrix"));
            if (Mode.defaultForCurrentUser() == Mode.FULL && !controlPlaneOnly) {
                full(work.resolve("full"));
                multiNode(work.resolve("nodes"));
                new VersionsBench(runs).run(work.resolve("versions"), true);
            } else {
                new VersionsBench(runs).run(work.resolve("versions"), false);
                System.out.println("[bench] FULL cluster: skipped (" + (controlPlaneOnly ? "--control-plane-only" : "needs root") + ")");
            }
        } finally {
            deleteTree(work);
        }
        return 0;
    }

    private void pki(Path dir) {
        for (KeyAlgorithm algorithm : List.of(KeyAlgorithm.ECDSA_P256, KeyAlgorithm.RSA_2048)) {
            ClusterPkiSpec spec = ClusterPkiSpec.builder().clusterName("bench").nodeName("bench-node").keyAlgorithm(algorithm).build();
            ClusterPki.create(dir, spec); // warm-up
            report("PKI: issue the full set, " + algorithm, measure(() -> time(() -> ClusterPki.create(dir, spec))), "ms");
            report("PKI: reload the set, " + algorithm, measure(() -> time(() -> ClusterPki.loadOrCreate(dir, spec))), "ms");
        }
    }

    private static ClusterSpec.Builder<ClusterSpec> controlPlaneSpec(Path dir) {
        return ClusterSpec.builder().name("bench").directory(dir).mode(Mode.CONTROL_PLANE).etcd(e -> e.unsafeNoFsync(true));
    }

    private void controlPlane(Path dir) {
        ClusterSpec.Builder<ClusterSpec> builder = controlPlaneSpec(dir);
        String step = "control plane: " + (runs + 1) + " starts (the first issues the PKI and is not counted)";
        long begin = started(step);
        time(() -> Cluster.start(builder.build()).close()); // first run issues the PKI; not counted
        ran(step, 1, begin);
        List<Long> starts = new ArrayList<>();
        List<Long> memory = new ArrayList<>();
        StartTimeline timeline = new StartTimeline();
        for (int i = 0; i < runs; i++) {
            Instant at = Instant.now();
            long t0 = System.nanoTime();
            try (Cluster cluster = Cluster.start(builder.build())) {
                long millis = (System.nanoTime() - t0) / 1_000_000;
                starts.add(millis);
                timeline.add(at, millis, cluster.status());
                memory.add(peakMemoryKiB(cluster) / 1024);
            }
            ran(step, i + 2, begin);
        }
        progress.finished(step, Duration.ofNanos(System.nanoTime() - begin));
        report("control plane: spec built -> every component ready (warm PKI, etcd unsafe-no-fsync)", starts, "ms");
        timeline.print("control plane");
        report("control plane: peak memory (sum of VmHWM of its 4 processes)", memory, "MiB");
    }

    /**
     * Side by side, alternating run for run so that the host's load hits both alike: polykube's control plane (etcd, API
     * server, controller manager, scheduler, warm PKI) against kube-api-test ({@link KubeApiTestRival}), both from
     * "start asked" to "API ready".
     */
    private void compare(Path dir) {
        KubeApiTestRival rival = new KubeApiTestRival();
        ClusterSpec.Builder<ClusterSpec> builder = controlPlaneSpec(dir.resolve("polykube"));
        Path rivalDir = dir.resolve(rival.name());
        String step = "polykube vs " + rival.name() + ": " + (runs + 1) + " alternating pairs (the first warms both up)";
        long begin = started(step);
        List<Long> ours = new ArrayList<>();
        List<Long> theirs = new ArrayList<>();
        for (int i = 0; i <= runs; i++) {
            long ourStart = startMillis(builder.build());
            long theirStart = rival.startAndStopMillis(rivalDir);
            if (i > 0) {
                ours.add(ourStart);
                theirs.add(theirStart);
            }
            ran(step, i + 1, begin);
        }
        progress.finished(step, Duration.ofNanos(System.nanoTime() - begin));
        report("polykube control plane (4 components, controllers included): start -> ready", ours, "ms");
        report(rival.name() + " (" + rival.description() + "): start -> ready", theirs, "ms");
        System.out.printf("[bench] %-90s %.2f (goal <= 0.67)  load average %s%n", "ratio polykube / " + rival.name() + " (medians)",
                (double) median(ours) / median(theirs), loadAverage());
    }

    /** The cost of the JUnit extension ({@link ExtensionBenchmark}). */
    private void extension(Path dir) throws Exception {
        ExtensionBenchmark extension = new ExtensionBenchmark();
        long begin = started(extension.title());
        extension.run(dir.resolve(ExtensionBenchmark.class.getSimpleName()), runs);
        progress.finished(extension.title(), Duration.ofNanos(System.nanoTime() - begin));
    }

    /** Milliseconds from start asked to every component ready; the stop that follows is not counted. */
    private static long startMillis(ClusterSpec spec) {
        long t0 = System.nanoTime();
        try (Cluster cluster = Cluster.start(spec)) {
            return (System.nanoTime() - t0) / 1_000_000;
        }
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** A clean cluster for the next test: {@code cluster.reset()} against deleting the test's namespace and waiting until it is gone. */
    private void reset(Path dir) {
        List<Long> resets = new ArrayList<>();
        List<Long> deletions = new ArrayList<>();
        int restarts;
        try (Cluster cluster = Cluster.builder().name("bench-reset").directory(dir).mode(Mode.CONTROL_PLANE)
                .etcd(e -> e.unsafeNoFsync(true)).build().start()) {
            KubernetesClient client = cluster.client();
            for (int i = 0; i < runs; i++) {
                String ns = "bench-" + i;
                fill(client, ns);
                resets.add(time(cluster::reset));
                fill(client, ns);
                deletions.add(time(() -> {
                    client.namespaces().withName(ns).delete();
                    client.namespaces().withName(ns).waitUntilCondition(n -> n == null, 2, TimeUnit.MINUTES);
                }));
            }
            restarts = cluster.status().stream().mapToInt(ComponentStatus::restarts).sum();
        }
        report("control plane: cluster.reset() (a namespace with 20 config maps made since start)", resets, "ms");
        report("control plane: delete that namespace and wait until it is gone", deletions, "ms");
        System.out.printf("[bench] %-90s %d (goal 0)%n", "control plane: component restarts during those resets", restarts);
    }

    /**
     * The reset as a distribution, in the loop of a suite that resets before each test: one config map made, then
     * {@code reset()}, {@link #resets} times on one control plane; min, p50, p90, p99 and max. With root, the same on a
     * FULL cluster (a tenth as many), and again with a pod Running before each reset (the pod sweep's cost).
     */
    private void resetDistribution(Path dir) {
        if (resets < 1) {
            throw new IllegalArgumentException("--resets must be at least 1, got " + resets);
        }
        ClusterSpec controlPlane = controlPlaneSpec(dir.resolve("cp")).name("bench-loop").build();
        resetLoop("control plane", controlPlane, resets, (cluster, i) -> configMap(cluster, i));
        if (Mode.defaultForCurrentUser() != Mode.FULL || controlPlaneOnly) {
            System.out.println("[bench] FULL cluster resets: skipped (" + (controlPlaneOnly ? "--control-plane-only" : "needs root") + ")");
            return;
        }
        int fullResets = Math.max(10, resets / 10);
        ClusterSpec full = ClusterSpec.builder().name("bench-loop-full").directory(dir.resolve("full")).mode(Mode.FULL)
                .etcd(e -> e.unsafeNoFsync(true)).node(n -> n.dns(false)).build();
        resetLoop("FULL cluster", full, fullResets, (cluster, i) -> configMap(cluster, i));
        resetLoop("FULL cluster, a pod Running", full, fullResets, (cluster, i) -> {
            if (i == 0) {
                Path tar = Images.fromFiles("polykube.local/bench-sleeper:1")
                        .file(Path.of("/bin/busybox"), "/bin/busybox", 0755)
                        .entrypoint("/bin/busybox", "sleep", "3600")
                        .writeTo(cluster.directory().resolve("bench-sleeper.tar"));
                cluster.images().load(tar);
            }
            String name = "loop-" + i;
            cluster.client().pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName(name)
                    .endMetadata().withNewSpec().addNewContainer().withName("main").withImage("polykube.local/bench-sleeper:1")
                    .withImagePullPolicy("Never").endContainer().withTerminationGracePeriodSeconds(0L).endSpec().build())
                    .create();
            cluster.client().pods().inNamespace("default").withName(name)
                    .waitUntilCondition(p -> p != null && "Running".equals(p.getStatus().getPhase()), 60, TimeUnit.SECONDS);
        });
    }

    private static void configMap(Cluster cluster, int i) {
        cluster.client().configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata().withName("loop-" + i)
                .endMetadata().addToData("k", "v").build()).create();
    }

    /** What a test does before the reset that follows it: the iteration's number, from 0. */
    private interface LoopStep {
        void run(Cluster cluster, int iteration);
    }

    private void resetLoop(String what, ClusterSpec spec, int count, LoopStep beforeEachReset) {
        List<Long> times = new ArrayList<>();
        String step = what + ": " + count + " resets";
        long begin = started(step);
        int restarts;
        try (Cluster cluster = Cluster.start(spec)) {
            for (int i = 0; i < count; i++) {
                beforeEachReset.run(cluster, i);
                times.add(time(cluster::reset));
                if ((i + 1) % Math.max(1, count / 10) == 0) {
                    progress.progress(step, new Progress(i + 1, count, "resets", Duration.ofNanos(System.nanoTime() - begin)));
                }
            }
            restarts = cluster.status().stream().mapToInt(ComponentStatus::restarts).sum();
        }
        progress.finished(step, Duration.ofNanos(System.nanoTime() - begin));
        List<Long> sorted = new ArrayList<>(times);
        Collections.sort(sorted);
        String made = what.contains("pod") ? "" : " after one config map";
        System.out.printf("[bench] %-90s min %d, p50 %d, p90 %d, p99 %d, max %d ms (n=%d%s)%n",
                what + ": cluster.reset()" + made + ", in a loop", sorted.get(0), percentile(sorted, 50),
                percentile(sorted, 90), percentile(sorted, 99), sorted.get(sorted.size() - 1), sorted.size(),
                spec.mode() == Mode.CONTROL_PLANE ? "; goal p90 <= 300, p99 <= 500" : "");
        System.out.printf("[bench] %-90s %d (goal 0)%n", what + ": component restarts during those resets", restarts);
    }

    /** The nearest-rank percentile of sorted values. */
    static long percentile(List<Long> sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size(), rank) - 1));
    }

    private static void fill(KubernetesClient client, String namespace) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build()).create();
        for (int j = 0; j < 20; j++) {
            client.configMaps().inNamespace(namespace).resource(new ConfigMapBuilder().withNewMetadata().withName("cm-" + j)
                    .endMetadata().addToData("k", "v").build()).create();
        }
    }

    private void full(Path dir) {
        // two clusters (own directories, so the one without DNS has no CoreDNS objects in its etcd), measured in turns
        ClusterSpec noDns = ClusterSpec.builder().name("bench").directory(dir.resolve("no-dns")).mode(Mode.FULL)
                .etcd(e -> e.unsafeNoFsync(true)).node(n -> n.dns(false)).build();
        ClusterSpec withDns = ClusterSpec.builder().name("bench-dns").directory(dir.resolve("dns")).mode(Mode.FULL)
                .etcd(e -> e.unsafeNoFsync(true)).build();
        String step = "FULL cluster: " + (runs + 1) + " pairs of starts, without and with DNS (the first pair issues the PKI "
                + "and is not counted)";
        long begin = started(step);
        FullStartTiming.once(noDns); // first runs issue the PKI and import the images; not counted
        FullStartTiming.once(withDns);
        ran(step, 1, begin);
        List<Long> ready = new ArrayList<>();
        List<Long> pod = new ArrayList<>();
        List<Long> memory = new ArrayList<>();
        List<Long> dnsReady = new ArrayList<>();
        List<Long> dnsMemory = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            FullStartTiming.Result r = FullStartTiming.once(noDns);
            ready.add(r.startMillis());
            pod.add(r.firstPodRunningMillis());
            memory.add(r.peakMemoryKiB() / 1024);
            FullStartTiming.Result d = FullStartTiming.once(withDns);
            dnsReady.add(d.startMillis());
            dnsMemory.add(d.peakMemoryKiB() / 1024);
            ran(step, i + 2, begin);
        }
        progress.finished(step, Duration.ofNanos(System.nanoTime() - begin));
        report("FULL cluster, DNS left out: start() -> node Ready (warm PKI)", ready, "ms");
        report("FULL cluster, DNS left out: start() -> first pod Running", pod, "ms");
        report("FULL cluster, DNS left out: peak memory (sum of VmHWM of every process, pods included)", memory, "MiB");
        report("FULL cluster with DNS: start() -> DNS answering (node Ready, CoreDNS up, a query from the host answered)",
                dnsReady, "ms");
        report("FULL cluster with DNS: peak memory (sum of VmHWM of every process, pods and CoreDNS included)", dnsMemory, "MiB");
    }

    /** One node against three (two workers in network namespaces, joining by TLS bootstrap), in turns; DNS left out. */
    private void multiNode(Path dir) {
        ClusterSpec one = ClusterSpec.builder().name("bench-n1").directory(dir.resolve("one")).mode(Mode.FULL)
                .etcd(e -> e.unsafeNoFsync(true)).node(n -> n.dns(false)).build();
        ClusterSpec three = ClusterSpec.builder().name("bench-n3").directory(dir.resolve("three")).mode(Mode.FULL)
                .etcd(e -> e.unsafeNoFsync(true)).nodes(n -> n.dns(false).count(3)).build();
        String step = "FULL cluster: " + (runs + 1) + " pairs of starts with 1 and 3 nodes (the first pair issues the PKI and "
                + "bootstraps the workers, not counted)";
        long begin = started(step);
        FullStartTiming.once(one);
        FullStartTiming.once(three);
        ran(step, 1, begin);
        List<Long> ready = new ArrayList<>();
        List<Long> oneMemory = new ArrayList<>();
        List<Long> threeMemory = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            oneMemory.add(FullStartTiming.once(one).peakMemoryKiB() / 1024);
            FullStartTiming.Result r = FullStartTiming.once(three);
            ready.add(r.startMillis());
            threeMemory.add(r.peakMemoryKiB() / 1024);
            ran(step, i + 2, begin);
        }
        progress.finished(step, Duration.ofNanos(System.nanoTime() - begin));
        report("FULL cluster, 3 nodes, DNS left out: start() -> 3 nodes Ready (warm PKI, workers' certificates kept)", ready, "ms");
        report("FULL cluster, 1 node, DNS left out: peak memory (sum of VmHWM, pods included)", oneMemory, "MiB");
        report("FULL cluster, 3 nodes, DNS left out: peak memory (sum of VmHWM, pods included)", threeMemory, "MiB");
        List<Long> perNode = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            perNode.add((threeMemory.get(i) - oneMemory.get(i)) / 2);
        }
        report("FULL cluster: memory per extra node ((3 nodes - 1 node) / 2, run by run)", perNode, "MiB");
    }

    private long started(String step) {
        progress.started(step);
        return System.nanoTime();
    }

    private void ran(String step, int done, long begin) {
        progress.progress(step, new Progress(done, runs + 1L, "runs", Duration.ofNanos(System.nanoTime() - begin)));
    }

    static long peakMemoryKiB(Cluster cluster) {
        long total = 0;
        for (ComponentStatus c : cluster.status()) {
            if (c.pid().isPresent()) {
                total += FullStartTiming.vmHwmKiB(c.pid().getAsLong());
            }
        }
        return total;
    }

    private List<Long> measure(LongSupplier run) {
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            out.add(run.getAsLong());
        }
        return out;
    }

    private static long time(Runnable r) {
        long t0 = System.nanoTime();
        r.run();
        return (System.nanoTime() - t0) / 1_000_000;
    }

    static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    static void report(String what, List<Long> values, String unit) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        System.out.printf("[bench] %-90s median %6d %s  (min %d, max %d, n=%d)%n", what, sorted.get(sorted.size() / 2), unit,
                sorted.get(0), sorted.get(sorted.size() - 1), sorted.size());
    }

    private static void deleteTree(Path root) {
        try {
            TreeDeletion.delete(root);
        } catch (IOException e) {
            System.out.println("[bench] could not remove the work directory: " + e.getMessage());
        }
    }
}
