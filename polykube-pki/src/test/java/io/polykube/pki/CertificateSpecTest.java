package io.polykube.pki;

import static io.polykube.pki.TestCerts.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CertificateSpecTest {

    @Test
    void hasDefaultsAndCopiesCollections() {
        CertificateSpec spec = CertificateSpec.builder("x").client().build();

        assertThat(spec.validity()).isEqualTo(Duration.ofDays(365));
        assertThat(spec.backdate()).isEqualTo(Duration.ofMinutes(5));
        assertThat(spec.keyAlgorithm()).isEqualTo(KeyAlgorithm.ECDSA_P256);
        assertThat(spec.organizations()).isEmpty();
        assertThatThrownBy(() -> spec.dnsNames().add("a")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void subjectAltNameSortsIpsFromDnsNames() {
        CertificateSpec spec = CertificateSpec.builder("x").server()
                .subjectAltName("10.0.0.1").subjectAltName("fd00::1").subjectAltName("api.example.test").build();

        assertThat(spec.ipAddresses()).containsExactly(ip("10.0.0.1"), ip("fd00::1"));
        assertThat(spec.dnsNames()).containsExactly("api.example.test");
    }

    @ParameterizedTest
    @ValueSource(strings = {"bad_name", "-lead.example", "trail-.example", "a..b", "", "sp ace", "x.", ".x", "a.*.b"})
    void rejectsInvalidDnsNames(String name) {
        assertThatThrownBy(() -> CertificateSpec.builder("x").server().dnsNames(name).build())
                .isInstanceOf(PkiException.class)
                .hasMessageContaining("dnsNames")
                .hasMessageContaining("is not a valid DNS name");
    }

    @Test
    void rejectsIpAddressAsDnsName() {
        assertThatThrownBy(() -> CertificateSpec.builder("x").server().dnsNames("127.0.0.1").build())
                .isInstanceOf(PkiException.class)
                .hasMessageContaining("'127.0.0.1' is an IP address");
    }

    @Test
    void rejectsLabelLongerThan63() {
        assertThatThrownBy(() -> CertificateSpec.builder("x").server().dnsNames("a".repeat(64) + ".test").build())
                .isInstanceOf(PkiException.class).hasMessageContaining("not a valid DNS name");
        assertThat(CertificateSpec.builder("x").server().dnsNames("a".repeat(63) + ".test").build().dnsNames())
                .hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -1})
    void rejectsNonPositiveValidity(long seconds) {
        assertThatThrownBy(() -> CertificateSpec.builder("x").client().validity(Duration.ofSeconds(seconds)).build())
                .isInstanceOf(PkiException.class)
                .hasMessageContaining("validity must be positive");
    }

    @Test
    void rejectsNegativeBackdateMissingUsageBlankNameAndSanlessServer() {
        assertThatThrownBy(() -> CertificateSpec.builder("x").client().backdate(Duration.ofSeconds(-1)).build())
                .hasMessageContaining("backdate");
        assertThatThrownBy(() -> CertificateSpec.builder("x").build())
                .hasMessageContaining("usage is missing");
        assertThatThrownBy(() -> CertificateSpec.builder(" ").client().build())
                .hasMessageContaining("commonName must not be blank");
        assertThatThrownBy(() -> CertificateSpec.builder("x").server().build())
                .hasMessageContaining("server certificate needs at least one DNS name or IP address");
    }

    @Test
    void reportsEveryWrongFieldAtOnce() {
        assertThatThrownBy(() -> CertificateSpec.builder("x").server().dnsNames("bad_one")
                .validity(Duration.ZERO).build())
                .hasMessageContaining("bad_one")
                .hasMessageContaining("validity");
    }
}
