package io.polykube.benchmarks;

import io.polykube.api.Cluster;
import io.polykube.api.spec.ClusterSpec;
import io.polykube.api.spec.Mode;
import io.polykube.runtime.binaries.BinaryCache;
import io.polykube.runtime.binaries.ClusterBinarySet;
import io.polykube.runtime.binaries.KnownVersions;
import io.polykube.runtime.binaries.KubernetesRelease;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Start time and peak memory per Kubernetes minor: the control plane (spec built to every component ready), and with
 * root a FULL cluster (to node Ready, DNS left out), each run for run on the same host. Only minors already built are
 * measured (a bench never builds: {@code ./polykube setup --kubernetes-version all} builds them all).
 */
final class VersionsBench {
    private final int runs;

    VersionsBench(int runs) {
        this.runs = runs;
    }

    /** The known minors whose pinned patch is in the cache, oldest first. */
    static List<KubernetesRelease> built() {
        BinaryCache cache = BinaryCache.defaultCache();
        return KnownVersions.all().stream()
                .filter(r -> cache.check(ClusterBinarySet.KUBERNETES, r.patch()).state() == BinaryCache.State.VALID)
                .toList();
    }

    void run(Path dir, boolean full) {
        List<KubernetesRelease> releases = built();
        System.out.println("[bench] per Kubernetes minor: " + releases.stream().map(KubernetesRelease::patch).toList()
                + " (built; the others are skipped: ./polykube setup --kubernetes-version all builds them)");
        for (KubernetesRelease release : releases) {
            ClusterSpec cp = ClusterSpec.builder().name("bench-v" + release.minorNumber()).directory(dir.resolve(release.minor()))
                    .mode(Mode.CONTROL_PLANE).kubernetesVersion(release.minor()).etcd(e -> e.unsafeNoFsync(true)).build();
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
            BenchCommand.report("Kubernetes " + release.patch() + ", control plane: spec built -> every component ready", starts, "ms");
            BenchCommand.report("Kubernetes " + release.patch() + ", control plane: peak memory (VmHWM of its 4 processes)", memory,
                    "MiB");
            if (full) {
                ClusterSpec node = ClusterSpec.builder().name("bench-f" + release.minorNumber())
                        .directory(dir.resolve(release.minor() + "-full")).mode(Mode.FULL).kubernetesVersion(release.minor())
                        .etcd(e -> e.unsafeNoFsync(true)).node(n -> n.dns(false)).build();
                FullStartTiming.once(node); // issues the PKI, imports the sandbox image; not counted
                List<Long> ready = new ArrayList<>();
                List<Long> fullMemory = new ArrayList<>();
                for (int i = 0; i < runs; i++) {
                    FullStartTiming.Result r = FullStartTiming.once(node);
                    ready.add(r.startMillis());
                    fullMemory.add(r.peakMemoryKiB() / 1024);
                }
                BenchCommand.report("Kubernetes " + release.patch() + ", FULL, DNS left out: start() -> node Ready", ready, "ms");
                BenchCommand.report("Kubernetes " + release.patch() + ", FULL, DNS left out: peak memory (pods included)", fullMemory,
                        "MiB");
            }
        }
    }
}
