package io.polykube.benchmarks;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.polykube.api.Cluster;
import io.polykube.api.faults.Faults;
import io.polykube.api.spec.ClusterSpec;
import io.polykube.api.spec.Mode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the fault proxy costs with no rule matching: the latency it adds to a get (direct and proxied alternating), the
 * time of 1,000 creates each way, and a watch of 10,000 events through it, checked complete and in order.
 */
final class FaultBench {
    private static final int GETS = 1_000;
    private static final int CREATES = 1_000;
    private static final int WATCHED = 10_000;

    void run(Path dir) throws Exception {
        try (Cluster cluster = Cluster.start(ClusterSpec.builder().name("bench-faults").directory(dir)
                .mode(Mode.CONTROL_PLANE).etcd(e -> e.unsafeNoFsync(true)).build())) {
            KubernetesClient direct = cluster.client();
            Faults faults = cluster.faults();
            KubernetesClient proxied = faults.client();
            direct.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("bench").endMetadata().build()).create();
            direct.configMaps().inNamespace("bench").resource(configMap("target")).create();
            gets(direct, proxied);
            creates(direct, proxied);
            watch(direct, proxied);
        }
    }

    private static void gets(KubernetesClient direct, KubernetesClient proxied) {
        for (int i = 0; i < 100; i++) { // warm both paths
            direct.configMaps().inNamespace("bench").withName("target").get();
            proxied.configMaps().inNamespace("bench").withName("target").get();
        }
        List<Long> viaDirect = new ArrayList<>();
        List<Long> viaProxy = new ArrayList<>();
        for (int i = 0; i < GETS; i++) {
            viaDirect.add(timeGet(direct));
            viaProxy.add(timeGet(proxied));
        }
        Collections.sort(viaDirect);
        Collections.sort(viaProxy);
        System.out.printf("[bench] %-90s p50 %.2f ms, p90 %.2f ms (direct: p50 %.2f, p90 %.2f; n=%d each)%n",
                "config map get through the fault proxy, no rule", BenchCommand.percentile(viaProxy, 50) / 1000.0,
                BenchCommand.percentile(viaProxy, 90) / 1000.0, BenchCommand.percentile(viaDirect, 50) / 1000.0,
                BenchCommand.percentile(viaDirect, 90) / 1000.0, GETS);
        System.out.printf("[bench] %-90s p50 %.2f ms%n", "latency the fault proxy adds to a get (goal: at most 1 ms)",
                (BenchCommand.percentile(viaProxy, 50) - BenchCommand.percentile(viaDirect, 50)) / 1000.0);
    }

    private static long timeGet(KubernetesClient client) {
        long t0 = System.nanoTime();
        client.configMaps().inNamespace("bench").withName("target").get();
        return (System.nanoTime() - t0) / 1_000;
    }

    private static void creates(KubernetesClient direct, KubernetesClient proxied) {
        long[] directMs = new long[3];
        long[] proxyMs = new long[3];
        for (int round = 0; round < 3; round++) {
            directMs[round] = createAll(direct, "d" + round);
            proxyMs[round] = createAll(proxied, "p" + round);
        }
        java.util.Arrays.sort(directMs);
        java.util.Arrays.sort(proxyMs);
        System.out.printf("[bench] %-90s %d ms (direct %d ms, cost %+.1f %%; median of 3 rounds)%n",
                CREATES + " config map creates, one after another, through the fault proxy (goal: cost at most 10 %)",
                proxyMs[1], directMs[1], 100.0 * (proxyMs[1] - directMs[1]) / directMs[1]);
    }

    private static long createAll(KubernetesClient client, String prefix) {
        long t0 = System.nanoTime();
        for (int i = 0; i < CREATES; i++) {
            client.configMaps().inNamespace("bench").resource(configMap(prefix + "-" + i)).create();
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        client.configMaps().inNamespace("bench").withLabel("bench", prefix).delete();
        return ms;
    }

    /** 10,000 events watched through the proxy, made by 4 writers on the direct client. */
    private static void watch(KubernetesClient direct, KubernetesClient proxied) throws Exception {
        AtomicInteger seen = new AtomicInteger();
        AtomicLong lastVersion = new AtomicLong();
        AtomicBoolean ordered = new AtomicBoolean(true);
        long t0;
        try (Watch w = proxied.configMaps().inNamespace("bench").withLabel("bench", "w").watch(new Watcher<ConfigMap>() {
            @Override
            public void eventReceived(Action action, ConfigMap resource) {
                long version = Long.parseLong(resource.getMetadata().getResourceVersion());
                if (version <= lastVersion.getAndSet(version)) {
                    ordered.set(false);
                }
                seen.incrementAndGet();
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        })) {
            t0 = System.nanoTime();
            ExecutorService writers = Executors.newFixedThreadPool(4);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int writer = t;
                done.add(writers.submit(() -> {
                    for (int i = writer; i < WATCHED; i += 4) {
                        direct.configMaps().inNamespace("bench").resource(new ConfigMapBuilder().withNewMetadata()
                                .withName("w-" + i).addToLabels("bench", "w").endMetadata().build()).create();
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            writers.shutdown();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (seen.get() < WATCHED && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        }
        System.out.printf("[bench] %-90s %d of %d events, %s, in %d ms%n", "a watch of " + WATCHED
                + " events through the fault proxy", seen.get(), WATCHED, ordered.get() ? "in order" : "OUT OF ORDER",
                (System.nanoTime() - t0) / 1_000_000);
    }

    private static ConfigMap configMap(String name) {
        String prefix = name.contains("-") ? name.substring(0, name.indexOf('-')) : name;
        return new ConfigMapBuilder().withNewMetadata().withName(name).addToLabels("bench", prefix).endMetadata()
                .addToData("k", "v").build();
    }
}
