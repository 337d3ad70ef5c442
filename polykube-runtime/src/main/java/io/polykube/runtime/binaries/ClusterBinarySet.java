package io.polykube.runtime.binaries;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The library's binary sets: what a cluster runs, which {@code ./polykube setup} builds (or downloads) into the cache.
 * Each has its recipe in a class of its own ({@code KubernetesRecipe}, {@code EtcdRecipe}, ...).
 */
public enum ClusterBinarySet implements BinarySet {
    KUBERNETES("kubernetes", new KubernetesRecipe()),
    ETCD("etcd", new EtcdRecipe()),
    PAUSE("pause", new PauseRecipe()),
    /**
     * CoreDNS, built from a wrapper main with only the plugins a cluster's DNS needs (kubernetes, template, cache,
     * loadbalance, errors, log, health, ready): no forwarder is compiled in.
     */
    COREDNS("coredns", new CoreDnsRecipe()),
    /**
     * containerd 2.x: {@code containerd}, {@code containerd-shim-runc-v2} and {@code ctr} from
     * {@code github.com/containerd/containerd/v2}, without cgo; the node runtime of every Kubernetes version.
     */
    CONTAINERD("containerd", new ContainerdRecipe()),
    /** runc from {@code github.com/opencontainers/runc}, built with cgo (and seccomp where libseccomp-dev is installed). */
    RUNC("runc", new RuncRecipe()),
    /**
     * The CNI plugins a node's network needs, {@code bridge}, {@code host-local}, {@code loopback} and {@code portmap}, from
     * {@code github.com/containernetworking/plugins}, without cgo.
     */
    CNI_PLUGINS("cni-plugins", new CniPluginsRecipe());

    /** The version of our own pause program; bump it when its source changes. */
    public static final String PAUSE_VERSION = "1";
    /**
     * The CoreDNS of the default Kubernetes version ({@link KnownVersions#defaultRelease()}). Each Kubernetes minor has its
     * own CoreDNS ({@link BinaryVersions#coreDns()}): use this only where the default is meant.
     */
    public static final String COREDNS_VERSION = KnownVersions.defaultRelease().coreDns();

    private final String id;
    private final BuildRecipe recipe;

    ClusterBinarySet(String id, BuildRecipe recipe) {
        this.id = id;
        this.recipe = recipe;
    }

    /**
     * Short name used in directory names, manifests and {@code BinariesSetup --only}: {@code kubernetes}, {@code etcd},
     * {@code pause}, {@code coredns}, {@code cni-plugins}, ...
     */
    @Override
    public String id() {
        return id;
    }

    /** The binaries of this set, in declaration order. */
    @Override
    public List<ClusterBinary> binaries() {
        return Arrays.stream(ClusterBinary.values()).filter(b -> b.set() == this).collect(Collectors.toUnmodifiableList());
    }

    /**
     * The version of this set that {@code versions} asks for; the node runtime's sets are those of
     * {@link KnownVersions#nodeRuntime()}, whatever the Kubernetes version.
     */
    @Override
    public String version(BinaryVersions versions) {
        switch (this) {
            case KUBERNETES:
                return versions.kubernetes();
            case ETCD:
                return versions.etcd();
            case COREDNS:
                return versions.coreDns();
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

    @Override
    public BuildRecipe recipe() {
        return recipe;
    }

    /** {@code v1.34.4}; the pause program's own version without the {@code v}: {@code pause-1}. */
    @Override
    public String versionTag(String version) {
        return this == PAUSE ? version : "v" + version;
    }

    /** {@code kubernetes, etcd, pause, ...}: every set's id, for messages. */
    static String ids() {
        return Arrays.stream(values()).map(ClusterBinarySet::id).collect(Collectors.joining(", "));
    }
}
