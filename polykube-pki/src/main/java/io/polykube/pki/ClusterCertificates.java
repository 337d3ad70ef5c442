package io.polykube.pki;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The leaf certificates a single-node cluster needs: who signs each, what it says, where it goes. */
final class ClusterCertificates {

    static final String APISERVER = "apiserver";
    static final String APISERVER_KUBELET_CLIENT = "apiserver-kubelet-client";
    static final String APISERVER_ETCD_CLIENT = "apiserver-etcd-client";
    static final String FRONT_PROXY_CLIENT = "front-proxy-client";
    static final String ETCD_SERVER = "etcd/server";
    static final String ETCD_PEER = "etcd/peer";
    static final String ETCD_HEALTHCHECK_CLIENT = "etcd/healthcheck-client";
    static final String ADMIN = "admin";
    static final String CONTROLLER_MANAGER = "controller-manager";
    static final String SCHEDULER = "scheduler";
    static final String KUBE_PROXY = "kube-proxy";
    static final String KUBELET_CLIENT = "kubelet-client";
    static final String KUBELET_SERVING = "kubelet";

    static final String MASTERS = "system:masters";
    static final String NODES = "system:nodes";

    /** One leaf: its file base name (relative to the PKI dir), its CA and its spec. */
    record Leaf(String name, Signer signer, CertificateSpec spec) {
    }

    private ClusterCertificates() {
    }

    static List<Leaf> leaves(ClusterPkiSpec cluster) {
        String node = cluster.nodeName();
        List<Leaf> leaves = new ArrayList<>();
        leaves.add(new Leaf(APISERVER, Signer.CLUSTER, apiServer(cluster)));
        leaves.add(client(cluster, APISERVER_KUBELET_CLIENT, Signer.CLUSTER, "kube-apiserver-kubelet-client", MASTERS));
        leaves.add(client(cluster, APISERVER_ETCD_CLIENT, Signer.ETCD, "kube-apiserver-etcd-client"));
        leaves.add(client(cluster, FRONT_PROXY_CLIENT, Signer.FRONT_PROXY, "front-proxy-client"));
        leaves.add(new Leaf(ETCD_SERVER, Signer.ETCD, local(cluster, node).clientAndServer().build()));
        leaves.add(new Leaf(ETCD_PEER, Signer.ETCD, local(cluster, node).clientAndServer().build()));
        leaves.add(client(cluster, ETCD_HEALTHCHECK_CLIENT, Signer.ETCD, "kube-etcd-healthcheck-client"));
        leaves.add(client(cluster, ADMIN, Signer.CLUSTER, "kubernetes-admin", MASTERS));
        leaves.add(client(cluster, CONTROLLER_MANAGER, Signer.CLUSTER, "system:kube-controller-manager"));
        leaves.add(client(cluster, SCHEDULER, Signer.CLUSTER, "system:kube-scheduler"));
        leaves.add(client(cluster, KUBE_PROXY, Signer.CLUSTER, "system:kube-proxy"));
        leaves.add(client(cluster, KUBELET_CLIENT, Signer.CLUSTER, "system:node:" + node, NODES));
        leaves.add(new Leaf(KUBELET_SERVING, Signer.CLUSTER, local(cluster, node).server().build()));
        return List.copyOf(leaves);
    }

    /** The client certificate of an extra user, signed by the cluster CA. */
    static CertificateSpec user(ClusterPkiSpec cluster, UserSpec user) {
        return base(cluster, user.name()).organizations(user.groups()).client().build();
    }

    private static CertificateSpec apiServer(ClusterPkiSpec cluster) {
        Set<String> dns = new LinkedHashSet<>(List.of("localhost", "kubernetes", "kubernetes.default",
                "kubernetes.default.svc", "kubernetes.default.svc." + cluster.clusterDomain(), cluster.nodeName()));
        Set<InetAddress> ips = new LinkedHashSet<>(loopback(cluster));
        ips.add(cluster.serviceCidr().firstAddress());
        ips.addAll(cluster.advertiseAddresses());
        for (String san : cluster.extraSans()) {
            HostNames.parseIp(san).ifPresentOrElse(ips::add, () -> dns.add(san));
        }
        return base(cluster, "kube-apiserver").dnsNames(dns).ipAddresses(ips).server().build();
    }

    /** A certificate for a server on this node: SANs node name, localhost, loopback and advertise addresses. */
    private static CertificateSpec.Builder local(ClusterPkiSpec cluster, String commonName) {
        Set<InetAddress> ips = new LinkedHashSet<>(loopback(cluster));
        ips.addAll(cluster.advertiseAddresses());
        return base(cluster, commonName)
                .dnsNames(new LinkedHashSet<>(List.of(cluster.nodeName(), "localhost")))
                .ipAddresses(ips);
    }

    private static Leaf client(ClusterPkiSpec cluster, String name, Signer signer, String user, String... groups) {
        return new Leaf(name, signer, base(cluster, user).organizations(groups).client().build());
    }

    private static CertificateSpec.Builder base(ClusterPkiSpec cluster, String commonName) {
        return CertificateSpec.builder(commonName).validity(cluster.validity()).keyAlgorithm(cluster.keyAlgorithm());
    }

    private static List<InetAddress> loopback(ClusterPkiSpec cluster) {
        List<InetAddress> ips = new ArrayList<>();
        ips.add(HostNames.parseIp("127.0.0.1").orElseThrow());
        if (cluster.ipv6Loopback()) {
            ips.add(HostNames.parseIp("::1").orElseThrow());
        }
        return ips;
    }
}
