package io.polykube.api.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class CidrTest {
    @Test
    void parsesAndComputesAddresses() throws Exception {
        Cidr cidr = Cidr.parse("serviceCidr", "10.96.0.0/16");
        assertThat(cidr.address(1)).isEqualTo(InetAddress.getByName("10.96.0.1"));
        assertThat(cidr.contains(InetAddress.getByName("10.96.255.255"))).isTrue();
        assertThat(cidr.contains(InetAddress.getByName("10.97.0.0"))).isFalse();
        assertThat(cidr).hasToString("10.96.0.0/16");
    }

    @Test
    void detectsOverlaps() {
        assertThat(Cidr.parse("a", "10.0.0.0/8").overlaps(Cidr.parse("b", "10.244.0.0/16"))).isTrue();
        assertThat(Cidr.parse("a", "10.96.0.0/16").overlaps(Cidr.parse("b", "10.244.0.0/16"))).isFalse();
    }

    @Test
    void refusesWhatIsNotACidrNamingTheField() {
        assertThatThrownBy(() -> Cidr.parse("node podCidr", "10.244.0.0")).hasMessageContaining("node podCidr must be a CIDR");
        assertThatThrownBy(() -> Cidr.parse("node podCidr", "example.com/24")).hasMessageContaining("node podCidr");
        assertThatThrownBy(() -> Cidr.parse("node podCidr", "10.244.0.0/33")).hasMessageContaining("out of range");
        assertThatThrownBy(() -> Cidr.parse("node podCidr", "10.244.0.1/24")).hasMessageContaining("host bits set")
                .hasMessageContaining("10.244.0.0/24");
    }
}
