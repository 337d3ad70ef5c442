package io.polykube.runtime.binaries;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A group of binaries that is built, downloaded and cached together under one version.
 *
 * <p>{@link #E2E}, {@link #AGNHOST} and {@link #GINKGO} (with {@link Binary#E2E_TEST}, {@link Binary#AGNHOST} and
 * {@link Binary#GINKGO}, their recipes in {@link GoModuleBuilder} and their version patterns in {@code VersionProbe}) serve
 * polykube-conformance alone. They stay here because the cache is closed over this enum: {@link Binaries} resolves a
 * {@link Binary} and builds its missing set through {@link GoModuleBuilder#build}, and {@code VersionProbe} and
 * {@code BinariesSetup --only} switch over it. Moving them out takes an open set type with a recipe each: a change of this
 * package's API, not a move.
 */
public enum BinarySet {
    KUBERNETES("kubernetes"),
    ETCD("etcd"),
    PAUSE("pause"),
    /**
     * CoreDNS, built from a wrapper main with only the plugins a cluster's DNS needs (kubernetes, template, cache,
     * loadbalance, errors, log, health, ready): no forwarder is compiled in.
     */
    COREDNS("coredns"),
    /**
     * The upstream end-to-end test binary {@code e2e.test} of the pinned Kubernetes ({@code go test -c} of
     * {@code k8s.io/kubernetes/test/e2e}); built only on demand (by {@code ./polykube conformance}), never by setup.
     */
    E2E("e2e"),
    /** agnhost, the test image program of the e2e suite, from {@code k8s.io/kubernetes/test/images/agnhost}; on demand only. */
    AGNHOST("agnhost"),
    /**
     * The ginkgo command line, which runs {@code e2e.test} in parallel processes; built from
     * {@code github.com/onsi/ginkgo/v2/ginkgo} at the version the pinned Kubernetes requires (the library e2e.test is
     * compiled with); on demand only.
     */
    GINKGO("ginkgo"),
    /**
     * containerd 2.x: {@code containerd}, {@code containerd-shim-runc-v2} and {@code ctr} from
     * {@code github.com/containerd/containerd/v2}, without cgo; the node runtime of every Kubernetes version.
     */
    CONTAINERD("containerd"),
    /** runc from {@code github.com/opencontainers/runc}, built with cgo (and seccomp where libseccomp-dev is installed). */
    RUNC("runc"),
    /**
     * The CNI plugins a node's network needs, {@code bridge}, {@code host-local}, {@code loopback} and {@code portmap}, from
     * {@code github.com/containernetworking/plugins}, without cgo.
     */
    CNI_PLUGINS("cni-plugins");

    /** The version of our own pause program; bump it when its source changes. */
    public static final String PAUSE_VERSION = "1";
    /**
     * The CoreDNS of the default Kubernetes version ({@link KnownVersions#defaultRelease()}). Each Kubernetes minor has its
     * own CoreDNS ({@link BinaryVersions#coreDns()}): use this only where the default is meant.
     */
    public static final String COREDNS_VERSION = KnownVersions.defaultRelease().coreDns();
    /**
     * The agnhost version the e2e suite of the pinned Kubernetes asks for ({@code test/images/agnhost/VERSION});
     * built from the pinned Kubernetes module.
     */
    public static final String AGNHOST_VERSION = "2.56";
    /** The ginkgo version the pinned Kubernetes' go.mod requires; its command line must match the library in e2e.test. */
    public static final String GINKGO_VERSION = "2.21.0";

    private final String id;

    BinarySet(String id) {
        this.id = id;
    }

    /**
     * Short name used in directory names, manifests and {@code BinariesSetup --only}: {@code kubernetes}, {@code etcd},
     * {@code pause}, {@code coredns}, {@code cni-plugins}, ...
     */
    public String id() {
        return id;
    }

    /** The binaries of this set, in declaration order. */
    public List<Binary> binaries() {
        return Arrays.stream(Binary.values()).filter(b -> b.set() == this).collect(Collectors.toUnmodifiableList());
    }

    /**
     * The version of this set that {@code versions} asks for; the node runtime's sets are those of
     * {@link KnownVersions#nodeRuntime()}, whatever the Kubernetes version.
     */
    public String version(BinaryVersions versions) {
        switch (this) {
            case KUBERNETES:
                return versions.kubernetes();
            case ETCD:
                return versions.etcd();
            case COREDNS:
                return versions.coreDns();
            case E2E:
                return versions.kubernetes();
            case AGNHOST:
                return AGNHOST_VERSION;
            case GINKGO:
                return GINKGO_VERSION;
            case CONTAINERD:
                return KnownVersions.nodeRuntime().containerd();
            case RUNC:
                return KnownVersions.nodeRuntime().runc();
            case CNI_PLUGINS:
                return KnownVersions.nodeRuntime().cniPlugins();
            default:
                return PAUSE_VERSION;
        }
    }


    /** Whether release mirrors carry this set (Kubernetes and etcd); the others are always built from source. */
    public boolean onReleaseMirrors() {
        return this == KUBERNETES || this == ETCD;
    }

    /** Whether {@code ./polykube setup} builds this set by default; the test suite's sets are built on demand. */
    public boolean builtBySetup() {
        return this != E2E && this != AGNHOST && this != GINKGO;
    }

    /**
     * Cache directory name: {@code kubernetes-v1.34.4}, {@code etcd-v3.6.16}, {@code pause-1}, {@code coredns-v1.14.1},
     * {@code cni-plugins-v1.10.0}.
     */
    public String dirName(String version) {
        return this == PAUSE ? id + "-" + version : id + "-v" + version;
    }

    /** {@code kubernetes v1.34.4}, {@code pause 1}: for messages. */
    String describe(String version) {
        return this == PAUSE ? id + " " + version : id + " v" + version;
    }

    static BinarySet fromId(String id) {
        for (BinarySet set : values()) {
            if (set.id.equals(id)) {
                return set;
            }
        }
        throw new BinaryException("unknown binary set '" + id + "': expected one of " + ids());
    }

    /** {@code kubernetes, etcd, pause, ...}: every set's id, for messages. */
    static String ids() {
        return Arrays.stream(values()).map(BinarySet::id).collect(Collectors.joining(", "));
    }
}
