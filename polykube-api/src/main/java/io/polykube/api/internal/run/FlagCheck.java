package io.polykube.api.internal.run;

import io.polykube.api.error.PolykubeException;
import io.polykube.api.spec.ClusterSpec;
import io.polykube.api.spec.FlagOptions;
import io.polykube.runtime.binaries.BinaryException;
import io.polykube.runtime.binaries.ClusterBinary;
import io.polykube.runtime.binaries.FlagList;
import io.polykube.runtime.binaries.ResolvedBinary;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks the extra flags and feature gates of a spec against those each binary knows (its {@code --help}, kept beside it),
 * so an unknown one fails the start before any process runs instead of when the component dies on it.
 */
final class FlagCheck {
    private static final Logger LOG = LoggerFactory.getLogger(FlagCheck.class);

    /** A component that takes extra flags: its binary, its flags and the builder call that sets them. */
    private record Flagged(ClusterBinary binary, FlagOptions flags, String call) {
        String gateCall() {
            return call.replace(".flag(..)", ".featureGate(..)");
        }
    }

    private FlagCheck() {
    }

    /**
     * Throws naming the component, the flag (or gate), the closest known one and the fix for the first flag or feature gate
     * a binary does not know.
     */
    static void check(ClusterSpec spec, Map<ClusterBinary, ResolvedBinary> binaries) {
        Map<String, Flagged> components = new LinkedHashMap<>();
        components.put("etcd", new Flagged(ClusterBinary.ETCD, spec.etcd().flags(), "etcd(e -> e.flag(..))"));
        components.put("kube-apiserver", new Flagged(ClusterBinary.KUBE_APISERVER, spec.apiServer().flags(), "apiServer(a -> a.flag(..))"));
        components.put("kube-controller-manager", new Flagged(ClusterBinary.KUBE_CONTROLLER_MANAGER, spec.controllerManager().flags(),
                "controllerManager(c -> c.flag(..))"));
        components.put("kube-scheduler", new Flagged(ClusterBinary.KUBE_SCHEDULER, spec.scheduler().flags(), "scheduler(s -> s.flag(..))"));
        for (Map.Entry<String, Flagged> entry : components.entrySet()) {
            Flagged c = entry.getValue();
            ResolvedBinary resolved = binaries.get(c.binary());
            if (c.flags().extraFlags().isEmpty() && c.flags().featureGates().isEmpty() || resolved == null) {
                continue;
            }
            long t0 = System.nanoTime();
            FlagList known;
            try {
                known = FlagList.of(resolved);
            } catch (BinaryException e) {
                throw new PolykubeException("cluster '" + spec.name() + "' cannot check the flags given to " + entry.getKey()
                        + ": " + e.getMessage(), e);
            }
            for (Map.Entry<String, String> flag : c.flags().extraFlags().entrySet()) {
                if (!known.knows(flag.getKey()) && known.rejects(flag.getKey(), flag.getValue())) {
                    Optional<String> closest = known.closest(flag.getKey());
                    throw new PolykubeException(entry.getKey() + " v" + resolved.version() + " has no flag --" + flag.getKey()
                            + " (given through " + c.call() + ")"
                            + closest.map(n -> ": did you mean --" + n + "?").orElse(".")
                            + " Fix or remove the flag; `" + resolved.path() + " --help` lists the flags it knows. Nothing was started.");
                }
            }
            for (Map.Entry<String, Boolean> gate : c.flags().featureGates().entrySet()) {
                if (known.featureGates().isEmpty() || known.knowsGate(gate.getKey())) {
                    continue;
                }
                // not listed: GA and deprecated gates are hidden from --help, so ask the binary
                Optional<String> problem = known.gateProblem(gate.getKey(), gate.getValue());
                if (problem.isPresent()) {
                    Optional<String> closest = known.closestGate(gate.getKey());
                    throw new PolykubeException(entry.getKey() + " v" + resolved.version() + " refuses feature gate "
                            + gate.getKey() + "=" + gate.getValue() + " (given through " + c.gateCall() + "): " + problem.get()
                            + "." + closest.map(n -> " Did you mean " + n + "?").orElse("")
                            + " Fix or remove the gate; `" + resolved.path() + " --help` lists the gates under --feature-gates."
                            + " Nothing was started.");
                }
            }
            LOG.debug("{}: {} extra flag(s) checked in {} ms ({})", entry.getKey(), c.flags().extraFlags().size(),
                    (System.nanoTime() - t0) / 1_000_000, known.cached() ? "flag list beside the binary" : "read from --help");
        }
    }
}
