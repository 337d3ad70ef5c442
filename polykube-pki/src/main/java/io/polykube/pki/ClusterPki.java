package io.polykube.pki;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PKI of a single-node cluster, stored in one directory in the kubeadm layout: cluster, etcd
 * and front-proxy CAs, every serving and client certificate, the service-account key pair, and
 * extra users under {@code users/}. Keys are PKCS#8 PEM with mode 0600, certificates 0644.
 *
 * <pre>{@code
 * ClusterPki pki = ClusterPki.loadOrCreate(dir.resolve("pki"), ClusterPkiSpec.builder()
 *         .clusterName("it").nodeName("node1").build());
 * Path ca = pki.caCert();
 * ClientCredentials admin = pki.admin();
 * }</pre>
 */
public final class ClusterPki {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterPki.class);

    private final PkiLayout layout;
    private final ClusterPkiSpec spec;
    private final Map<Signer, CertificateAuthority> cas;
    private final Clock clock;
    private final boolean reused;

    ClusterPki(PkiLayout layout, ClusterPkiSpec spec, Map<Signer, CertificateAuthority> cas, Clock clock,
               boolean reused) {
        this.layout = layout;
        this.spec = spec;
        this.cas = Map.copyOf(cas);
        this.clock = clock;
        this.reused = reused;
    }

    /**
     * Reuses the PKI in {@code pkiDir} if it was made from the same spec (same fingerprint), is
     * sound, and nothing expires within {@code spec.renewBefore()}; otherwise issues it anew,
     * keeping CAs that are still good. Fails before writing anything if the directory is unusable
     * or a stored CA's key does not match its certificate.
     */
    public static ClusterPki loadOrCreate(Path pkiDir, ClusterPkiSpec spec) {
        return loadOrCreate(pkiDir, spec, Clock.systemUTC());
    }

    /** Issues a completely new PKI, CAs included, replacing whatever {@code pkiDir} holds. */
    public static ClusterPki create(Path pkiDir, ClusterPkiSpec spec) {
        return new ClusterPkiLoader(pkiDir, Objects.requireNonNull(spec, "spec"), Clock.systemUTC())
                .loadOrCreate(true);
    }

    static ClusterPki loadOrCreate(Path pkiDir, ClusterPkiSpec spec, Clock clock) {
        return new ClusterPkiLoader(pkiDir, Objects.requireNonNull(spec, "spec"), clock).loadOrCreate(false);
    }

    /**
     * Returns the client credentials of an extra user signed by the cluster CA, in
     * {@code users/<name>.crt} and {@code .key}: reused if present with the same subject and not
     * expiring within renewBefore, issued otherwise.
     */
    public ClientCredentials issueUser(String name, String... groups) {
        return issueUser(UserSpec.of(name, groups));
    }

    /** Like {@link #issueUser(String, String...)}. */
    public synchronized ClientCredentials issueUser(UserSpec user) {
        PkiLayout.Files files = layout.user(user.name());
        Optional<String> problem = StoredCertificates.userProblem(files, user, ca(), clock.instant(), spec.renewBefore());
        if (problem.isPresent()) {
            LOG.info("Issuing client certificate for user {} ({})", user.name(), problem.get());
            ca().issue(ClusterCertificates.user(spec, user)).write(files.cert(), files.key());
        }
        return new ClientCredentials(user.name(), user.groups(), files.cert(), files.key());
    }

    /** The directory holding the PKI. */
    public Path dir() {
        return layout.dir();
    }

    public ClusterPkiSpec spec() {
        return spec;
    }

    /** True if the stored CAs and leaves were reused and none was issued by this load. */
    public boolean reused() {
        return reused;
    }

    /** The cluster CA ({@code CN=kubernetes}), which signs the apiserver and every client. */
    public CertificateAuthority ca() {
        return cas.get(Signer.CLUSTER);
    }

    public CertificateAuthority etcdCa() {
        return cas.get(Signer.ETCD);
    }

    public CertificateAuthority frontProxyCa() {
        return cas.get(Signer.FRONT_PROXY);
    }

    public Path caCert() {
        return layout.ca().cert();
    }

    /** Where the cluster CA's certificate of the PKI in {@code pkiDirectory} is (or will be), without loading it. */
    public static Path caCertIn(Path pkiDirectory) {
        return new PkiLayout(pkiDirectory.toAbsolutePath().normalize()).ca().cert();
    }

    public Path caKey() {
        return layout.ca().key();
    }

    /** The apiserver's serving certificate, with every SAN clients use. */
    public Path apiServerCert() {
        return cert(ClusterCertificates.APISERVER);
    }

    public Path apiServerKey() {
        return key(ClusterCertificates.APISERVER);
    }

    /** The apiserver's client certificate towards kubelets (O system:masters). */
    public Path apiServerKubeletClientCert() {
        return cert(ClusterCertificates.APISERVER_KUBELET_CLIENT);
    }

    public Path apiServerKubeletClientKey() {
        return key(ClusterCertificates.APISERVER_KUBELET_CLIENT);
    }

    /** The apiserver's client certificate towards etcd, signed by the etcd CA. */
    public Path apiServerEtcdClientCert() {
        return cert(ClusterCertificates.APISERVER_ETCD_CLIENT);
    }

    public Path apiServerEtcdClientKey() {
        return key(ClusterCertificates.APISERVER_ETCD_CLIENT);
    }

    public Path frontProxyCaCert() {
        return layout.frontProxyCa().cert();
    }

    public Path frontProxyCaKey() {
        return layout.frontProxyCa().key();
    }

    /** The aggregation-layer client certificate (--proxy-client-cert-file). */
    public Path frontProxyClientCert() {
        return cert(ClusterCertificates.FRONT_PROXY_CLIENT);
    }

    public Path frontProxyClientKey() {
        return key(ClusterCertificates.FRONT_PROXY_CLIENT);
    }

    public Path etcdCaCert() {
        return layout.etcdCa().cert();
    }

    public Path etcdCaKey() {
        return layout.etcdCa().key();
    }

    /** etcd's serving certificate (server and client auth; SANs node name, localhost, loopback). */
    public Path etcdServerCert() {
        return cert(ClusterCertificates.ETCD_SERVER);
    }

    public Path etcdServerKey() {
        return key(ClusterCertificates.ETCD_SERVER);
    }

    public Path etcdPeerCert() {
        return cert(ClusterCertificates.ETCD_PEER);
    }

    public Path etcdPeerKey() {
        return key(ClusterCertificates.ETCD_PEER);
    }

    /** A client certificate for etcd health checks (CN kube-etcd-healthcheck-client). */
    public Path etcdHealthcheckClientCert() {
        return cert(ClusterCertificates.ETCD_HEALTHCHECK_CLIENT);
    }

    public Path etcdHealthcheckClientKey() {
        return key(ClusterCertificates.ETCD_HEALTHCHECK_CLIENT);
    }

    /** The service-account signing key, PKCS#8 ({@code sa.key}). */
    public Path serviceAccountKey() {
        return layout.serviceAccountKey();
    }

    /** The service-account verification key ({@code sa.pub}). */
    public Path serviceAccountPublicKey() {
        return layout.serviceAccountPublicKey();
    }

    /** {@code kubernetes-admin} in {@code system:masters}. */
    public ClientCredentials admin() {
        return client(ClusterCertificates.ADMIN, "kubernetes-admin", ClusterCertificates.MASTERS);
    }

    public ClientCredentials controllerManager() {
        return client(ClusterCertificates.CONTROLLER_MANAGER, "system:kube-controller-manager");
    }

    public ClientCredentials scheduler() {
        return client(ClusterCertificates.SCHEDULER, "system:kube-scheduler");
    }

    public ClientCredentials kubeProxy() {
        return client(ClusterCertificates.KUBE_PROXY, "system:kube-proxy");
    }

    /** The kubelet's client identity {@code system:node:<node>} in {@code system:nodes}. */
    public ClientCredentials kubelet() {
        return client(ClusterCertificates.KUBELET_CLIENT, "system:node:" + spec.nodeName(), ClusterCertificates.NODES);
    }

    /** The kubelet's serving certificate (SANs node name, localhost, loopback, advertise addresses). */
    public Path kubeletServingCert() {
        return cert(ClusterCertificates.KUBELET_SERVING);
    }

    public Path kubeletServingKey() {
        return key(ClusterCertificates.KUBELET_SERVING);
    }

    private ClientCredentials client(String name, String user, String... groups) {
        return new ClientCredentials(user, List.of(groups), cert(name), key(name));
    }

    private Path cert(String name) {
        return layout.pair(name).cert();
    }

    private Path key(String name) {
        return layout.pair(name).key();
    }

    @Override
    public String toString() {
        return "ClusterPki[" + layout.dir() + ", " + spec.clusterName() + (reused ? ", reused" : ", issued") + "]";
    }
}
