package io.polykube.conformance;

import io.polykube.runtime.binaries.Binary;
import io.polykube.runtime.binaries.BinaryException;
import io.polykube.runtime.binaries.BinarySet;
import io.polykube.runtime.binaries.BinaryVersions;
import io.polykube.runtime.binaries.BuildRecipe;
import io.polykube.runtime.binaries.KubernetesModule;
import io.polykube.runtime.binaries.VersionQuery;
import java.util.List;
import java.util.Objects;

/**
 * A program of the upstream e2e suite of one Kubernetes version, each a binary set of its own: built from source on first
 * use (never by {@code ./polykube setup}) into the library's cache as {@code ~/.cache/polykube/bin/<id>-v<version>/<file>},
 * with a manifest, and found again there by {@link io.polykube.runtime.binaries.Binaries}. Side by side per version:
 * <ul>
 *   <li>{@code e2e-v1.37.2/e2e.test}: {@code go test -c} of {@code k8s.io/kubernetes/test/e2e} at Kubernetes 1.37.2;</li>
 *   <li>{@code agnhost-v1.37.2/agnhost}: agnhost from the same source tree, reporting that Kubernetes version (the images
 *       made from it carry the tags the suite's manifest.go asks for, e.g. 2.66.1 and 2.55);</li>
 *   <li>{@code ginkgo-v2.32.0/ginkgo}: the ginkgo command line at the version that Kubernetes' go.mod requires (the
 *       library e2e.test is compiled with), built inside that Kubernetes' module; versions that require the same ginkgo
 *       share it.</li>
 * </ul>
 *
 * @param kind       which program
 * @param pinned     the set's only version: the Kubernetes version for e2e.test and agnhost, the ginkgo version for ginkgo
 * @param kubernetes the Kubernetes version whose module it is built in (and whose suite it serves)
 */
record SuiteBinary(Kind kind, String pinned, String kubernetes) implements Binary, BinarySet {

    /** The suite's programs. */
    enum Kind {
        /** The end-to-end test binary {@code e2e.test}. */
        E2E_TEST("e2e", "e2e.test", VersionQuery.of("(?m)^v(\\d+\\.\\d+\\.\\d+\\S*)", "--version"), "e2e.test of Kubernetes %s"),
        /** agnhost, the test image program of the e2e suite, from {@code k8s.io/kubernetes/test/images/agnhost}. */
        AGNHOST("agnhost", "agnhost", VersionQuery.of("version (\\d+\\.\\d+\\S*)", "--version"),
                "agnhost of Kubernetes %s's source tree"),
        /** The ginkgo command line, which runs {@code e2e.test} in parallel processes. */
        GINKGO("ginkgo", "ginkgo", VersionQuery.of("Ginkgo Version (\\d+\\.\\d+\\.\\d+\\S*)", "version"),
                "the ginkgo the go.mod of Kubernetes %s requires (the library its e2e.test is compiled with)");

        private final String id;
        private final String fileName;
        private final VersionQuery versionQuery;
        private final String what;

        Kind(String id, String fileName, VersionQuery versionQuery, String what) {
            this.id = id;
            this.fileName = fileName;
            this.versionQuery = versionQuery;
            this.what = what;
        }
    }

    SuiteBinary {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(pinned, "pinned");
        kubernetes = KubernetesModule.checkVersion(kubernetes);
        if (kind != Kind.GINKGO && !pinned.equals(kubernetes)) {
            throw new IllegalArgumentException(kind.fileName + " is versioned by its Kubernetes version " + kubernetes
                    + ", not " + pinned);
        }
    }

    /** e2e.test of Kubernetes {@code kubernetes}, in {@code e2e-v<kubernetes>/}. */
    static SuiteBinary e2eTest(String kubernetes) {
        return new SuiteBinary(Kind.E2E_TEST, kubernetes, kubernetes);
    }

    /** agnhost from Kubernetes {@code kubernetes}' source tree, in {@code agnhost-v<kubernetes>/}. */
    static SuiteBinary agnhost(String kubernetes) {
        return new SuiteBinary(Kind.AGNHOST, kubernetes, kubernetes);
    }

    /** The ginkgo command line at {@code version} (what Kubernetes {@code kubernetes} requires), in {@code ginkgo-v<version>/}. */
    static SuiteBinary ginkgo(String version, String kubernetes) {
        return new SuiteBinary(Kind.GINKGO, version, kubernetes);
    }

    @Override
    public String id() {
        return kind.id;
    }

    @Override
    public String fileName() {
        return kind.fileName;
    }

    @Override
    public VersionQuery versionQuery() {
        return kind.versionQuery;
    }

    /** The set of this binary: itself. */
    @Override
    public BinarySet set() {
        return this;
    }

    @Override
    public List<SuiteBinary> binaries() {
        return List.of(this);
    }

    /** {@link #pinned}, for the Kubernetes version this program serves; another Kubernetes version is an error. */
    @Override
    public String version(BinaryVersions versions) {
        if (!versions.kubernetes().equals(kubernetes)) {
            throw new BinaryException(fileName() + " " + versionTag(pinned) + " is " + what() + ", not of Kubernetes "
                    + versions.kubernetes() + ": resolve the suite's programs of the cluster's Kubernetes version");
        }
        return pinned;
    }

    /** What this is, for messages: {@code agnhost of Kubernetes 1.37.2's source tree}. */
    String what() {
        return String.format(kind.what, kubernetes);
    }

    @Override
    public BuildRecipe recipe() {
        switch (kind) {
            case E2E_TEST:
                return new E2eTestRecipe(this);
            case AGNHOST:
                return new PinnedProgramRecipe(this, "-s -w -X main.Version=" + kubernetes,
                        KubernetesModule.PATH + "/test/images/agnhost");
            default:
                return new PinnedProgramRecipe(this, "-s -w", KubernetesSource.GINKGO_MODULE + "/ginkgo");
        }
    }
}
