package io.polykube.benchmarks;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.polykube.api.junit.PolykubeExtension;
import io.polykube.api.junit.WithPolykube;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * The edit-test loop: from JUnit's start to the first test in a new JVM, with {@code @WithPolykube(reuse = true)} (the
 * first run starts the reused cluster's owner, later runs attach to it) against a fresh start in every JVM
 * ({@code CI=true}), next to kube-api-test's warm start. Each run is a JVM of its own, as a developer's re-run is.
 */
final class ReuseBench {
    private final int runs;

    ReuseBench(int runs) {
        this.runs = Math.max(3, runs);
    }

    void run(Path work) throws Exception {
        Path state = Files.createDirectories(work.resolve("state"));
        List<Long> attached = new ArrayList<>();
        List<Long> attachOnly = new ArrayList<>();
        List<Long> jvmToTest = new ArrayList<>();
        List<Long> fresh = new ArrayList<>();
        Map<String, String> first = probe(state, false);
        long owner = Long.parseLong(first.get(PolykubeExtension.REPORT_REUSED_OWNER));
        try {
            for (int i = 0; i < runs; i++) {
                Map<String, String> r = probe(state, false);
                attached.add(Long.parseLong(r.get("firstTestMillis")));
                attachOnly.add(Long.parseLong(r.get(PolykubeExtension.REPORT_START_MILLIS)));
                jvmToTest.add(Long.parseLong(r.get("sinceJvmStartMillis")));
            }
            for (int i = 0; i < Math.min(runs, 3); i++) {
                fresh.add(Long.parseLong(probe(state, true).get("firstTestMillis")));
            }
        } finally {
            ProcessHandle.of(owner).ifPresent(p -> {
                p.destroy();
                p.onExit().orTimeout(90, TimeUnit.SECONDS).join();
            });
        }
        KubeApiTestRival rival = new KubeApiTestRival();
        List<Long> kat = new ArrayList<>();
        rival.startAndStopMillis(work.resolve("kube-api-test")); // warms its certificates
        for (int i = 0; i < Math.min(runs, 3); i++) {
            kat.add(rival.startAndStopMillis(work.resolve("kube-api-test")));
        }
        System.out.printf("[bench] reuse: JUnit start to first test, reused control plane (attach): median %d ms (min %d, max %d, "
                + "n=%d); of it attach and reset %d ms; from the JVM's own start %d ms%n", median(attached),
                Collections.min(attached), Collections.max(attached), attached.size(), median(attachOnly), median(jvmToTest));
        System.out.printf("[bench] reuse: first run (starts the owner and its cluster): %s ms to first test%n", first.get("firstTestMillis"));
        System.out.printf("[bench] reuse: fresh control plane in every JVM (CI=true): median %d ms to first test (n=%d)%n",
                median(fresh), fresh.size());
        System.out.printf("[bench] reuse: kube-api-test (etcd + API server only), warm start to ready: median %d ms (n=%d)%n",
                median(kat), kat.size());
    }

    /** Runs {@link Reused} in a JVM of its own; what it reported. */
    private static Map<String, String> probe(Path state, boolean ci) throws Exception {
        Path out = Files.createTempFile(state, "probe-", ".txt");
        ProcessBuilder builder = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(), "-cp",
                System.getProperty("java.class.path"), ReuseBench.class.getName() + "$Probe", out.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(state.resolve("probes.log").toFile()));
        builder.environment().put("XDG_STATE_HOME", state.toString());
        if (ci) {
            builder.environment().put("CI", "true");
        } else {
            builder.environment().remove("CI");
        }
        Process process = builder.start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("a probe JVM did not end within 5 minutes; see " + state.resolve("probes.log"));
        }
        Map<String, String> values = new HashMap<>();
        for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                values.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        if (values.containsKey("failed") || !values.containsKey("firstTestMillis")) {
            throw new IllegalStateException("the probe failed: " + values + "; see " + state.resolve("probes.log"));
        }
        return values;
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    /** The probe JVM: runs {@link Reused} with the JUnit launcher and writes {@code key=value} lines to {@code args[0]}. */
    static final class Probe {
        private static final long STARTED = System.nanoTime();
        private static final StringBuilder LINES = new StringBuilder();

        public static void main(String[] args) throws Exception {
            LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(Reused.class)).build(),
                    new TestExecutionListener() {
                        @Override
                        public void reportingEntryPublished(TestIdentifier id, ReportEntry entry) {
                            entry.getKeyValuePairs().forEach((k, v) -> LINES.append(k).append('=').append(v).append('\n'));
                        }

                        @Override
                        public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                            if (result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
                                LINES.append("failed=").append(result.getThrowable().map(Throwable::toString).orElse("?")
                                        .replace('\n', ' ')).append('\n');
                            }
                        }
                    });
            Files.writeString(Path.of(args[0]), LINES);
            System.exit(0);
        }
    }

    @WithPolykube(reuse = true)
    static final class Reused {
        @Test
        void first(KubernetesClient client) {
            Probe.LINES.append("firstTestMillis=").append((System.nanoTime() - Probe.STARTED) / 1_000_000).append('\n')
                    .append("sinceJvmStartMillis=")
                    .append(System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime()).append('\n');
            client.namespaces().withName("default").get();
        }
    }
}
