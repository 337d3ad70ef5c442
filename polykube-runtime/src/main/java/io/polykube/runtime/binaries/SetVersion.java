package io.polykube.runtime.binaries;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One set at one version: what the cache holds in one directory ({@code etcd-v3.6.16}).
 *
 * @param set     the set
 * @param version its version
 */
record SetVersion(BinarySet set, String version) {

    SetVersion {
        Objects.requireNonNull(set, "set");
        Objects.requireNonNull(version, "version");
    }

    /**
     * Each of {@code sets} at the version each of {@code selections} asks for, once: the sets that follow the Kubernetes
     * version once per selection (Kubernetes 1.33.13, 1.34.12, ...), the others (pause, the node runtime) once. Ordered by
     * set, then by selection.
     */
    static List<SetVersion> plan(Collection<? extends BinarySet> sets, List<BinaryVersions> selections) {
        Set<SetVersion> planned = new LinkedHashSet<>();
        for (BinarySet set : sets) {
            for (BinaryVersions versions : selections) {
                planned.add(new SetVersion(set, set.version(versions)));
            }
        }
        return List.copyOf(new ArrayList<>(planned));
    }

    /** {@code etcd v3.6.16}: for messages. */
    String describe() {
        return set.describe(version);
    }
}
