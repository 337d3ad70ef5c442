package io.polykube.config;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CidrTest {
    @Test
    void parsesAndContains() throws Exception {
        Cidr cidr = Cidr.parse("f", "10.244.1.0/24");
        assertThat(cidr.toString()).isEqualTo("10.244.1.0/24");
        assertThat(cidr.isIpv4()).isTrue();
        assertThat(cidr.contains(InetAddress.getByName("10.244.1.77"))).isTrue();
        assertThat(cidr.contains(InetAddress.getByName("10.244.2.1"))).isFalse();
        assertThat(cidr.addressAt(1).getHostAddress()).isEqualTo("10.244.1.1");
        assertThat(Cidr.parse("f", "fd00:10::/64").contains(InetAddress.getByName("fd00:10::5"))).isTrue();
        assertThat(Cidr.parse("f", "0.0.0.0/0").contains(InetAddress.getByName("192.0.2.1"))).isTrue();
    }

    @Test
    void rejectsBadInputNamingTheField() {
        assertThatThrownBy(() -> Cidr.parse("pod.cidr", "10.244.0.0"))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("pod.cidr: ").hasMessageContaining("ADDRESS/PREFIX");
        assertThatThrownBy(() -> Cidr.parse("pod.cidr", "10.244.0.0/33")).hasMessageContaining("0..32");
        assertThatThrownBy(() -> Cidr.parse("pod.cidr", "10.256.0.0/16")).hasMessageContaining("256 > 255");
        assertThatThrownBy(() -> Cidr.parse("pod.cidr", "example.com/16")).hasMessageContaining("not an IP address");
        assertThatThrownBy(() -> Cidr.parse("pod.cidr", "10.244.0.5/24"))
                .hasMessageContaining("host bits").hasMessageContaining("10.244.0.0/24");
        assertThat(((ConfigException) catchThrowable(() -> Cidr.parse("pod.cidr", "x"))).field()).isEqualTo("pod.cidr");
    }

    private static Throwable catchThrowable(Runnable r) {
        try {
            r.run();
            return null;
        } catch (RuntimeException e) {
            return e;
        }
    }
}
