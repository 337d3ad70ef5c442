package io.polykube.benchmarks;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.polykube.api.Cluster;
import io.polykube.api.error.PolykubeException;
import io.polykube.api.images.Images;
import io.polykube.api.spec.ClusterSpec;
import io.polykube.api.spec.Mode;
import io.polykube.api.status.ComponentStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Measures a {@code FULL} cluster: {@code start()} until it returns (node Ready and, unless the spec leaves DNS out, the
 * cluster DNS answering), to the first pod Running (image built from busybox and loaded, pod created, Running), and the
 * peak memory of its processes and pods. For {@code ./polykube bench}; {@link #main} prints the median of N runs.
 */
public final class FullStartTiming {

    /**
     * One run: milliseconds from {@code start()} until it returned and to the first pod Running; peak memory in KiB (the
     * sum of VmHWM of the cluster's processes and of every process in its pods, CoreDNS included).
     */
    public record Result(long startMillis, long firstPodRunningMillis, long peakMemoryKiB) {
    }

    private FullStartTiming() {
    }

    /** Starts the cluster of {@code spec} (mode FULL), runs one pod, closes it. */
    public static Result once(ClusterSpec spec) {
        if (spec.mode() != Mode.FULL) {
            throw new PolykubeException("FullStartTiming measures mode FULL; the spec asks for " + spec.mode());
        }
        long t0 = System.nanoTime();
        try (Cluster cluster = Cluster.start(spec)) {
            long ready = System.nanoTime();
            Path tar = Images.fromFiles("polykube.local/bench-sleeper:1")
                    .file(Path.of("/bin/busybox"), "/bin/busybox", 0755)
                    .entrypoint("/bin/busybox", "sleep", "3600")
                    .writeTo(cluster.directory().resolve("bench-sleeper.tar"));
            cluster.images().load(tar);
            cluster.client().pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("first")
                    .endMetadata().withNewSpec().addNewContainer().withName("main").withImage("polykube.local/bench-sleeper:1")
                    .withImagePullPolicy("Never").endContainer().withTerminationGracePeriodSeconds(0L).endSpec().build())
                    .create();
            cluster.client().pods().inNamespace("default").withName("first")
                    .waitUntilCondition(p -> p != null && "Running".equals(p.getStatus().getPhase()), 60, TimeUnit.SECONDS);
            long running = System.nanoTime();
            long memory = podProcessesKiB();
            for (ComponentStatus c : cluster.status()) {
                if (c.pid().isPresent()) {
                    memory += vmHwmKiB(c.pid().getAsLong());
                }
            }
            cluster.client().pods().inNamespace("default").withName("first").delete();
            return new Result((ready - t0) / 1_000_000, (running - t0) / 1_000_000, memory);
        }
    }

    /** VmHWM of every process in a pod's cgroup (kubelet puts them under {@code kubepods}); one FULL cluster runs per host. */
    private static long podProcessesKiB() {
        long total = 0;
        try (var procs = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) procs::iterator) {
                String pid = p.getFileName().toString();
                if (pid.chars().allMatch(Character::isDigit)) {
                    try {
                        if (Files.readString(p.resolve("cgroup")).contains("/kubepods")) {
                            total += vmHwmKiB(Long.parseLong(pid));
                        }
                    } catch (IOException e) {
                        // gone
                    }
                }
            }
        } catch (IOException e) {
            throw new PolykubeException("cannot list /proc: " + e.getMessage(), e);
        }
        return total;
    }

    /** Peak resident memory (VmHWM) of a process, in KiB; 0 when it is gone. */
    static long vmHwmKiB(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // the process is gone: counts as zero
        }
        return 0;
    }

    /** {@code FullStartTiming [runs]}: one warm-up run (PKI issued), then the median of the runs (default 5), with DNS. */
    public static void main(String[] args) throws IOException {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "pkbench");
        ClusterSpec spec = ClusterSpec.builder().name("bench").directory(dir).mode(Mode.FULL).etcd(e -> e.unsafeNoFsync(true)).build();
        once(spec);
        List<Long> ready = new ArrayList<>();
        List<Long> pod = new ArrayList<>();
        List<Long> memory = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            Result r = once(spec);
            System.out.printf("run %d: start() returned (node Ready, DNS answering) %d ms, first pod Running %d ms, peak memory "
                    + "%d MiB%n", i + 1, r.startMillis(), r.firstPodRunningMillis(), r.peakMemoryKiB() / 1024);
            ready.add(r.startMillis());
            pod.add(r.firstPodRunningMillis());
            memory.add(r.peakMemoryKiB() / 1024);
        }
        System.out.printf("FULL cluster (median of %d, warm PKI): start -> DNS answering %d ms; start -> first pod Running %d ms; "
                + "peak memory %d MiB%n", runs, median(ready), median(pod), median(memory));
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
