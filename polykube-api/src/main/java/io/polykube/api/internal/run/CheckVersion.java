package io.polykube.api.internal.run;

import io.polykube.api.error.PolykubeException;
import io.polykube.api.spec.ClusterSpec;
import io.polykube.api.status.ClusterRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compares the Kubernetes version asked for with the one the cluster directory last ran: the same minor (any patch) or the
 * next minor (an upgrade, data and PKI kept, as in a real cluster) go on; a downgrade, or a skipped minor, is refused
 * before anything is built or started. A directory without {@code cluster.json} is new and takes any version.
 */
final class CheckVersion implements StartStep {
    private static final Logger LOG = LoggerFactory.getLogger(CheckVersion.class);

    @Override
    public void run(Start start) {
        ClusterSpec spec = start.spec;
        start.layout.checkOwnership(); // before any record in it is read
        ClusterRecord previous = ClusterRecord.read(start.layout.clusterJson()).orElse(null);
        if (previous == null || previous.kubernetesVersion() == null) {
            start.madeWithVersion = spec.kubernetesVersion();
            return;
        }
        start.madeWithVersion = previous.madeWithVersion() != null ? previous.madeWithVersion() : previous.kubernetesVersion();
        start.sameVersionAsLastRun = previous.kubernetesVersion().equals(spec.kubernetesVersion());
        check(spec.name(), start.layout.root().toString(), previous.kubernetesVersion(), spec.kubernetesVersion());
    }

    /** Refuses going from {@code last} to {@code next} unless it keeps the minor or moves to the next one. */
    static void check(String cluster, String directory, String last, String next) {
        int lastMinor = minor(last);
        int nextMinor = minor(next);
        if (nextMinor == lastMinor + 1) {
            LOG.info("Cluster '{}': upgrading from Kubernetes {} to {} (data, certificates and objects kept)", cluster, last, next);
        } else if (nextMinor < lastMinor) {
            throw new PolykubeException("cluster '" + cluster + "' cannot start with Kubernetes " + next + ": its directory "
                    + directory + " was last run with " + last + ", and Kubernetes does not support a downgrade (etcd's data and "
                    + "the stored objects are written for " + last + "). Start it with 1." + lastMinor + " or 1." + (lastMinor + 1)
                    + ", or remove the directory (./polykube delete " + cluster + ", or up --fresh) to start anew with " + next);
        } else if (nextMinor > lastMinor + 1) {
            throw new PolykubeException("cluster '" + cluster + "' cannot start with Kubernetes " + next + ": its directory "
                    + directory + " was last run with " + last + ", and Kubernetes upgrades one minor at a time (the version "
                    + "skew policy). Start it with 1." + (lastMinor + 1) + " first, or remove the directory (./polykube delete "
                    + cluster + ", or up --fresh) to start anew with " + next);
        }
    }

    private static int minor(String version) {
        String[] parts = version.split("\\.");
        if (parts.length < 2) {
            throw new PolykubeException("'" + version + "' is not a Kubernetes version");
        }
        return Integer.parseInt(parts[1]);
    }
}
