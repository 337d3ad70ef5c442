package io.polykube.samples.cli;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.polykube.api.Cluster;
import io.polykube.api.ClusterSpec;
import io.polykube.api.ComponentStatus;
import io.polykube.api.Mode;
import io.polykube.pki.ClusterPki;
import io.polykube.pki.ClusterPkiSpec;
import io.polykube.pki.KeyAlgorithm;
import io.polykube.runtime.binaries.Progress;
import io.polykube.runtime.binaries.ProgressListener;
import io.polykube.samples.AuditBench;
import io.polykube.samples.FullStartTiming;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Prints start times and memory: the speed targets live here, never in timed tests. */
@Command(name = "bench", description = "Measure PKI issue time, control-plane and FULL start times and memory, and the cost of auditing (median of N runs).")
final class BenchCommand implements Callable<Integer> {
    @Option(names = "--runs", description = "runs per measurement (default: ${DEFAULT-VALUE})", defaultValue = "5")
    int runs;

    @Option(names = "--control-plane-only", description = "skip the FULL cluster measurements")
    boolean controlPlaneOnly;

    @Option(names = "--audit-only", description = "only the audit measurements (log read time, overhead on API and start)")
    boolean auditOnly;

    /** Runs done of the total, elapsed and an estimate: one updating line on a terminal, a line per run otherwise. */
    private final ProgressListener progress = ProgressListener.printingTo(System.out, "[bench] ", System.console() != null);

    @Override
    public Integer call() throws Exception {
        Path work = Files.createTempDirectory("polykube-bench");
        try {
            if (auditOnly) {
                new AuditBench(runs).run(work.resolve("audit"));
                return 0;
            }
            pki(work.resolve("pki"));
            controlPlane(work.resolve("cp"));
            new AuditBench(runs).run(work.resolve("audit"));
            reset(work.resolve("reset"));
            if (Mode.defaultForCurrentUser() == Mode.FULL && !controlPlaneOnly) {
                full(work.resolve("full"));
            } else {
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

    private void controlPlane(Path dir) {
        ClusterSpec.Builder builder = Cluster.builder().name("bench").directory(dir).mode(Mode.CONTROL_PLANE)
                .etcd(e -> e.unsafeNoFsync(true));
        String step = "control plane: " + (runs + 1) + " starts (the first issues the PKI and is not counted)";
        long begin = started(step);
        time(() -> builder.build().start().close()); // first run issues the PKI; not counted
        ran(step, 1, begin);
        List<Long> starts = new ArrayList<>();
        List<Long> memory = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            try (Cluster cluster = builder.build().start()) {
                starts.add((System.nanoTime() - t0) / 1_000_000);
                memory.add(peakMemoryKiB(cluster) / 1024);
            }
            ran(step, i + 2, begin);
        }
        progress.finished(step, Duration.ofNanos(System.nanoTime() - begin));
        report("control plane: spec built -> every component ready (warm PKI, etcd unsafe-no-fsync)", starts, "ms");
        report("control plane: peak memory (sum of VmHWM of its 4 processes)", memory, "MiB");
    }

    /** A clean cluster for the next test: {@code cluster.reset()} against deleting the test's namespace and waiting until it is gone. */
    private void reset(Path dir) {
        List<Long> resets = new ArrayList<>();
        List<Long> deletions = new ArrayList<>();
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
        }
        report("control plane: cluster.reset() (a namespace with 20 config maps made since start)", resets, "ms");
        report("control plane: delete that namespace and wait until it is gone", deletions, "ms");
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
        ClusterSpec noDns = Cluster.builder().name("bench").directory(dir.resolve("no-dns")).mode(Mode.FULL)
                .etcd(e -> e.unsafeNoFsync(true)).node(n -> n.dns(false)).build();
        ClusterSpec withDns = Cluster.builder().name("bench-dns").directory(dir.resolve("dns")).mode(Mode.FULL)
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
                total += vmHwmKiB(c.pid().getAsLong());
            }
        }
        return total;
    }

    private static long vmHwmKiB(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // process gone: counts as zero
        }
        return 0;
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

    static void report(String what, List<Long> values, String unit) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        System.out.printf("[bench] %-90s median %6d %s  (min %d, max %d, n=%d)%n", what, sorted.get(sorted.size() / 2), unit,
                sorted.get(0), sorted.get(sorted.size() - 1), sorted.size());
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            paths.sorted(Collections.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
