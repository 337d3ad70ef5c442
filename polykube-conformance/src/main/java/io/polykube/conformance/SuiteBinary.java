package io.polykube.conformance;

import io.polykube.runtime.binaries.Binary;
import io.polykube.runtime.binaries.BinarySet;
import io.polykube.runtime.binaries.BinaryVersions;
import io.polykube.runtime.binaries.BuildRecipe;
import io.polykube.runtime.binaries.KubernetesModule;
import io.polykube.runtime.binaries.VersionQuery;
import java.util.List;

/**
 * A binary of the upstream e2e suite, each a binary set of its own: built from source on first use (never by
 * {@code ./polykube setup}) into the library's cache as {@code ~/.cache/polykube/bin/<id>-v<version>/<file>}, with a
 * manifest, and found again there by {@link io.polykube.runtime.binaries.Binaries}.
 */
enum SuiteBinary implements Binary, BinarySet {
    /**
     * The end-to-end test binary {@code e2e.test} of the pinned Kubernetes ({@code go test -c} of
     * {@code k8s.io/kubernetes/test/e2e}).
     */
    E2E_TEST("e2e", "e2e.test", VersionQuery.of("(?m)^v(\\d+\\.\\d+\\.\\d+\\S*)", "--version")),
    /** agnhost, the test image program of the e2e suite, from {@code k8s.io/kubernetes/test/images/agnhost}. */
    AGNHOST("agnhost", "agnhost", VersionQuery.of("version (\\d+\\.\\d+\\S*)", "--version")),
    /**
     * The ginkgo command line, which runs {@code e2e.test} in parallel processes; built from
     * {@code github.com/onsi/ginkgo/v2/ginkgo} at the version the pinned Kubernetes requires (the library e2e.test is
     * compiled with).
     */
    GINKGO("ginkgo", "ginkgo", VersionQuery.of("Ginkgo Version (\\d+\\.\\d+\\.\\d+\\S*)", "version"));

    /**
     * The agnhost version the e2e suite of the pinned Kubernetes asks for ({@code test/images/agnhost/VERSION});
     * built from the pinned Kubernetes module.
     */
    static final String AGNHOST_VERSION = "2.56";
    /** The ginkgo version the pinned Kubernetes' go.mod requires; its command line must match the library in e2e.test. */
    static final String GINKGO_VERSION = "2.21.0";

    private final String id;
    private final String fileName;
    private final VersionQuery versionQuery;

    SuiteBinary(String id, String fileName, VersionQuery versionQuery) {
        this.id = id;
        this.fileName = fileName;
        this.versionQuery = versionQuery;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String fileName() {
        return fileName;
    }

    @Override
    public VersionQuery versionQuery() {
        return versionQuery;
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

    /** e2e.test: the Kubernetes version asked for; agnhost and ginkgo: the versions the pinned Kubernetes' suite needs. */
    @Override
    public String version(BinaryVersions versions) {
        switch (this) {
            case E2E_TEST:
                return versions.kubernetes();
            case AGNHOST:
                return AGNHOST_VERSION;
            default:
                return GINKGO_VERSION;
        }
    }

    @Override
    public BuildRecipe recipe() {
        switch (this) {
            case E2E_TEST:
                return new E2eTestRecipe();
            case AGNHOST:
                return new PinnedProgramRecipe(this, AGNHOST_VERSION, "the one the pinned Kubernetes' e2e suite asks for",
                        "-s -w -X main.Version=" + AGNHOST_VERSION, KubernetesModule.PATH + "/test/images/agnhost");
            default:
                return new PinnedProgramRecipe(this, GINKGO_VERSION, "the one the pinned Kubernetes' e2e suite is compiled with",
                        "-s -w", "github.com/onsi/ginkgo/v2/ginkgo");
        }
    }
}
