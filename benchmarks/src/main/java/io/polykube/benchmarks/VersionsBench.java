package io.polykube.benchmarks;

import io.polykube.api.Cluster;
import io.polykube.api.spec.ClusterSpec;
import io.polykube.api.spec.Mode;
import io.polykube.runtime.binaries.BinaryCache;
import io.polykube.runtime.binaries.ClusterBinarySet;
import io.polykube.runtime.binaries.KnownVersions;
import io.polykube.runtime.binaries.KubernetesRelease;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.ArrayList;
import java.util.List;

/**
 * Start time and peak memory per Kubernetes minor: the control plane (spec built to every component ready), and with
 * root a FULL cluster (to node Ready, DNS left out), each on the same host. Only minors already built are measured, each
 * at its pinned patch or else another built patch (a bench never builds: {@code ./polykube setup --kubernetes-version all}
 * builds them all).
 */
final class VersionsBench {
    private final int runs;

    VersionsBench(int runs) {
        this.runs = runs;
    }

    /**
     * One built patch of each known minor, oldest first: the pinned one if it is in the cache, else the newest other
     * patch of the minor that is (an earlier default, say).
     */
    static List<String> built() {
        BinaryCache cache = BinaryCache.defaultCache();
        List<String> out = new ArrayList<>();
        for (KubernetesRelease release : KnownVersions.all()) {
            if (valid(cache, release.patch())) {
                out.add(release.patch());
                continue;
            }
            try (var dirs = Files.list(cache.binDir())) {
                dirs.map(d -> d.getFileName().toString()).filter(n -> n.startsWith("kubernetes-v" + release.minor() + "."))
                        .map(n -> n.substring("kubernetes-v".length())).filter(v -> valid(cache, v))
                        .max(Comparator.comparingInt(v -> Integer.parseInt(v.substring(v.lastIndexOf('.') + 1))))
                        .ifPresent(out::add);
            } catch (IOException e) {
                // no cache yet: nothing built
            }
        }
        return out;
    }

    private static boolean valid(BinaryCache cache, String patch) {
        return cache.check(ClusterBinarySet.KUBERNETES, patch).state() == BinaryCache.State.VALID;
    }

    void run(Path dir, boolean full) {
        List<String> patches = built();
        System.out.println("[bench] per Kubernetes minor: " + patches
                + " (built; the others are skipped: ./polykube setup --kubernetes-version all builds them)");
        for (String patch : patches) {
            KubernetesRelease release = KnownVersions.release(patch);
            ClusterSpec cp = ClusterSpec.builder().name("bench-v" + release.minorNumber()).directory(dir.resolve(release.minor()))
                    .mode(Mode.CONTROL_PLANE).kubernetesVersion(patch).etcd(e -> e.unsafeNoFsync(true)).build();
            Cluster.start(cp).close(); // issues the PKI; not counted
            List<Long> starts = new ArrayList<>();
            List<Long> memory = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                long t0 = System.nanoTime();
                try (Cluster cluster = Cluster.start(cp)) {
                    starts.add((System.nanoTime() - t0) / 1_000_000);
                    memory.add(BenchCommand.peakMemoryKiB(cluster) / 1024);
                }
            }
            BenchCommand.report("Kubernetes " + patch + ", control plane: spec built -> every component ready", starts, "ms");
            BenchCommand.report("Kubernetes " + patch + ", control plane: peak memory (VmHWM of its 4 processes)", memory,
                    "MiB");
            if (full) {
                ClusterSpec node = ClusterSpec.builder().name("bench-f" + release.minorNumber())
                        .directory(dir.resolve(release.minor() + "-full")).mode(Mode.FULL).kubernetesVersion(patch)
                        .etcd(e -> e.unsafeNoFsync(true)).node(n -> n.dns(false)).build();
                FullStartTiming.once(node); // issues the PKI, imports the sandbox image; not counted
                List<Long> ready = new ArrayList<>();
                List<Long> fullMemory = new ArrayList<>();
                for (int i = 0; i < runs; i++) {
                    FullStartTiming.Result r = FullStartTiming.once(node);
                    ready.add(r.startMillis());
                    fullMemory.add(r.peakMemoryKiB() / 1024);
                }
                BenchCommand.report("Kubernetes " + patch + ", FULL, DNS left out: start() -> node Ready", ready, "ms");
                BenchCommand.report("Kubernetes " + patch + ", FULL, DNS left out: peak memory (pods included)", fullMemory,
                        "MiB");
            }
        }
    }
}
