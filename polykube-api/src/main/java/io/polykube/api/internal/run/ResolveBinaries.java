package io.polykube.api.internal.run;

import io.polykube.api.error.PolykubeException;
import io.polykube.api.spec.ClusterSpec;
import io.polykube.api.spec.Mode;
import io.polykube.runtime.binaries.Binaries;
import io.polykube.runtime.binaries.BinaryException;
import io.polykube.runtime.binaries.BinaryVersions;
import io.polykube.runtime.binaries.ClusterBinary;
import io.polykube.runtime.binaries.ResolvedBinary;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Finds the binaries the mode needs (the spec's binary directory, else what {@code Binaries} looks through) and checks
 * the spec's extra flags and feature gates against them: bad input fails here, before anything is taken.
 */
final class ResolveBinaries implements StartStep {
    private static final Set<ClusterBinary> CONTROL_PLANE_BINARIES =
            EnumSet.of(ClusterBinary.ETCD, ClusterBinary.ETCDCTL, ClusterBinary.ETCDUTL, ClusterBinary.KUBE_APISERVER, ClusterBinary.KUBE_CONTROLLER_MANAGER,
                    ClusterBinary.KUBE_SCHEDULER);

    @Override
    public void run(Start start) {
        start.binaries = resolve(start.spec);
        FlagCheck.check(start.spec, start.binaries);
        start.binariesAt = System.nanoTime();
    }

    private static Map<ClusterBinary, ResolvedBinary> resolve(ClusterSpec spec) {
        Set<ClusterBinary> needed = EnumSet.copyOf(CONTROL_PLANE_BINARIES);
        if (spec.mode() == Mode.FULL) {
            needed.addAll(EnumSet.of(ClusterBinary.KUBELET, ClusterBinary.KUBE_PROXY, ClusterBinary.PAUSE));
            if (spec.node().dns()) {
                needed.add(ClusterBinary.COREDNS);
            }
        }
        Binaries.Builder builder = Binaries.builder().versions(BinaryVersions.defaults().withKubernetes(spec.kubernetesVersion()));
        spec.binaryDirectory().ifPresent(dir -> needed.forEach(b -> builder.path(b, dir.resolve(b.fileName()))));
        try {
            return builder.build().resolveAll(needed);
        } catch (BinaryException e) {
            String hint = spec.binaryDirectory().map(d -> "\nThe spec's binaryDirectory is " + d + ": put the v" + spec.kubernetesVersion()
                    + " binaries there, or leave it unset to use the cache that ./polykube setup fills.").orElse("");
            throw new PolykubeException("cluster '" + spec.name() + "' cannot find its binaries: " + e.getMessage() + hint, e);
        }
    }
}
