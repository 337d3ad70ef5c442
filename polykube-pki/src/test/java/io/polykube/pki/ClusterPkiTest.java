package io.polykube.pki;

import static io.polykube.pki.TestCerts.CLIENT_AUTH;
import static io.polykube.pki.TestCerts.SERVER_AUTH;
import static io.polykube.pki.TestCerts.hostAddress;
import static io.polykube.pki.TestCerts.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterPkiTest {

    private static final Duration VALIDITY = Duration.ofDays(30);

    @TempDir
    static Path shared;
    static ClusterPki pki;

    @TempDir
    Path dir;

    static ClusterPkiSpec.Builder spec() {
        return ClusterPkiSpec.builder()
                .clusterName("it")
                .nodeName("node1")
                .serviceCidr("10.100.0.0/16")
                .clusterDomain("example.local")
                .advertiseAddresses(ip("192.0.2.10"))
                .extraSans("api.example.test", "198.51.100.7")
                .validity(VALIDITY);
    }

    @BeforeAll
    static void issueOnce() {
        pki = ClusterPki.loadOrCreate(shared.resolve("pki"), spec().user("alice", "devs", "ops").build());
    }

    private static X509Certificate cert(Path file) {
        return Pem.readCertificate(file);
    }

    private static void assertLeaf(Path certFile, Path keyFile, Path caFile, String subject, String... ekus)
            throws Exception {
        X509Certificate cert = cert(certFile);
        assertThat(cert.getSubjectX500Principal().getName()).isEqualTo(subject);
        assertThat(TestCerts.extendedKeyUsages(cert)).containsExactly(ekus);
        assertThat(cert.getKeyUsage()[0]).as("digitalSignature").isTrue();
        assertThat(cert.getBasicConstraints()).as("not a CA").isEqualTo(-1);
        assertThat(cert.getNotAfter().toInstant()).isCloseTo(Instant.now().plus(VALIDITY), within(1, ChronoUnit.MINUTES));
        assertThat(cert.getNotBefore().toInstant()).isBefore(Instant.now());
        assertThat(KeyPairs.matches(cert.getPublicKey(), Pem.readPrivateKey(keyFile))).isTrue();
        TestCerts.validateChain(cert, cert(caFile));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(certFile))).isEqualTo("rw-r--r--");
        assertThat(Files.readString(keyFile)).startsWith("-----BEGIN PRIVATE KEY-----");
    }

    @Test
    void threeSeparateCas() {
        assertThat(cert(pki.caCert()).getSubjectX500Principal().getName()).isEqualTo("CN=kubernetes");
        assertThat(cert(pki.etcdCaCert()).getSubjectX500Principal().getName()).isEqualTo("CN=etcd-ca");
        assertThat(cert(pki.frontProxyCaCert()).getSubjectX500Principal().getName()).isEqualTo("CN=front-proxy-ca");
        assertThat(Stream.of(pki.caCert(), pki.etcdCaCert(), pki.frontProxyCaCert())
                .map(p -> cert(p).getPublicKey()).distinct()).hasSize(3);
        assertThat(cert(pki.caCert()).getBasicConstraints()).isGreaterThanOrEqualTo(0);
        assertThat(cert(pki.caCert()).getNotAfter().toInstant())
                .isCloseTo(Instant.now().plus(Duration.ofDays(3650)), within(1, ChronoUnit.MINUTES));
        assertThat(pki.ca().certificate()).isEqualTo(cert(pki.caCert()));
        assertThat(pki.etcdCa().certificate()).isEqualTo(cert(pki.etcdCaCert()));
        assertThat(pki.frontProxyCa().certificate()).isEqualTo(cert(pki.frontProxyCaCert()));
    }

    @Test
    void apiServerServingCertificateHasEverySan() throws Exception {
        assertLeaf(pki.apiServerCert(), pki.apiServerKey(), pki.caCert(), "CN=kube-apiserver", SERVER_AUTH);
        X509Certificate cert = cert(pki.apiServerCert());
        assertThat(TestCerts.dnsSans(cert)).containsExactlyInAnyOrder("localhost", "kubernetes", "kubernetes.default",
                "kubernetes.default.svc", "kubernetes.default.svc.example.local", "node1", "api.example.test");
        assertThat(TestCerts.ipSans(cert)).containsExactlyInAnyOrder("127.0.0.1", hostAddress("::1"), "10.100.0.1",
                "192.0.2.10", "198.51.100.7");
    }

    @Test
    void apiServerClientCertificates() throws Exception {
        assertLeaf(pki.apiServerKubeletClientCert(), pki.apiServerKubeletClientKey(), pki.caCert(),
                "CN=kube-apiserver-kubelet-client,O=system:masters", CLIENT_AUTH);
        assertLeaf(pki.apiServerEtcdClientCert(), pki.apiServerEtcdClientKey(), pki.etcdCaCert(),
                "CN=kube-apiserver-etcd-client", CLIENT_AUTH);
        assertLeaf(pki.frontProxyClientCert(), pki.frontProxyClientKey(), pki.frontProxyCaCert(),
                "CN=front-proxy-client", CLIENT_AUTH);
    }

    @Test
    void etcdCertificates() throws Exception {
        for (Path[] pair : new Path[][] {{pki.etcdServerCert(), pki.etcdServerKey()}, {pki.etcdPeerCert(), pki.etcdPeerKey()}}) {
            assertLeaf(pair[0], pair[1], pki.etcdCaCert(), "CN=node1", SERVER_AUTH, CLIENT_AUTH);
            assertThat(TestCerts.dnsSans(cert(pair[0]))).containsExactly("node1", "localhost");
            assertThat(TestCerts.ipSans(cert(pair[0]))).containsExactly("127.0.0.1", hostAddress("::1"), "192.0.2.10");
        }
        assertLeaf(pki.etcdHealthcheckClientCert(), pki.etcdHealthcheckClientKey(), pki.etcdCaCert(),
                "CN=kube-etcd-healthcheck-client", CLIENT_AUTH);
    }

    @Test
    void componentClientIdentities() throws Exception {
        assertClient(pki.admin(), "kubernetes-admin", "system:masters");
        assertClient(pki.controllerManager(), "system:kube-controller-manager");
        assertClient(pki.scheduler(), "system:kube-scheduler");
        assertClient(pki.kubeProxy(), "system:kube-proxy");
        assertClient(pki.kubelet(), "system:node:node1", "system:nodes");
    }

    private static void assertClient(ClientCredentials credentials, String user, String... groups) throws Exception {
        assertThat(credentials.user()).isEqualTo(user);
        assertThat(credentials.groups()).containsExactly(groups);
        X509Certificate cert = cert(credentials.cert());
        assertThat(StoredCertificates.commonName(cert)).isEqualTo(user);
        assertThat(StoredCertificates.organizations(cert)).containsExactly(groups);
        assertThat(TestCerts.dnsSans(cert)).isEmpty();
        assertLeaf(credentials.cert(), credentials.key(), pki.caCert(), cert.getSubjectX500Principal().getName(),
                CLIENT_AUTH);
    }

    @Test
    void kubeletServingCertificate() throws Exception {
        assertLeaf(pki.kubeletServingCert(), pki.kubeletServingKey(), pki.caCert(), "CN=node1", SERVER_AUTH);
        assertThat(TestCerts.dnsSans(cert(pki.kubeletServingCert()))).containsExactly("node1", "localhost");
        assertThat(TestCerts.ipSans(cert(pki.kubeletServingCert())))
                .containsExactly("127.0.0.1", hostAddress("::1"), "192.0.2.10");
    }

    @Test
    void serviceAccountKeyPair() throws Exception {
        assertThat(Files.readString(pki.serviceAccountKey())).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(Files.readString(pki.serviceAccountPublicKey())).startsWith("-----BEGIN PUBLIC KEY-----");
        assertThat(KeyPairs.matches(Pem.readPublicKey(pki.serviceAccountPublicKey()),
                Pem.readPrivateKey(pki.serviceAccountKey()))).isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(pki.serviceAccountKey())))
                .isEqualTo("rw-------");
    }

    @Test
    void usersFromTheSpecAreIssued() throws Exception {
        Path cert = pki.dir().resolve("users/alice.crt");
        assertLeaf(cert, pki.dir().resolve("users/alice.key"), pki.caCert(), "CN=alice,O=ops,O=devs", CLIENT_AUTH);
        assertThat(StoredCertificates.organizations(cert(cert))).containsExactly("devs", "ops");
    }

    @Test
    void kubeadmLayout() {
        Path d = pki.dir();
        assertThat(List.of("ca.crt", "ca.key", "apiserver.crt", "apiserver.key", "apiserver-kubelet-client.crt",
                "apiserver-etcd-client.crt", "front-proxy-ca.crt", "front-proxy-client.key", "sa.key", "sa.pub",
                "etcd/ca.crt", "etcd/ca.key", "etcd/server.crt", "etcd/peer.key", "etcd/healthcheck-client.crt",
                "admin.crt", "kubelet.crt", "kubelet-client.key"))
                .allSatisfy(f -> assertThat(d.resolve(f)).isRegularFile());
        assertThat(pki.caCert()).isEqualTo(d.resolve("ca.crt"));
        assertThat(pki.etcdServerKey()).isEqualTo(d.resolve("etcd/server.key"));
    }

    @Test
    void reusesAnUnchangedPkiWithoutWritingAnything() throws Exception {
        Path pkiDir = dir.resolve("pki");
        ClusterPki first = ClusterPki.loadOrCreate(pkiDir, spec().build());
        String apiServer = Files.readString(first.apiServerCert());
        var modified = Files.getLastModifiedTime(first.admin().key());

        ClusterPki second = ClusterPki.loadOrCreate(pkiDir, spec().build());

        assertThat(first.reused()).isFalse();
        assertThat(second.reused()).isTrue();
        assertThat(Files.readString(second.apiServerCert())).isEqualTo(apiServer);
        assertThat(Files.getLastModifiedTime(second.admin().key())).isEqualTo(modified);
        assertThat(second.ca().certificate()).isEqualTo(first.ca().certificate());
    }

    @Test
    void changedSpecReissuesLeavesButKeepsTheCas() {
        Path pkiDir = dir.resolve("pki");
        ClusterPki first = ClusterPki.loadOrCreate(pkiDir, spec().build());
        X509Certificate oldApiServer = cert(first.apiServerCert());

        ClusterPki second = ClusterPki.loadOrCreate(pkiDir, spec().extraSans("new.example.test").build());

        assertThat(second.reused()).isFalse();
        assertThat(second.ca().certificate()).isEqualTo(first.ca().certificate());
        assertThat(cert(second.apiServerCert())).isNotEqualTo(oldApiServer);
        assertThat(TestCerts.dnsSans(cert(second.apiServerCert()))).contains("new.example.test");
        assertThat(ClusterPki.loadOrCreate(pkiDir, spec().extraSans("new.example.test").build()).reused()).isTrue();
    }

    @Test
    void renewsCertificatesThatExpireWithinTheThreshold() {
        Path pkiDir = dir.resolve("pki");
        ClusterPkiSpec spec = spec().renewBefore(Duration.ofDays(10)).build();
        ClusterPki first = ClusterPki.loadOrCreate(pkiDir, spec);
        X509Certificate oldAdmin = cert(first.admin().cert());

        Clock justBefore = Clock.fixed(Instant.now().plus(Duration.ofDays(19)), ZoneOffset.UTC);
        assertThat(ClusterPki.loadOrCreate(pkiDir, spec, justBefore).reused()).isTrue();

        Clock within = Clock.fixed(Instant.now().plus(Duration.ofDays(21)), ZoneOffset.UTC);
        ClusterPki renewed = ClusterPki.loadOrCreate(pkiDir, spec, within);

        assertThat(renewed.reused()).isFalse();
        assertThat(cert(renewed.admin().cert())).isNotEqualTo(oldAdmin);
        assertThat(cert(renewed.admin().cert()).getNotAfter().toInstant())
                .isCloseTo(within.instant().plus(VALIDITY), within(1, ChronoUnit.MINUTES));
        assertThat(renewed.ca().certificate()).as("CA still valid for years").isEqualTo(first.ca().certificate());
    }

    @Test
    void renewsAnExpiringCaAndEverythingItSigned() {
        Path pkiDir = dir.resolve("pki");
        ClusterPkiSpec spec = spec().caValidity(Duration.ofDays(40)).renewBefore(Duration.ofDays(5)).build();
        ClusterPki first = ClusterPki.loadOrCreate(pkiDir, spec);

        Clock later = Clock.fixed(Instant.now().plus(Duration.ofDays(36)), ZoneOffset.UTC);
        ClusterPki renewed = ClusterPki.loadOrCreate(pkiDir, spec, later);

        assertThat(renewed.ca().certificate()).isNotEqualTo(first.ca().certificate());
        assertThat(renewed.ca().signed(cert(renewed.apiServerCert()))).isTrue();
    }

    @Test
    void refusesALeafKeyThatDoesNotBelongToItsCertificateAndChangesNothing() throws Exception {
        Path pkiDir = dir.resolve("pki");
        ClusterPki first = ClusterPki.loadOrCreate(pkiDir, spec().build());
        Files.copy(first.scheduler().key(), first.controllerManager().key(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        byte[] cert = Files.readAllBytes(first.apiServerCert());

        assertThatThrownBy(() -> ClusterPki.loadOrCreate(pkiDir, spec().build()))
                .isInstanceOf(PkiException.class)
                .hasMessageContaining(first.controllerManager().key() + " does not belong to certificate")
                .hasMessageContaining("delete " + first.controllerManager().cert());
        assertThat(Files.readAllBytes(first.apiServerCert())).isEqualTo(cert);
    }

    @Test
    void refusesATruncatedLeafCertificateOrKeyNamingTheFileAndTheFix() throws Exception {
        Path pkiDir = dir.resolve("pki");
        ClusterPki first = ClusterPki.loadOrCreate(pkiDir, spec().build());
        for (Path file : List.of(first.apiServerCert(), first.scheduler().key(), pkiDir.resolve("sa.pub"))) {
            byte[] before = Files.readAllBytes(file);
            Files.write(file, java.util.Arrays.copyOf(before, before.length / 2));

            assertThatThrownBy(() -> ClusterPki.loadOrCreate(pkiDir, spec().build()))
                    .isInstanceOf(PkiException.class)
                    .hasMessageContaining(file + " is not a valid")
                    .hasMessageContaining("delete " + (file.endsWith("sa.pub") ? pkiDir.resolve("sa.key") : file
                            .resolveSibling(file.getFileName().toString().replace(".key", ".crt"))))
                    .hasMessageContaining("to have polykube");
            assertThat(Files.readAllBytes(file)).hasSize(before.length / 2);
            Files.write(file, before);
        }
        assertThat(ClusterPki.loadOrCreate(pkiDir, spec().build()).reused()).isTrue();
    }

    @Test
    void reissuesAnEmptyOrDeletedLeaf() throws Exception {
        Path pkiDir = dir.resolve("pki");
        ClusterPki first = ClusterPki.loadOrCreate(pkiDir, spec().build());
        Files.write(first.apiServerCert(), new byte[0]); // what a power loss may leave of a file written without fsync
        Files.delete(first.scheduler().key()); // what the error for a damaged file tells the user to do

        ClusterPki second = ClusterPki.loadOrCreate(pkiDir, spec().build());

        assertThat(second.reused()).isFalse();
        assertThat(KeyPairs.matches(cert(second.scheduler().cert()).getPublicKey(),
                Pem.readPrivateKey(second.scheduler().key()))).isTrue();
        assertThat(second.ca().signed(cert(second.apiServerCert()))).isTrue();
    }

    @Test
    void createReplacesEvenTheCas() {
        Path pkiDir = dir.resolve("pki");
        ClusterPki first = ClusterPki.loadOrCreate(pkiDir, spec().build());
        ClusterPki fresh = ClusterPki.create(pkiDir, spec().build());

        assertThat(fresh.reused()).isFalse();
        assertThat(fresh.ca().certificate()).isNotEqualTo(first.ca().certificate());
        assertThat(ClusterPki.loadOrCreate(pkiDir, spec().build()).ca().certificate())
                .isEqualTo(fresh.ca().certificate());
    }

    @Test
    void refusesACaKeyThatDoesNotMatchItsCertificateBeforeWritingAnything() throws Exception {
        Path pkiDir = dir.resolve("pki");
        Files.createDirectories(pkiDir);
        CertificateAuthority a = CertificateAuthority.generate("kubernetes", Duration.ofDays(100), KeyAlgorithm.ECDSA_P256);
        CertificateAuthority b = CertificateAuthority.generate("kubernetes", Duration.ofDays(100), KeyAlgorithm.ECDSA_P256);
        Pem.writeCertificate(pkiDir.resolve("ca.crt"), a.certificate());
        Pem.writePrivateKey(pkiDir.resolve("ca.key"), b.privateKey());

        assertThatThrownBy(() -> ClusterPki.loadOrCreate(pkiDir, spec().build()))
                .isInstanceOf(PkiException.class)
                .hasMessageContaining("does not match CA certificate")
                .hasMessageContaining("ca.crt");
        try (Stream<Path> files = Files.list(pkiDir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("ca.crt", "ca.key");
        }
    }

    @Test
    void usesAGivenCaAndRefusesACaCertificateWithoutKey() throws Exception {
        Path pkiDir = dir.resolve("pki");
        CertificateAuthority given = CertificateAuthority.generate("my-ca", Duration.ofDays(100), KeyAlgorithm.RSA_2048);
        given.write(pkiDir.resolve("ca.crt"), pkiDir.resolve("ca.key"));

        ClusterPki pki = ClusterPki.loadOrCreate(pkiDir, spec().build());
        assertThat(pki.ca().certificate()).isEqualTo(given.certificate());
        assertThat(given.signed(cert(pki.admin().cert()))).isTrue();

        Files.delete(pkiDir.resolve("etcd/ca.key"));
        assertThatThrownBy(() -> ClusterPki.loadOrCreate(pkiDir, spec().build()))
                .isInstanceOf(PkiException.class)
                .hasMessageContaining("etcd/ca.key does not");
    }

    @Test
    void refusesAnUnwritableDirectory() throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "x");

        assertThatThrownBy(() -> ClusterPki.loadOrCreate(file.resolve("pki"), spec().build()))
                .isInstanceOf(PkiException.class)
                .hasMessageContaining("is not writable");
        assertThatThrownBy(() -> ClusterPki.loadOrCreate(file, spec().build()))
                .isInstanceOf(PkiException.class)
                .hasMessageContaining("is not a readable directory");
    }

    @Test
    void issueUserReusesOrReissuesWhenTheGroupsChange() throws Exception {
        Path pkiDir = dir.resolve("pki");
        ClusterPki pki = ClusterPki.loadOrCreate(pkiDir, spec().build());

        ClientCredentials bob = pki.issueUser("bob", "viewers");
        String first = Files.readString(bob.cert());
        ClientCredentials again = pki.issueUser("bob", "viewers");
        String second = Files.readString(again.cert());
        ClientCredentials changed = pki.issueUser("bob", "editors");

        assertThat(bob).isEqualTo(new ClientCredentials("bob", List.of("viewers"), pkiDir.resolve("users/bob.crt"),
                pkiDir.resolve("users/bob.key")));
        assertThat(second).isEqualTo(first);
        assertThat(Files.readString(changed.cert())).isNotEqualTo(first);
        assertThat(StoredCertificates.organizations(cert(changed.cert()))).containsExactly("editors");
        assertThat(pki.ca().signed(cert(changed.cert()))).isTrue();
        assertThatThrownBy(() -> pki.issueUser("a/b")).isInstanceOf(PkiException.class);
    }

    @Test
    void reissuesLeavesWhenTheCaIsReplacedOnDisk() {
        Path pkiDir = dir.resolve("pki");
        ClusterPki first = ClusterPki.loadOrCreate(pkiDir, spec().build());
        CertificateAuthority replacement = CertificateAuthority.generate("kubernetes", Duration.ofDays(100),
                KeyAlgorithm.ECDSA_P256);
        replacement.write(first.caCert(), first.caKey());

        ClusterPki second = ClusterPki.loadOrCreate(pkiDir, spec().build());

        assertThat(second.reused()).isFalse();
        assertThat(replacement.signed(cert(second.apiServerCert()))).isTrue();
        assertThat(first.ca().signed(cert(second.apiServerCert()))).isFalse();
    }
}
