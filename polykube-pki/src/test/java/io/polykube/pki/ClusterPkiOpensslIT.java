package io.polykube.pki;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Cross-checks the cluster PKI with the real openssl binary: chains, purposes, SANs, keys, mutual TLS. */
class ClusterPkiOpensslIT {

    @TempDir
    static Path dir;
    static ClusterPki ecdsa;
    static ClusterPki rsa;

    @BeforeAll
    static void issue() {
        OpenSsl.requireInstalled();
        ecdsa = ClusterPki.create(dir.resolve("ecdsa"), spec(KeyAlgorithm.ECDSA_P256));
        rsa = ClusterPki.create(dir.resolve("rsa"), spec(KeyAlgorithm.RSA_2048));
    }

    private static ClusterPkiSpec spec(KeyAlgorithm algorithm) {
        return ClusterPkiSpec.builder().clusterName("it").nodeName("node1").keyAlgorithm(algorithm)
                .extraSans("api.example.test").user("alice", "devs").build();
    }

    private static ClusterPki pki(KeyAlgorithm algorithm) {
        return algorithm == KeyAlgorithm.RSA_2048 ? rsa : ecdsa;
    }

    /** Leaf certificate, its CA, and the openssl purpose it must pass. */
    private record Check(Path cert, Path key, Path ca, String purpose) {
    }

    private static List<Check> leaves(ClusterPki p) {
        return List.of(
                new Check(p.apiServerCert(), p.apiServerKey(), p.caCert(), "sslserver"),
                new Check(p.apiServerKubeletClientCert(), p.apiServerKubeletClientKey(), p.caCert(), "sslclient"),
                new Check(p.apiServerEtcdClientCert(), p.apiServerEtcdClientKey(), p.etcdCaCert(), "sslclient"),
                new Check(p.frontProxyClientCert(), p.frontProxyClientKey(), p.frontProxyCaCert(), "sslclient"),
                new Check(p.etcdServerCert(), p.etcdServerKey(), p.etcdCaCert(), "sslserver"),
                new Check(p.etcdServerCert(), p.etcdServerKey(), p.etcdCaCert(), "sslclient"),
                new Check(p.etcdPeerCert(), p.etcdPeerKey(), p.etcdCaCert(), "sslserver"),
                new Check(p.etcdPeerCert(), p.etcdPeerKey(), p.etcdCaCert(), "sslclient"),
                new Check(p.etcdHealthcheckClientCert(), p.etcdHealthcheckClientKey(), p.etcdCaCert(), "sslclient"),
                new Check(p.admin().cert(), p.admin().key(), p.caCert(), "sslclient"),
                new Check(p.controllerManager().cert(), p.controllerManager().key(), p.caCert(), "sslclient"),
                new Check(p.scheduler().cert(), p.scheduler().key(), p.caCert(), "sslclient"),
                new Check(p.kubeProxy().cert(), p.kubeProxy().key(), p.caCert(), "sslclient"),
                new Check(p.kubelet().cert(), p.kubelet().key(), p.caCert(), "sslclient"),
                new Check(p.kubeletServingCert(), p.kubeletServingKey(), p.caCert(), "sslserver"),
                new Check(p.dir().resolve("users/alice.crt"), p.dir().resolve("users/alice.key"), p.caCert(), "sslclient"));
    }

    @ParameterizedTest
    @EnumSource(value = KeyAlgorithm.class, names = {"ECDSA_P256", "RSA_2048"})
    void everyLeafVerifiesAgainstItsCaForItsPurpose(KeyAlgorithm algorithm) {
        for (Check check : leaves(pki(algorithm))) {
            OpenSsl.Result result = OpenSsl.run(null, dir, "verify", "-x509_strict", "-purpose", check.purpose(),
                    "-CAfile", check.ca().toString(), check.cert().toString());
            assertThat(result.exitCode()).as("openssl verify %s: %s", check.cert(), result.output()).isZero();
            assertThat(result.output()).contains(check.cert() + ": OK");
        }
    }

    @Test
    void clientCertificatesAreRefusedAsServersAndLeavesByTheWrongCa() {
        OpenSsl.Result asServer = OpenSsl.run(null, dir, "verify", "-purpose", "sslserver",
                "-CAfile", ecdsa.caCert().toString(), ecdsa.admin().cert().toString());
        OpenSsl.Result wrongCa = OpenSsl.run(null, dir, "verify",
                "-CAfile", ecdsa.etcdCaCert().toString(), ecdsa.apiServerCert().toString());

        assertThat(asServer.exitCode()).isNotZero();
        assertThat(asServer.output()).contains("unsuitable certificate purpose");
        assertThat(wrongCa.exitCode()).isNotZero();
        assertThat(wrongCa.output()).contains("unable to get local issuer certificate");
    }

    @ParameterizedTest
    @EnumSource(value = KeyAlgorithm.class, names = {"ECDSA_P256", "RSA_2048"})
    void keysArePkcs8AndBelongToTheirCertificates(KeyAlgorithm algorithm) {
        for (Check check : leaves(pki(algorithm))) {
            OpenSsl.Result fromKey = OpenSsl.run(null, dir, "pkey", "-in", check.key().toString(), "-pubout");
            OpenSsl.Result fromCert = OpenSsl.run(null, dir, "x509", "-in", check.cert().toString(), "-noout", "-pubkey");
            assertThat(fromKey.exitCode()).as(fromKey.output()).isZero();
            assertThat(fromKey.output()).as(check.key().toString()).isEqualTo(fromCert.output());
        }
        OpenSsl.Result sa = OpenSsl.run(null, dir, "pkey", "-in", pki(algorithm).serviceAccountKey().toString(), "-pubout");
        assertThat(sa.output().trim()).isEqualTo(Pem.publicKey(Pem.readPublicKey(pki(algorithm).serviceAccountPublicKey())).trim());
    }

    @Test
    void apiServerSansAsOpensslSeesThem() {
        OpenSsl.Result result = OpenSsl.run(null, dir, "x509", "-noout", "-ext", "subjectAltName",
                "-in", ecdsa.apiServerCert().toString());

        assertThat(result.exitCode()).isZero();
        assertThat(result.output()).contains("DNS:localhost", "DNS:kubernetes", "DNS:kubernetes.default",
                "DNS:kubernetes.default.svc", "DNS:kubernetes.default.svc.cluster.local", "DNS:node1",
                "DNS:api.example.test", "IP Address:127.0.0.1", "IP Address:0:0:0:0:0:0:0:1", "IP Address:10.96.0.1");
        OpenSsl.Result etcd = OpenSsl.run(null, dir, "x509", "-noout", "-ext", "subjectAltName,extendedKeyUsage",
                "-in", ecdsa.etcdServerCert().toString());
        assertThat(etcd.output()).contains("DNS:node1", "DNS:localhost", "IP Address:127.0.0.1",
                "TLS Web Server Authentication", "TLS Web Client Authentication");
    }

    @ParameterizedTest
    @EnumSource(value = KeyAlgorithm.class, names = {"ECDSA_P256", "RSA_2048"})
    void mutualTlsWithHostNameVerification(KeyAlgorithm algorithm) throws Exception {
        ClusterPki p = pki(algorithm);
        String client = handshake(p, "-verify_hostname", "localhost");
        assertThat(client).contains("Verified peername: localhost", "Verify return code: 0 (ok)");

        String byIp = handshake(p, "-verify_ip", "127.0.0.1");
        assertThat(byIp).contains("Verify return code: 0 (ok)");
    }

    @Test
    void hostNameMismatchIsRefused() {
        OpenSsl.Result result = withServer(ecdsa, port -> OpenSsl.run("ping\n", dir, "s_client",
                "-connect", "127.0.0.1:" + port, "-CAfile", ecdsa.caCert().toString(),
                "-cert", ecdsa.admin().cert().toString(), "-key", ecdsa.admin().key().toString(),
                "-verify_return_error", "-verify_hostname", "not-in-the-cert.example"));

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output()).contains("hostname mismatch");
    }

    /**
     * Runs s_server with the apiserver certificate, requiring a client certificate from the
     * cluster CA, and s_client with the admin certificate; returns s_client's output after the
     * server has received the client's message from a verified admin client.
     */
    private static String handshake(ClusterPki p, String... verifyArgs) {
        return withServer(p, port -> {
            List<String> args = new java.util.ArrayList<>(List.of("s_client", "-connect", "127.0.0.1:" + port,
                    "-CAfile", p.caCert().toString(), "-cert", p.admin().cert().toString(),
                    "-key", p.admin().key().toString(), "-verify_return_error"));
            args.addAll(List.of(verifyArgs));
            OpenSsl.Result result = OpenSsl.run("ping-from-admin\n", dir, args.toArray(new String[0]));
            assertThat(result.exitCode()).as(result.output()).isZero();
            return result;
        }).output();
    }

    private interface Client {
        OpenSsl.Result connect(int port) throws Exception;
    }

    private static OpenSsl.Result withServer(ClusterPki p, Client client) {
        Process server = OpenSsl.start(dir, "s_server", "-accept", "127.0.0.1:0", "-naccept", "1",
                "-cert", p.apiServerCert().toString(), "-key", p.apiServerKey().toString(),
                "-CAfile", p.caCert().toString(), "-Verify", "1", "-verify_return_error");
        try {
            OpenSsl.Output output = new OpenSsl.Output(server);
            String accept = output.await(line -> line.startsWith("ACCEPT "), OpenSsl.TIMEOUT);
            int port = Integer.parseInt(accept.substring(accept.lastIndexOf(':') + 1).trim());
            OpenSsl.Result result = client.connect(port);
            if (result.exitCode() == 0) {
                output.await(line -> line.equals("ping-from-admin") || line.equals("ping"), OpenSsl.TIMEOUT);
                assertThat(output.text()).contains("subject=O = system:masters, CN = kubernetes-admin");
            }
            return result;
        } catch (Exception e) {
            throw new AssertionError(e);
        } finally {
            OpenSsl.stop(server);
        }
    }
}
