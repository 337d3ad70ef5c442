package io.polykube.api.internal.run;

import io.polykube.api.error.PolykubeException;
import io.polykube.api.spec.ClusterSpec;
import io.polykube.api.spec.Mode;
import io.polykube.runtime.binaries.Binaries;
import io.polykube.runtime.binaries.BinaryException;
import io.polykube.runtime.binaries.BinaryVersions;
import io.polykube.runtime.binaries.ClusterBinary;
import io.polykube.runtime.binaries.KnownVersions;
import io.polykube.runtime.binaries.Progress;
import io.polykube.runtime.binaries.ProgressListener;
import io.polykube.runtime.binaries.ResolvedBinary;
import java.time.Duration;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the binaries the mode needs and checks the spec's extra flags and feature gates against them: bad input fails
 * here, before anything is taken. Kubernetes and etcd come from the spec's binary directory if it has one; else, like
 * the node runtime (containerd, runc, the CNI plugins), from what {@code Binaries} looks through. A pinned version (the
 * patch a known minor stands for) and the node runtime are built into the cache now if missing (minutes, once; the
 * progress lines go to the log); any other patch must be built with {@code ./polykube setup --kubernetes-version}.
 */
final class ResolveBinaries implements StartStep {
    private static final Logger LOG = LoggerFactory.getLogger(ResolveBinaries.class);
    private static final Set<ClusterBinary> CONTROL_PLANE_BINARIES =
            EnumSet.of(ClusterBinary.ETCD, ClusterBinary.KUBE_APISERVER, ClusterBinary.KUBE_CONTROLLER_MANAGER,
                    ClusterBinary.KUBE_SCHEDULER);
    private static final Set<ClusterBinary> NODE_BINARIES = EnumSet.of(ClusterBinary.KUBELET, ClusterBinary.KUBE_PROXY, ClusterBinary.PAUSE);
    /** The node runtime: the same for every Kubernetes version, never taken from the spec's binary directory. */
    private static final Set<ClusterBinary> NODE_RUNTIME = EnumSet.of(ClusterBinary.CONTAINERD, ClusterBinary.CONTAINERD_SHIM_RUNC_V2, ClusterBinary.CTR,
            ClusterBinary.RUNC, ClusterBinary.CNI_BRIDGE, ClusterBinary.CNI_HOST_LOCAL, ClusterBinary.CNI_LOOPBACK, ClusterBinary.CNI_PORTMAP);

    @Override
    public void run(Start start) {
        start.binaries = resolve(start.spec);
        FlagCheck.check(start.spec, start.binaries);
        start.binariesAt = System.nanoTime();
    }

    private static Map<ClusterBinary, ResolvedBinary> resolve(ClusterSpec spec) {
        Set<ClusterBinary> versioned = EnumSet.copyOf(CONTROL_PLANE_BINARIES);
        Set<ClusterBinary> runtime = EnumSet.noneOf(ClusterBinary.class);
        if (spec.mode() == Mode.FULL) {
            versioned.addAll(NODE_BINARIES);
            if (spec.node().dns()) {
                versioned.add(ClusterBinary.COREDNS);
            }
            runtime.addAll(NODE_RUNTIME);
        }
        String version = spec.kubernetesVersion();
        boolean pinned = KnownVersions.isPinned(version);
        Binaries.Builder builder = Binaries.builder().versions(BinaryVersions.forKubernetes(version)).allowBuild(pinned)
                .progress(LOGGING);
        spec.binaryDirectory().ifPresent(dir -> versioned.forEach(b -> builder.path(b, dir.resolve(b.fileName()))));
        try {
            Map<ClusterBinary, ResolvedBinary> out = new EnumMap<>(builder.build().resolveAll(versioned));
            if (!runtime.isEmpty()) {
                out.putAll(Binaries.builder().allowBuild(true).progress(LOGGING).build().resolveAll(runtime));
            }
            return Map.copyOf(out);
        } catch (BinaryException e) {
            String hint = spec.binaryDirectory().map(d -> "\nThe spec's binaryDirectory is " + d + ": put the v" + version
                    + " binaries there, or leave it unset to use the cache that ./polykube setup fills.")
                    .orElse(pinned ? "" : "\n" + version + " is not the pinned patch of its minor, so it is not built on first use: "
                            + "build it with ./polykube setup --kubernetes-version " + version + ", or ask for the minor ("
                            + KnownVersions.release(version).minor() + ")");
            throw new PolykubeException("cluster '" + spec.name() + "' cannot find its binaries: " + e.getMessage() + hint, e);
        }
    }

    /** A build on first use reports its progress in the log (its steps' start and end are logged where they run). */
    private static final ProgressListener LOGGING = new ProgressListener() {
        @Override
        public void started(String step) {
        }

        @Override
        public void progress(String step, Progress progress) {
            LOG.info("{}: {}", step, progress.describe());
        }

        @Override
        public void finished(String step, Duration took) {
        }
    };
}
