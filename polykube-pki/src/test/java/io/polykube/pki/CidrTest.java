package io.polykube.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CidrTest {

    @Test
    void parsesIpv4AndGivesFirstAddress() {
        Cidr cidr = Cidr.parse("10.96.0.0/12");

        assertThat(cidr.prefixLength()).isEqualTo(12);
        assertThat(cidr.firstAddress().getHostAddress()).isEqualTo("10.96.0.1");
        assertThat(cidr).hasToString("10.96.0.0/12").isEqualTo(Cidr.parse("10.96.0.0/12"));
    }

    @Test
    void parsesIpv6() {
        assertThat(Cidr.parse("fd00:10:96::/108").firstAddress()).isEqualTo(TestCerts.ip("fd00:10:96::1"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.96.0.0", "10.96.0.0/33", "10.96.0/12", "kubernetes/12", "10.96.0.0/x", "/12", "10.96.0.0/-1"})
    void rejectsWhatIsNotACidr(String text) {
        assertThatThrownBy(() -> Cidr.parse(text)).isInstanceOf(PkiException.class).hasMessageContaining(text);
    }

    @Test
    void rejectsHostBitsWithSuggestion() {
        assertThatThrownBy(() -> Cidr.parse("10.96.0.1/12"))
                .isInstanceOf(PkiException.class)
                .hasMessageContaining("did you mean 10.96.0.0/12?");
    }

    @Test
    void refusesFirstAddressOfTinyNetwork() {
        assertThatThrownBy(() -> Cidr.parse("10.0.0.1/32").firstAddress()).hasMessageContaining("too small");
    }
}
