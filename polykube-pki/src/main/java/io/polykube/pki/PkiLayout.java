package io.polykube.pki;

import java.nio.file.Path;

/** Where each file of a cluster PKI lives: the kubeadm layout plus the component client certs. */
record PkiLayout(Path dir) {

    /** A certificate file and its key file. */
    record Files(Path cert, Path key) {
    }

    Files ca() {
        return pair("ca");
    }

    Files frontProxyCa() {
        return pair("front-proxy-ca");
    }

    Files etcdCa() {
        return pair("etcd/ca");
    }

    Files pair(String base) {
        return new Files(dir.resolve(base + ".crt"), dir.resolve(base + ".key"));
    }

    Files user(String name) {
        return pair("users/" + name);
    }

    Path serviceAccountKey() {
        return dir.resolve("sa.key");
    }

    Path serviceAccountPublicKey() {
        return dir.resolve("sa.pub");
    }

    /** Written last after issuing; its absence marks an unfinished or foreign PKI. */
    Path fingerprint() {
        return dir.resolve(".polykube-spec.sha256");
    }
}
