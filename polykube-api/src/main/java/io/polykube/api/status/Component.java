package io.polykube.api.status;

import io.polykube.api.spec.Mode;

/** The processes a cluster is made of, in start order. */
public enum Component {
    ETCD("etcd"),
    KUBE_APISERVER("kube-apiserver"),
    KUBE_CONTROLLER_MANAGER("kube-controller-manager"),
    KUBE_SCHEDULER("kube-scheduler"),
    CONTAINERD("containerd"),
    KUBELET("kubelet"),
    KUBE_PROXY("kube-proxy");

    private final String processName;

    Component(String processName) {
        this.processName = processName;
    }

    /** The name of the component's process, its log file ({@code logs/<name>.log}) and logger ({@code polykube.<name>}). */
    public String processName() {
        return processName;
    }

    /** Whether the component only runs in {@link Mode#FULL}. */
    public boolean nodeComponent() {
        return this == CONTAINERD || this == KUBELET || this == KUBE_PROXY;
    }
}
