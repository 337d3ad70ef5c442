package io.polykube.runtime.binaries;

/** A binary polykube runs, with its file name and the set it is built and cached with. */
public enum Binary {
    KUBE_APISERVER("kube-apiserver", BinarySet.KUBERNETES),
    KUBE_CONTROLLER_MANAGER("kube-controller-manager", BinarySet.KUBERNETES),
    KUBE_SCHEDULER("kube-scheduler", BinarySet.KUBERNETES),
    KUBELET("kubelet", BinarySet.KUBERNETES),
    KUBE_PROXY("kube-proxy", BinarySet.KUBERNETES),
    KUBECTL("kubectl", BinarySet.KUBERNETES),
    ETCD("etcd", BinarySet.ETCD),
    ETCDCTL("etcdctl", BinarySet.ETCD),
    ETCDUTL("etcdutl", BinarySet.ETCD),
    /** polykube's own pause program (the sandbox process of a pod). */
    PAUSE("pause", BinarySet.PAUSE),
    /** CoreDNS with the plugins a cluster's DNS needs (see {@link BinarySet#COREDNS}). */
    COREDNS("coredns", BinarySet.COREDNS),
    /** The upstream e2e test binary (see {@link BinarySet#E2E}). */
    E2E_TEST("e2e.test", BinarySet.E2E),
    /** agnhost, the e2e suite's test image program (see {@link BinarySet#AGNHOST}). */
    AGNHOST("agnhost", BinarySet.AGNHOST),
    /** ginkgo, the test runner that runs e2e.test in parallel processes (see {@link BinarySet#GINKGO}). */
    GINKGO("ginkgo", BinarySet.GINKGO),
    /** containerd 2.x (see {@link BinarySet#CONTAINERD}). */
    CONTAINERD("containerd", BinarySet.CONTAINERD),
    /** The runc shim containerd starts for each pod sandbox and container. */
    CONTAINERD_SHIM_RUNC_V2("containerd-shim-runc-v2", BinarySet.CONTAINERD),
    /** containerd's command line client. */
    CTR("ctr", BinarySet.CONTAINERD),
    /** runc (see {@link BinarySet#RUNC}). */
    RUNC("runc", BinarySet.RUNC),
    /** The CNI bridge plugin: the node's bridge and a veth per pod. */
    CNI_BRIDGE("bridge", BinarySet.CNI_PLUGINS),
    /** The CNI host-local IPAM plugin: pod addresses from the node's range. */
    CNI_HOST_LOCAL("host-local", BinarySet.CNI_PLUGINS),
    /** The CNI loopback plugin: {@code lo} in each pod. */
    CNI_LOOPBACK("loopback", BinarySet.CNI_PLUGINS),
    /** The CNI portmap plugin: hostPort mappings. */
    CNI_PORTMAP("portmap", BinarySet.CNI_PLUGINS);

    private final String fileName;
    private final BinarySet set;

    Binary(String fileName, BinarySet set) {
        this.fileName = fileName;
        this.set = set;
    }

    /** The executable's file name, e.g. {@code kube-apiserver}. */
    public String fileName() {
        return fileName;
    }

    /** The set this binary is built, downloaded and cached with. */
    public BinarySet set() {
        return set;
    }
}
