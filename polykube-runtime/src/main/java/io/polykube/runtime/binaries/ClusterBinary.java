package io.polykube.runtime.binaries;

/** A binary a cluster runs, with its file name, the set it is built and cached with, and how it tells its version. */
public enum ClusterBinary implements Binary {
    KUBE_APISERVER("kube-apiserver", ClusterBinarySet.KUBERNETES, Queries.KUBERNETES),
    KUBE_CONTROLLER_MANAGER("kube-controller-manager", ClusterBinarySet.KUBERNETES, Queries.KUBERNETES),
    KUBE_SCHEDULER("kube-scheduler", ClusterBinarySet.KUBERNETES, Queries.KUBERNETES),
    KUBELET("kubelet", ClusterBinarySet.KUBERNETES, Queries.KUBERNETES),
    KUBE_PROXY("kube-proxy", ClusterBinarySet.KUBERNETES, Queries.KUBERNETES),
    KUBECTL("kubectl", ClusterBinarySet.KUBERNETES, Queries.KUBECTL),
    ETCD("etcd", ClusterBinarySet.ETCD, Queries.ETCD),
    ETCDCTL("etcdctl", ClusterBinarySet.ETCD, Queries.ETCD_TOOL),
    ETCDUTL("etcdutl", ClusterBinarySet.ETCD, Queries.ETCD_TOOL),
    /** polykube's own pause program (the sandbox process of a pod). */
    PAUSE("pause", ClusterBinarySet.PAUSE, Queries.PAUSE),
    /** CoreDNS with the plugins a cluster's DNS needs (see {@link ClusterBinarySet#COREDNS}). */
    COREDNS("coredns", ClusterBinarySet.COREDNS, Queries.COREDNS),
    /** containerd 2.x (see {@link ClusterBinarySet#CONTAINERD}). */
    CONTAINERD("containerd", ClusterBinarySet.CONTAINERD, Queries.CONTAINERD),
    /** The runc shim containerd starts for each pod sandbox and container. */
    CONTAINERD_SHIM_RUNC_V2("containerd-shim-runc-v2", ClusterBinarySet.CONTAINERD, Queries.SHIM),
    /** containerd's command line client. */
    CTR("ctr", ClusterBinarySet.CONTAINERD, Queries.CONTAINERD),
    /** runc (see {@link ClusterBinarySet#RUNC}). */
    RUNC("runc", ClusterBinarySet.RUNC, Queries.RUNC),
    /** The CNI bridge plugin: the node's bridge and a veth per pod. */
    CNI_BRIDGE("bridge", ClusterBinarySet.CNI_PLUGINS, Queries.CNI),
    /** The CNI host-local IPAM plugin: pod addresses from the node's range. */
    CNI_HOST_LOCAL("host-local", ClusterBinarySet.CNI_PLUGINS, Queries.CNI),
    /** The CNI loopback plugin: {@code lo} in each pod. */
    CNI_LOOPBACK("loopback", ClusterBinarySet.CNI_PLUGINS, Queries.CNI),
    /** The CNI portmap plugin: hostPort mappings. */
    CNI_PORTMAP("portmap", ClusterBinarySet.CNI_PLUGINS, Queries.CNI);

    private final String fileName;
    private final ClusterBinarySet set;
    private final VersionQuery versionQuery;

    ClusterBinary(String fileName, ClusterBinarySet set, VersionQuery versionQuery) {
        this.fileName = fileName;
        this.set = set;
        this.versionQuery = versionQuery;
    }

    /** The executable's file name, e.g. {@code kube-apiserver}. */
    @Override
    public String fileName() {
        return fileName;
    }

    /** The set this binary is built, downloaded and cached with. */
    @Override
    public ClusterBinarySet set() {
        return set;
    }

    @Override
    public VersionQuery versionQuery() {
        return versionQuery;
    }

    /** What each kind of binary prints, and with which arguments. */
    private static final class Queries {
        static final VersionQuery KUBERNETES = VersionQuery.of("Kubernetes v(\\d+\\.\\d+\\.\\d+\\S*)", "--version");
        static final VersionQuery KUBECTL = VersionQuery.of("\"gitVersion\"\\s*:\\s*\"v(\\d+\\.\\d+\\.\\d+[^\"]*)\"",
                "version", "--client=true", "-o", "json");
        private static final String ETCD_VERSION = "(?:etcd|etcdctl|etcdutl) [Vv]ersion: (\\d+\\.\\d+\\.\\d+\\S*)";
        static final VersionQuery ETCD = VersionQuery.of(ETCD_VERSION, "--version");
        static final VersionQuery ETCD_TOOL = VersionQuery.of(ETCD_VERSION, "version");
        static final VersionQuery PAUSE = VersionQuery.of("polykube-pause (\\S+)", "-version");
        static final VersionQuery COREDNS = VersionQuery.of("CoreDNS-(\\d+\\.\\d+\\.\\d+\\S*)", "-version");
        /** {@code containerd github.com/containerd/containerd/v2 2.4.2 REV} and {@code ctr github.com/... 2.4.2} (or v2.4.2). */
        static final VersionQuery CONTAINERD = VersionQuery.of("(?:containerd|ctr) \\S+ v?(\\d+\\.\\d+\\.\\d+\\S*)", "--version");
        /** The shim's {@code -v}: {@code containerd-shim-runc-v2:} then {@code   Version:  2.4.2}. */
        static final VersionQuery SHIM = VersionQuery.of("Version:\\s+v?(\\d+\\.\\d+\\.\\d+\\S*)", "-v");
        static final VersionQuery RUNC = VersionQuery.of("runc version (\\d+\\.\\d+\\.\\d+\\S*)", "--version");
        /** Without {@code CNI_COMMAND} a plugin prints {@code CNI bridge plugin v1.10.0} and exits 0. */
        static final VersionQuery CNI = VersionQuery.of("CNI \\S+ plugin v(\\d+\\.\\d+\\.\\d+\\S*)");
    }
}
