package io.polykube.benchmarks;

import io.polykube.api.Component;
import io.polykube.api.ComponentStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Where a start's time goes, per component, over several starts: launched and ready (milliseconds after start was
 * asked), its own start time, and the gap between its dependency being ready and its launch. Prints medians.
 */
final class StartTimeline {
    private record Point(long launched, long ready) {
    }

    private final Map<Component, List<Point>> points = new EnumMap<>(Component.class);
    private final List<Long> afterLastReady = new ArrayList<>();

    /** One start begun at {@code at} that took {@code totalMillis}, with the status right after it. */
    void add(Instant at, long totalMillis, List<ComponentStatus> status) {
        long lastReady = 0;
        for (ComponentStatus c : status) {
            if (c.launchedAt().isEmpty() || c.readyAt().isEmpty()) {
                continue;
            }
            long launched = Duration.between(at, c.launchedAt().get()).toMillis();
            long ready = Duration.between(at, c.readyAt().get()).toMillis();
            points.computeIfAbsent(c.component(), k -> new ArrayList<>()).add(new Point(launched, ready));
            lastReady = Math.max(lastReady, ready);
        }
        afterLastReady.add(totalMillis - lastReady);
    }

    void print(String what) {
        System.out.printf("[bench] %s timeline (median ms after start was asked; gap = launch after its dependency was ready):%n", what);
        long firstLaunch = Long.MAX_VALUE;
        Map<Component, Long> readyMedian = new EnumMap<>(Component.class);
        for (Map.Entry<Component, List<Point>> e : points.entrySet()) {
            long launched = BenchCommand.median(e.getValue().stream().map(Point::launched).toList());
            long ready = BenchCommand.median(e.getValue().stream().map(Point::ready).toList());
            long own = BenchCommand.median(e.getValue().stream().map(p -> p.ready() - p.launched()).toList());
            firstLaunch = Math.min(firstLaunch, launched);
            Component dependency = dependencyOf(e.getKey());
            String gap = dependency != null && readyMedian.containsKey(dependency)
                    ? String.format("%+6d", launched - readyMedian.get(dependency)) : "     -";
            readyMedian.put(e.getKey(), ready);
            System.out.printf("[bench]   %-26s launched %6d  ready %6d  own start %6d  gap %s%n", e.getKey().processName(), launched,
                    ready, own, gap);
        }
        if (firstLaunch != Long.MAX_VALUE) {
            System.out.printf("[bench]   %-26s %6d ms before the first launch (binaries, ports, PKI, configs)%n", "prepare", firstLaunch);
        }
        System.out.printf("[bench]   %-26s %6d ms after the last component was ready (API usable: namespaces, default service account; snapshot)%n",
                "finish", BenchCommand.median(afterLastReady));
    }

    private static Component dependencyOf(Component c) {
        return switch (c) {
            case ETCD, CONTAINERD -> null;
            case KUBE_APISERVER -> Component.ETCD;
            case KUBE_PROXY -> Component.KUBELET;
            default -> Component.KUBE_APISERVER;
        };
    }
}
