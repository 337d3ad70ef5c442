package io.polykube.pki;

import static io.polykube.pki.TestCerts.CLIENT_AUTH;
import static io.polykube.pki.TestCerts.SERVER_AUTH;
import static io.polykube.pki.TestCerts.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class CertificateAuthorityTest {

    @ParameterizedTest
    @EnumSource(value = KeyAlgorithm.class, names = {"ECDSA_P256", "RSA_2048"})
    void generatesSelfSignedCa(KeyAlgorithm algorithm) throws Exception {
        CertificateAuthority ca = CertificateAuthority.generate("test-ca", Duration.ofDays(10), algorithm);
        X509Certificate cert = ca.certificate();

        assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=test-ca");
        assertThat(cert.getIssuerX500Principal()).isEqualTo(cert.getSubjectX500Principal());
        assertThat(cert.getBasicConstraints()).isGreaterThanOrEqualTo(0);
        assertThat(cert.getKeyUsage()[5]).as("keyCertSign").isTrue();
        assertThat(cert.getKeyUsage()[6]).as("cRLSign").isTrue();
        assertThat(cert.getCriticalExtensionOIDs()).contains("2.5.29.19", "2.5.29.15");
        assertThat(cert.getPublicKey().getAlgorithm()).isEqualTo(algorithm == KeyAlgorithm.ECDSA_P256 ? "EC" : "RSA");
        assertThat(cert.getNotAfter().toInstant())
                .isCloseTo(Instant.now().plus(Duration.ofDays(10)), within(1, ChronoUnit.MINUTES));
        assertThat(cert.getNotBefore().toInstant())
                .isCloseTo(Instant.now().minus(Duration.ofMinutes(5)), within(1, ChronoUnit.MINUTES));
        cert.verify(cert.getPublicKey());
    }

    @ParameterizedTest
    @EnumSource(value = KeyAlgorithm.class, names = {"ECDSA_P256", "RSA_2048"})
    void issuesServerCertificateThatChainsToCa(KeyAlgorithm algorithm) throws Exception {
        CertificateAuthority ca = CertificateAuthority.generate("test-ca", Duration.ofDays(10), KeyAlgorithm.ECDSA_P256);
        IssuedCertificate issued = ca.issue(CertificateSpec.builder("server")
                .organizations("org-a", "org-b")
                .dnsNames("localhost", "*.example.test")
                .ipAddresses(ip("127.0.0.1"), ip("::1"))
                .server()
                .validity(Duration.ofHours(2))
                .backdate(Duration.ofMinutes(1))
                .keyAlgorithm(algorithm)
                .build());
        X509Certificate cert = issued.certificate();

        assertThat(StoredCertificates.commonName(cert)).isEqualTo("server");
        assertThat(StoredCertificates.organizations(cert)).containsExactly("org-a", "org-b");
        assertThat(TestCerts.dnsSans(cert)).containsExactly("localhost", "*.example.test");
        assertThat(TestCerts.ipSans(cert)).containsExactly("127.0.0.1", ip("::1").getHostAddress());
        assertThat(TestCerts.extendedKeyUsages(cert)).containsExactly(SERVER_AUTH);
        assertThat(cert.getKeyUsage()[0]).as("digitalSignature").isTrue();
        assertThat(cert.getKeyUsage()[2]).as("keyEncipherment only for RSA").isEqualTo(algorithm != KeyAlgorithm.ECDSA_P256);
        assertThat(cert.getKeyUsage()[5]).as("keyCertSign").isFalse();
        assertThat(cert.getBasicConstraints()).isEqualTo(-1);
        assertThat(cert.getNotAfter().toInstant())
                .isCloseTo(Instant.now().plus(Duration.ofHours(2)), within(1, ChronoUnit.MINUTES));
        assertThat(cert.getNotBefore().toInstant())
                .isCloseTo(Instant.now().minus(Duration.ofMinutes(1)), within(1, ChronoUnit.MINUTES));
        assertThat(cert.getSerialNumber()).isPositive();
        assertThat(issued.privateKey().getAlgorithm()).isEqualTo(cert.getPublicKey().getAlgorithm());
        assertThat(KeyPairs.matches(cert.getPublicKey(), issued.privateKey())).isTrue();
        assertThat(ca.signed(cert)).isTrue();
        TestCerts.validateChain(cert, ca.certificate());
    }

    @Test
    void clientCertificateHasClientAuthOnlyAndRandomSerials() {
        CertificateAuthority ca = CertificateAuthority.generate("test-ca", Duration.ofDays(1), KeyAlgorithm.ECDSA_P256);
        CertificateSpec spec = CertificateSpec.builder("alice").organizations("devs").client().build();
        X509Certificate a = ca.issue(spec).certificate();
        X509Certificate b = ca.issue(spec).certificate();

        assertThat(TestCerts.extendedKeyUsages(a)).containsExactly(CLIENT_AUTH);
        assertThat(TestCerts.dnsSans(a)).isEmpty();
        assertThat(a.getSerialNumber()).isNotEqualTo(b.getSerialNumber());
        assertThat(a.getSerialNumber().bitLength()).isGreaterThan(64);
    }

    @Test
    void leafNeverOutlivesItsCa() {
        CertificateAuthority ca = CertificateAuthority.generate("short-ca", Duration.ofDays(1), KeyAlgorithm.ECDSA_P256);
        X509Certificate cert = ca.issue(CertificateSpec.builder("x").client().validity(Duration.ofDays(30)).build())
                .certificate();

        assertThat(cert.getNotAfter()).isEqualTo(ca.certificate().getNotAfter());
    }

    @Test
    void loadsFromPemAndIssuesWithTheLoadedKey() throws Exception {
        CertificateAuthority original = CertificateAuthority.generate("ca", Duration.ofDays(1), KeyAlgorithm.RSA_2048);
        CertificateAuthority loaded = CertificateAuthority.load(original.certificatePem(), original.privateKeyPem());

        assertThat(original.privateKeyPem()).startsWith("-----BEGIN PRIVATE KEY-----\n");
        assertThat(loaded.certificate()).isEqualTo(original.certificate());
        X509Certificate leaf = loaded.issue(CertificateSpec.builder("c").clientAndServer().dnsNames("a.test").build())
                .certificate();
        assertThat(TestCerts.extendedKeyUsages(leaf)).containsExactly(SERVER_AUTH, CLIENT_AUTH);
        TestCerts.validateChain(leaf, original.certificate());
    }

    @Test
    void refusesKeyThatDoesNotMatchCertificate() {
        CertificateAuthority a = CertificateAuthority.generate("a", Duration.ofDays(1), KeyAlgorithm.ECDSA_P256);
        CertificateAuthority b = CertificateAuthority.generate("b", Duration.ofDays(1), KeyAlgorithm.ECDSA_P256);

        assertThatThrownBy(() -> CertificateAuthority.load(a.certificatePem(), b.privateKeyPem()))
                .isInstanceOf(PkiException.class)
                .hasMessageContaining("does not match CA certificate");
    }

    @Test
    void refusesLeafCertificateAsCa() {
        CertificateAuthority ca = CertificateAuthority.generate("a", Duration.ofDays(1), KeyAlgorithm.ECDSA_P256);
        IssuedCertificate leaf = ca.issue(CertificateSpec.builder("leaf").client().build());

        assertThatThrownBy(() -> CertificateAuthority.load(leaf.certificatePem(), leaf.privateKeyPem()))
                .isInstanceOf(PkiException.class)
                .hasMessageContaining("is not a CA certificate");
    }

    @Test
    void refusesNonPositiveCaValidity() {
        assertThatThrownBy(() -> CertificateAuthority.generate("a", Duration.ZERO, KeyAlgorithm.ECDSA_P256))
                .isInstanceOf(PkiException.class)
                .hasMessageContaining("validity must be positive");
    }

    @Test
    void signedIsFalseForAnotherCasCertificate() {
        CertificateAuthority a = CertificateAuthority.generate("same", Duration.ofDays(1), KeyAlgorithm.ECDSA_P256);
        CertificateAuthority b = CertificateAuthority.generate("same", Duration.ofDays(1), KeyAlgorithm.ECDSA_P256);

        assertThat(b.signed(a.issue(CertificateSpec.builder("x").client().build()).certificate())).isFalse();
    }
}
