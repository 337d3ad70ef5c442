package io.polykube.api.status;

/** The ports a cluster listens on (on 127.0.0.1; in mode FULL the API server and kubelet on the node IP). */
public enum PortName {
    ETCD_CLIENT,
    ETCD_PEER,
    API_SERVER,
    CONTROLLER_MANAGER,
    SCHEDULER,
    KUBELET,
    KUBELET_HEALTHZ,
    KUBE_PROXY_HEALTHZ,
    KUBE_PROXY_METRICS;

    public boolean nodePort() {
        return ordinal() >= KUBELET.ordinal();
    }
}
