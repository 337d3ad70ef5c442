package io.polykube.pki;

/** The three CAs of a cluster, with their subject common names (as kubeadm names them). */
enum Signer {
    CLUSTER("kubernetes"),
    ETCD("etcd-ca"),
    FRONT_PROXY("front-proxy-ca");

    private final String commonName;

    Signer(String commonName) {
        this.commonName = commonName;
    }

    String commonName() {
        return commonName;
    }

    PkiLayout.Files files(PkiLayout layout) {
        switch (this) {
            case ETCD:
                return layout.etcdCa();
            case FRONT_PROXY:
                return layout.frontProxyCa();
            default:
                return layout.ca();
        }
    }
}
