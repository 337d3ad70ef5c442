package io.polykube.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CidrTest {
    @Test
    void parsesAndContains() throws Exception {
        Cidr cidr = Cidr.parse("f", "10.244.1.0/24");
        assertThat(cidr.toString()).isEqualTo("10.244.1.0/24");
        assertThat(cidr.isIpv4()).isTrue();
        assertThat(cidr.prefixLength()).isEqualTo(24);
        assertThat(cidr.contains(InetAddress.getByName("10.244.1.77"))).isTrue();
        assertThat(cidr.contains(InetAddress.getByName("10.244.2.1"))).isFalse();
        assertThat(cidr.addressAt(1).getHostAddress()).isEqualTo("10.244.1.1");
        assertThat(cidr).isEqualTo(Cidr.parse("g", "10.244.1.0/24")).hasSameHashCodeAs(Cidr.parse("g", "10.244.1.0/24"));
        assertThat(Cidr.parse("f", "fd00:10::/64").contains(InetAddress.getByName("fd00:10::5"))).isTrue();
        assertThat(Cidr.parse("f", "0.0.0.0/0").contains(InetAddress.getByName("192.0.2.1"))).isTrue();
    }

    @Test
    void givesTheServiceAddresses() throws Exception {
        Cidr services = Cidr.parse("f", "10.96.0.0/12");
        assertThat(services.firstAddress().getHostAddress()).isEqualTo("10.96.0.1");
        assertThat(services.addressAt(10).getHostAddress()).isEqualTo("10.96.0.10");
        assertThat(Cidr.parse("f", "fd00:10:96::/108").firstAddress()).isEqualTo(InetAddress.getByName("fd00:10:96::1"));
    }

    @Test
    void refusesAddressesOutsideOrATinyNetwork() {
        assertThatThrownBy(() -> Cidr.parse("f", "10.0.0.1/32").firstAddress()).hasMessageContaining("too small");
        assertThatThrownBy(() -> Cidr.parse("f", "10.0.0.0/30").addressAt(4)).hasMessageContaining("outside 10.0.0.0/30");
        assertThatThrownBy(() -> Cidr.parse("f", "10.0.0.0/30").addressAt(-1)).hasMessageContaining("outside");
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.96.0.0", "10.96.0.0/33", "10.96.0/12", "kubernetes/12", "10.96.0.0/x", "/12", "10.96.0.0/-1", " "})
    void rejectsWhatIsNotACidrNamingTheField(String text) {
        assertThatThrownBy(() -> Cidr.parse("pod.cidr", text)).hasMessageStartingWith("pod.cidr: ")
                .isInstanceOfSatisfying(CidrException.class, e -> assertThat(e.field()).isEqualTo("pod.cidr"));
    }

    @Test
    void saysWhatIsWrong() {
        assertThatThrownBy(() -> Cidr.parse("pod.cidr", "10.244.0.0")).hasMessageContaining("ADDRESS/PREFIX");
        assertThatThrownBy(() -> Cidr.parse("pod.cidr", "10.244.0.0/33")).hasMessageContaining("0..32");
        assertThatThrownBy(() -> Cidr.parse("pod.cidr", "10.256.0.0/16")).hasMessageContaining("256 > 255");
        assertThatThrownBy(() -> Cidr.parse("pod.cidr", "example.com/16")).hasMessageContaining("not an IP address");
        assertThatThrownBy(() -> Cidr.parse("pod.cidr", "10.244.0.5/24")).hasMessageContaining("host bits")
                .hasMessageContaining("did you mean 10.244.0.0/24?");
        assertThatThrownBy(() -> Cidr.parseAddress("gw", "localhost")).isInstanceOf(CidrException.class)
                .hasMessage("gw: 'localhost' is not an IP address");
    }

    @Test
    void buildsACidrFromTypedParts() throws Exception {
        assertThat(Cidr.of("f", InetAddress.getByName("10.244.3.0"), 24)).isEqualTo(Cidr.parse("f", "10.244.3.0/24"));
        assertThatThrownBy(() -> Cidr.of("f", InetAddress.getByName("10.244.3.1"), 24)).hasMessageContaining("host bits")
                .hasMessageContaining("did you mean 10.244.3.0/24?");
        assertThatThrownBy(() -> Cidr.of("f", InetAddress.getByName("10.244.3.0"), 33)).hasMessageContaining("0..32");
    }
}
