package io.polykube.benchmarks;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.polykube.api.Cluster;
import io.polykube.api.ClusterSpec;
import io.polykube.api.Mode;
import io.polykube.api.audit.AuditEvent;
import io.polykube.api.audit.AuditLog;
import io.polykube.api.audit.AuditMark;
import io.polykube.api.audit.AuditQuery;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What auditing costs: reading one test's events out of a long log, API throughput (1,000 ConfigMap creates) and
 * control-plane start, with audit on and off side by side in one run. Part of {@code ./polykube bench}; also runnable
 * alone ({@code main}).
 */
public final class AuditBench {
    private static final int LOG_LINES = 100_000;
    private static final int TEST_EVENTS = 500;
    private static final int CREATES = 1_000;

    private final int runs;

    public AuditBench(int runs) {
        this.runs = runs;
    }

    public static void main(String[] args) throws IOException {
        Path work = Files.createTempDirectory("polykube-audit-bench");
        new AuditBench(args.length > 0 ? Integer.parseInt(args[0]) : 3).run(work);
    }

    /** Runs every measurement in {@code work} (which the caller deletes) and prints the results. */
    public void run(Path work) {
        readOneTestsEvents(work.resolve("log"));
        ClusterSpec on = spec(work.resolve("on"), "bench-audit-on", true);
        ClusterSpec off = spec(work.resolve("off"), "bench-audit-off", false);
        startTimes(on, off);
        throughput(on, off);
    }

    private static ClusterSpec spec(Path dir, String name, boolean audit) {
        return Cluster.builder().name(name).directory(dir).mode(Mode.CONTROL_PLANE).etcd(e -> e.unsafeNoFsync(true))
                .apiServer(a -> a.audit(audit)).build();
    }

    private void readOneTestsEvents(Path dir) {
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve("audit.log");
            writeLines(file, 0, LOG_LINES, "user");
            AuditLog audit = AuditLog.of(file);
            long size = Files.size(file);
            List<Long> micros = new ArrayList<>();
            List<Long> full = new ArrayList<>();
            for (int r = 0; r < Math.max(runs, 5); r++) {
                AuditMark mark = audit.mark();
                writeLines(file, 1_000_000 + r * TEST_EVENTS, TEST_EVENTS, "operator");
                long t0 = System.nanoTime();
                List<AuditEvent> events = audit.events(mark, AuditQuery.all().user("operator").writes());
                micros.add((System.nanoTime() - t0) / 1_000);
                if (events.isEmpty()) {
                    throw new IllegalStateException("the benchmark found none of the events it wrote");
                }
                long t1 = System.nanoTime();
                audit.events(AuditQuery.all().user("nobody"));
                full.add((System.nanoTime() - t1) / 1_000);
            }
            System.out.printf("[bench] %-90s %6d us%n", "audit: the same, first read in this JVM (Jackson and JIT cold)",
                    micros.get(0));
            report("audit: read one test's " + TEST_EVENTS + " events after a " + LOG_LINES + "-line log (" + size / 1_048_576
                    + " MiB), from a mark", micros.subList(1, micros.size()), "us");
            report("audit: for comparison, parse the whole log", full, "us");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void startTimes(ClusterSpec on, ClusterSpec off) {
        Cluster.of(on).start().close(); // first starts issue the PKI; not counted
        Cluster.of(off).start().close();
        List<Long> withAudit = new ArrayList<>();
        List<Long> withoutAudit = new ArrayList<>();
        for (int r = 0; r < runs; r++) {
            if (r % 2 == 0) {
                withAudit.add(startMillis(on));
                withoutAudit.add(startMillis(off));
            } else {
                withoutAudit.add(startMillis(off));
                withAudit.add(startMillis(on));
            }
        }
        report("control plane start, audit on", withAudit, "ms");
        report("control plane start, audit off", withoutAudit, "ms");
        overhead("control plane start", withAudit, withoutAudit);
    }

    private static long startMillis(ClusterSpec spec) {
        long t0 = System.nanoTime();
        try (Cluster cluster = Cluster.of(spec).start()) {
            return (System.nanoTime() - t0) / 1_000_000;
        }
    }

    private void throughput(ClusterSpec on, ClusterSpec off) {
        try (Cluster auditOn = Cluster.of(on).start(); Cluster auditOff = Cluster.of(off).start()) {
            createMillis(auditOn.client(), "warm-up"); // JIT and connections of both clients; not counted
            createMillis(auditOff.client(), "warm-up");
            List<Long> withAudit = new ArrayList<>();
            List<Long> withoutAudit = new ArrayList<>();
            for (int r = 0; r < runs; r++) { // alternating, first one then the other, so both see the same load
                if (r % 2 == 0) {
                    withAudit.add(createMillis(auditOn.client(), "bench-" + r));
                    withoutAudit.add(createMillis(auditOff.client(), "bench-" + r));
                } else {
                    withoutAudit.add(createMillis(auditOff.client(), "bench-" + r));
                    withAudit.add(createMillis(auditOn.client(), "bench-" + r));
                }
            }
            report(CREATES + " ConfigMap creates, audit on", withAudit, "ms");
            report(CREATES + " ConfigMap creates, audit off", withoutAudit, "ms");
            overhead(CREATES + " ConfigMap creates", withAudit, withoutAudit);
            long events = auditOn.audit().events(AuditQuery.all().verbs("create").resource("configmaps")).size();
            System.out.printf("[bench] %-90s %d%n", "audit: ConfigMap create events recorded (at least " + (runs + 1) * CREATES + " expected)", events);
        }
    }

    private static long createMillis(KubernetesClient client, String namespace) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build()).create();
        long t0 = System.nanoTime();
        for (int i = 0; i < CREATES; i++) {
            client.configMaps().inNamespace(namespace).resource(new ConfigMapBuilder().withNewMetadata().withName("cm-" + i)
                    .endMetadata().addToData("k", "v" + i).build()).create();
        }
        return (System.nanoTime() - t0) / 1_000_000;
    }

    private static void writeLines(Path file, long firstId, int count, String user) throws IOException {
        String[] verbs = {"get", "list", "watch", "create", "update", "patch", "delete"};
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND)) {
            for (int i = 0; i < count; i++) {
                long id = firstId + i;
                String ns = "ns-" + (id % 13);
                out.write("{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"level\":\"Metadata\",\"auditID\":\"id-" + id
                        + "\",\"stage\":\"ResponseComplete\",\"requestURI\":\"/api/v1/namespaces/" + ns + "/configmaps\",\"verb\":\""
                        + verbs[(int) (id % verbs.length)] + "\",\"user\":{\"username\":\"" + user + "\",\"groups\":"
                        + "[\"system:authenticated\"]},\"sourceIPs\":[\"127.0.0.1\"],\"userAgent\":\"bench/1.0\",\"objectRef\":"
                        + "{\"resource\":\"configmaps\",\"namespace\":\"" + ns + "\",\"name\":\"cm-" + id + "\",\"apiVersion\":\"v1\"},"
                        + "\"responseStatus\":{\"metadata\":{},\"code\":200},\"requestReceivedTimestamp\":"
                        + "\"2026-12-02T17:00:00.000001Z\",\"stageTimestamp\":\"2026-12-02T17:00:00.000900Z\",\"annotations\":"
                        + "{\"authorization.k8s.io/decision\":\"allow\",\"authorization.k8s.io/reason\":\"\"}}\n");
            }
        }
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    private static void overhead(String what, List<Long> on, List<Long> off) {
        double percent = 100.0 * (median(on) - median(off)) / median(off);
        System.out.printf("[bench] %-90s %+.1f %% (target < 10 %%)%n", "audit overhead: " + what + " (medians)", percent);
    }

    private static void report(String what, List<Long> values, String unit) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        System.out.printf("[bench] %-90s median %6d %s  (min %d, max %d, n=%d)%n", what, sorted.get(sorted.size() / 2), unit,
                sorted.get(0), sorted.get(sorted.size() - 1), sorted.size());
    }
}
