package io.polykube.api.spec;

/** What a cluster runs. */
public enum Mode {
    /** etcd, kube-apiserver, kube-controller-manager, kube-scheduler. No root needed; several may run side by side. */
    CONTROL_PLANE,
    /** The control plane plus containerd, kubelet, CNI, kube-proxy and the network guard: pods run. Needs root. */
    FULL;

    /** {@link #FULL} when running as root, else {@link #CONTROL_PLANE}. */
    public static Mode defaultForCurrentUser() {
        return Versions.runningAsRoot() ? FULL : CONTROL_PLANE;
    }
}
