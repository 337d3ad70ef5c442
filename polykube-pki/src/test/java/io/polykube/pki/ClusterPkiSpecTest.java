package io.polykube.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.polykube.net.Cidr;
import io.polykube.net.ClusterNetwork;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ClusterPkiSpecTest {

    private static ClusterPkiSpec.Builder minimal() {
        return ClusterPkiSpec.builder().clusterName("it").nodeName("node1");
    }

    @Test
    void hasDefaults() {
        ClusterPkiSpec spec = minimal().build();

        assertThat(spec.serviceCidr()).hasToString("10.96.0.0/16").isEqualTo(ClusterNetwork.DEFAULT_SERVICE_CIDR);
        assertThat(spec.clusterDomain()).isEqualTo("cluster.local");
        assertThat(spec.validity()).isEqualTo(Duration.ofDays(365));
        assertThat(spec.caValidity()).isEqualTo(Duration.ofDays(3650));
        assertThat(spec.renewBefore()).isEqualTo(Duration.ofDays(365).dividedBy(3));
        assertThat(spec.keyAlgorithm()).isEqualTo(KeyAlgorithm.ECDSA_P256);
        assertThat(spec.ipv6Loopback()).isTrue();
        assertThat(spec.users()).isEmpty();
    }

    @Test
    void fingerprintIsStableAndFollowsWhatShapesCertificates() {
        String base = minimal().build().fingerprint();

        assertThat(minimal().build().fingerprint()).isEqualTo(base).hasSize(64);
        assertThat(minimal().renewBefore(Duration.ofDays(1)).user("bob").build().fingerprint()).isEqualTo(base);
        assertThat(minimal().extraSans("api.example.test").build().fingerprint()).isNotEqualTo(base);
        assertThat(minimal().nodeName("node2").build().fingerprint()).isNotEqualTo(base);
        assertThat(minimal().keyAlgorithm(KeyAlgorithm.RSA_2048).build().fingerprint()).isNotEqualTo(base);
        assertThat(minimal().validity(Duration.ofDays(7)).build().fingerprint()).isNotEqualTo(base);
    }

    @Test
    void rejectsBadServiceCidr() {
        assertThatThrownBy(() -> minimal().serviceCidr("10.96.0.0").build())
                .isInstanceOf(PkiException.class)
                .hasMessageContaining("serviceCidr")
                .hasMessageContaining("is not a CIDR");
        assertThatThrownBy(() -> minimal().serviceCidr("10.96.0.0/32").build())
                .hasMessageContaining("too small");
        assertThatThrownBy(() -> minimal().serviceCidr(Cidr.parse("x", "10.96.0.0/31")).build())
                .hasMessageContaining("serviceCidr: ").hasMessageContaining("too small");
        assertThatThrownBy(() -> minimal().serviceCidr((Cidr) null).build()).hasMessageContaining("serviceCidr must not be null");
    }

    @Test
    void takesTheServiceCidrTypedOrAsText() {
        Cidr services = Cidr.parse("x", "10.100.0.0/16");
        assertThat(minimal().serviceCidr(services).build().serviceCidr()).isEqualTo(services);
        assertThat(minimal().serviceCidr("10.100.0.0/16").build().fingerprint())
                .isEqualTo(minimal().serviceCidr(services).build().fingerprint());
        assertThat(minimal().serviceCidr("bad").serviceCidr(services).build().serviceCidr()).isEqualTo(services);
    }

    @Test
    void rejectsBadNamesAndSans() {
        assertThatThrownBy(() -> minimal().nodeName("Node_1").build())
                .hasMessageContaining("nodeName 'Node_1' is not a lowercase DNS subdomain");
        assertThatThrownBy(() -> ClusterPkiSpec.builder().nodeName("n").build())
                .hasMessageContaining("clusterName is required");
        assertThatThrownBy(() -> minimal().extraSans("not a name").build())
                .hasMessageContaining("extraSans: 'not a name'");
        assertThatThrownBy(() -> minimal().extraSans("300.1.1.1").build())
                .hasMessageContaining("extraSans: '300.1.1.1'");
        assertThatThrownBy(() -> minimal().clusterDomain("Cluster_Local").build())
                .hasMessageContaining("clusterDomain");
        assertThatThrownBy(() -> minimal().user("../etc/passwd").build())
                .hasMessageContaining("User name '../etc/passwd' is not allowed");
        assertThatThrownBy(() -> minimal().user("bob").user("bob", "x").build())
                .hasMessageContaining("distinct names");
    }

    @Test
    void rejectsBadDurations() {
        assertThatThrownBy(() -> minimal().validity(Duration.ZERO).build())
                .hasMessageContaining("validity must be positive");
        assertThatThrownBy(() -> minimal().validity(Duration.ofDays(-1)).build())
                .hasMessageContaining("validity must be positive");
        assertThatThrownBy(() -> minimal().validity(Duration.ofDays(10)).caValidity(Duration.ofDays(5)).build())
                .hasMessageContaining("caValidity");
        assertThatThrownBy(() -> minimal().validity(Duration.ofDays(7)).renewBefore(Duration.ofDays(7)).build())
                .hasMessageContaining("renewBefore");
    }
}
