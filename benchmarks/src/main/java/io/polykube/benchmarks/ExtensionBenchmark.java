package io.polykube.benchmarks;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.polykube.api.junit.Polykube;
import io.polykube.api.junit.PolykubeExtension;
import io.polykube.api.junit.TestNamespace;
import io.polykube.api.junit.WithPolykube;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.EventType;

/**
 * What {@code @WithPolykube} costs once its shared cluster runs: the overhead per test class (a class with the extension
 * and an injected client, against the same class without it) and per test with {@code namespacePerTest}, plus the raw
 * namespace round trip (create, delete, gone). Runs everything in one JUnit session, as a build would. Part of
 * {@code ./polykube bench}; the classes measured live in this benchmark-only module, so no build runs them as tests.
 */
public final class ExtensionBenchmark {
    private static final int CLASSES = 10;
    private static final List<Long> ROUND_TRIPS = new CopyOnWriteArrayList<>();

    /** What it measures, for the progress lines. */
    String title() {
        return "JUnit extension @WithPolykube";
    }

    /** Measures, printing {@code [bench]} lines; {@code work} is an empty directory it may fill, deleted afterwards. */
    void run(Path work, int runs) throws Exception {
        ROUND_TRIPS.clear();
        Path clusters = Files.createDirectories(work);
        List<Class<?>> shared = List.of(S1.class, S2.class, S3.class, S4.class, S5.class, S6.class, S7.class, S8.class,
                S9.class, S10.class);
        List<Class<?>> plain = List.of(P1.class, P2.class, P3.class, P4.class, P5.class, P6.class, P7.class, P8.class,
                P9.class, P10.class);
        List<DiscoverySelector> selectors = new ArrayList<>();
        selectors.add(selectClass(Warmup.class));
        shared.forEach(c -> selectors.add(selectClass(c)));
        plain.forEach(c -> selectors.add(selectClass(c)));
        selectors.add(selectClass(PerTestNamespaces.class));
        selectors.add(selectClass(PlainTests.class));
        selectors.add(selectClass(RoundTrip.class));

        EngineExecutionResults results = EngineTestKit.engine("junit-jupiter")
                .configurationParameter(PolykubeExtension.DIRECTORY_PARAMETER, clusters.toString())
                .configurationParameter("junit.jupiter.testclass.order.default", "org.junit.jupiter.api.ClassOrderer$OrderAnnotation")
                .selectors(selectors.toArray(DiscoverySelector[]::new))
                .execute();
        if (results.allEvents().failed().count() > 0) {
            throw new AssertionError("benchmark classes failed: " + results.allEvents().failed().list());
        }
        Map<String, Long> classMicros = durations(results.containerEvents().list());
        Map<String, Long> testMicros = durations(results.testEvents().list());
        String start = EngineRuns.startMillis(results);

        long withExtension = median(shared.stream().map(c -> classMicros.get(name(c))).toList());
        long without = median(plain.stream().map(c -> classMicros.get(name(c))).toList());
        long nsTest = median(testMicros.entrySet().stream().filter(e -> e.getKey().startsWith("ns")).map(Map.Entry::getValue).toList());
        long plainTest = median(testMicros.entrySet().stream().filter(e -> e.getKey().startsWith("plain")).map(Map.Entry::getValue).toList());
        long nsClass = classMicros.get(name(PerTestNamespaces.class));
        long nsTests = testMicros.entrySet().stream().filter(e -> e.getKey().startsWith("ns")).mapToLong(Map.Entry::getValue).sum();

        System.out.printf("[bench] extension: cluster start (first class, shared cluster): %s ms%n", start);
        System.out.printf("[bench] extension: test class with @WithPolykube and an injected client, shared cluster running: median %.2f ms "
                + "(same class without the extension: %.2f ms) -> overhead %.2f ms per class (%d classes)%n",
                withExtension / 1000.0, without / 1000.0, (withExtension - without) / 1000.0, CLASSES);
        System.out.printf("[bench] extension: test with namespacePerTest: median %.1f ms (plain test %.2f ms) -> %.1f ms per test for "
                + "create + delete%n", nsTest / 1000.0, plainTest / 1000.0, (nsTest - plainTest) / 1000.0);
        System.out.printf("[bench] extension: class with namespacePerTest, time outside its tests: %.1f ms (deletions are awaited once, "
                + "when the cluster closes)%n", (nsClass - nsTests) / 1000.0);
        Instant lastClass = results.containerEvents().finished().stream()
                .filter(e -> e.getTestDescriptor().isContainer() && !e.getTestDescriptor().getDisplayName().equals("JUnit Jupiter"))
                .map(Event::getTimestamp).max(Instant::compareTo).orElseThrow();
        Instant end = results.containerEvents().finished().stream()
                .filter(e -> e.getTestDescriptor().getDisplayName().equals("JUnit Jupiter")).map(Event::getTimestamp).findFirst().orElseThrow();
        System.out.printf("[bench] extension: end of the run (await the remaining namespace deletions, stop the cluster): %d ms%n",
                Duration.between(lastClass, end).toMillis());
        System.out.printf("[bench] extension: namespace round trip (create, delete, poll until gone): median %d ms of %d%n",
                median(ROUND_TRIPS), ROUND_TRIPS.size());
    }

    private static String name(Class<?> c) {
        String n = c.getName();
        return n.substring(n.lastIndexOf('.') + 1);
    }

    /** Display name -> microseconds from started to finished. */
    private static Map<String, Long> durations(List<Event> events) {
        Map<String, Instant> started = new HashMap<>();
        Map<String, Long> out = new HashMap<>();
        for (Event e : events) {
            String key = e.getTestDescriptor().getUniqueId().toString();
            if (e.getType() == EventType.STARTED) {
                started.put(key, e.getTimestamp());
            } else if (e.getType() == EventType.FINISHED && started.containsKey(key)) {
                out.put(e.getTestDescriptor().getDisplayName(), Duration.between(started.get(key), e.getTimestamp()).toNanos() / 1000);
            }
        }
        return out;
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    static final class EngineRuns {
        static String startMillis(EngineExecutionResults results) {
            return results.allEvents().reportingEntryPublished().stream()
                    .map(e -> e.getPayload(org.junit.platform.engine.reporting.ReportEntry.class).orElseThrow().getKeyValuePairs())
                    .filter(kv -> kv.containsKey(PolykubeExtension.REPORT_START_MILLIS))
                    .map(kv -> kv.get(PolykubeExtension.REPORT_START_MILLIS)).findFirst().orElse("?");
        }
    }

    // ---------------------------------------------------------------- classes measured

    @WithPolykube
    @Order(0)
    static class Warmup {
        @Test
        void startsTheCluster(KubernetesClient client) {
            client.namespaces().withName("default").get();
        }
    }

    abstract static class SharedBase {
        @Polykube
        KubernetesClient client;

        @Test
        void test() {
            if (client == null) {
                throw new AssertionError("not injected");
            }
        }
    }

    abstract static class PlainBase {
        KubernetesClient client;

        @Test
        void test() {
            if (client != null) {
                throw new AssertionError();
            }
        }
    }

    @WithPolykube static class S1 extends SharedBase { }
    @WithPolykube static class S2 extends SharedBase { }
    @WithPolykube static class S3 extends SharedBase { }
    @WithPolykube static class S4 extends SharedBase { }
    @WithPolykube static class S5 extends SharedBase { }
    @WithPolykube static class S6 extends SharedBase { }
    @WithPolykube static class S7 extends SharedBase { }
    @WithPolykube static class S8 extends SharedBase { }
    @WithPolykube static class S9 extends SharedBase { }
    @WithPolykube static class S10 extends SharedBase { }
    static class P1 extends PlainBase { }
    static class P2 extends PlainBase { }
    static class P3 extends PlainBase { }
    static class P4 extends PlainBase { }
    static class P5 extends PlainBase { }
    static class P6 extends PlainBase { }
    static class P7 extends PlainBase { }
    static class P8 extends PlainBase { }
    static class P9 extends PlainBase { }
    static class P10 extends PlainBase { }

    @WithPolykube(namespacePerTest = true)
    static class PerTestNamespaces {
        @Polykube
        TestNamespace namespace;

        @Test void ns01() { }
        @Test void ns02() { }
        @Test void ns03() { }
        @Test void ns04() { }
        @Test void ns05() { }
        @Test void ns06() { }
        @Test void ns07() { }
        @Test void ns08() { }
        @Test void ns09() { }
        @Test void ns10() { }
    }

    static class PlainTests {
        @Test void plain01() { }
        @Test void plain02() { }
        @Test void plain03() { }
        @Test void plain04() { }
        @Test void plain05() { }
    }

    @WithPolykube
    static class RoundTrip {
        @Test
        void roundTrips(KubernetesClient client) {
            for (int i = 0; i < 3; i++) {
                long t0 = System.nanoTime();
                String name = "bench-round-trip-" + i;
                client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
                client.namespaces().withName(name).delete();
                long deadline = t0 + Duration.ofMinutes(1).toNanos();
                while (client.namespaces().withName(name).get() != null && System.nanoTime() < deadline) {
                    java.util.concurrent.locks.LockSupport.parkNanos(10_000_000);
                }
                ROUND_TRIPS.add((System.nanoTime() - t0) / 1_000_000);
            }
        }
    }
}
