package io.polykube.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ClusterNetworkTest {
    private static Cidr cidr(String text) {
        return Cidr.parse("test", text);
    }

    @Test
    void hasOneDefaultEach() {
        ClusterNetwork network = ClusterNetwork.defaults();
        assertThat(network.serviceCidr()).hasToString("10.96.0.0/16").isEqualTo(ClusterNetwork.DEFAULT_SERVICE_CIDR);
        assertThat(network.clusterCidr()).hasToString("10.244.0.0/16").isEqualTo(ClusterNetwork.DEFAULT_CLUSTER_CIDR);
        assertThat(network.podCidr()).hasToString("10.244.0.0/24").isEqualTo(ClusterNetwork.DEFAULT_POD_CIDR);
        assertThat(network.clusterDomain()).isEqualTo("cluster.local");
    }

    @Test
    void derivesTheServiceBridgeAndDnsAddresses() {
        ClusterNetwork network = ClusterNetwork.defaults();
        assertThat(network.kubernetesServiceAddress().getHostAddress()).isEqualTo("10.96.0.1");
        assertThat(network.dnsAddress().getHostAddress()).isEqualTo("10.96.0.10");
        assertThat(network.gateway().getHostAddress()).isEqualTo("10.244.0.1");
        ClusterNetwork other = new ClusterNetwork(cidr("172.20.0.0/24"), cidr("10.50.0.0/22"), cidr("10.50.1.0/24"), "example.test");
        assertThat(other.dnsAddress().getHostAddress()).isEqualTo("172.20.0.10");
        assertThat(other.gateway().getHostAddress()).isEqualTo("10.50.1.1");
    }

    @Test
    void plansTheNodesPodCidrsAndAddressesInsideTheClusterCidr() {
        ClusterNetwork network = ClusterNetwork.defaults();
        assertThat(network.podCidr(0)).isEqualTo(network.podCidr());
        assertThat(network.podCidr(1)).hasToString("10.244.1.0/24");
        assertThat(network.podCidr(2)).hasToString("10.244.2.0/24");
        assertThat(network.nodeNetwork()).hasToString("10.244.255.0/24");
        assertThat(network.nodeNetworkGateway().getHostAddress()).isEqualTo("10.244.255.1");
        assertThat(network.nodeAddress(0).getHostAddress()).isEqualTo("10.244.255.2");
        assertThat(network.nodeAddress(1).getHostAddress()).isEqualTo("10.244.255.3");
        assertThat(network.maxNodes()).as("the node network holds the host and 253 nodes").isEqualTo(253);

        ClusterNetwork small = new ClusterNetwork(ClusterNetwork.DEFAULT_SERVICE_CIDR, cidr("10.50.0.0/22"), cidr("10.50.1.0/24"),
                "cluster.local");
        assertThat(small.podCidr(1)).hasToString("10.50.2.0/24");
        assertThat(small.nodeNetwork()).hasToString("10.50.3.0/24");
        assertThat(small.maxNodes()).isEqualTo(2);
        assertThatThrownBy(() -> small.podCidr(2)).hasMessageContaining("no node 2").hasMessageContaining("0..1");
    }

    @Test
    void refusesNodeCountsThatDoNotFit() {
        ClusterNetwork tight = new ClusterNetwork(ClusterNetwork.DEFAULT_SERVICE_CIDR, cidr("10.50.0.0/23"), cidr("10.50.0.0/24"),
                "cluster.local");
        tight.requireRoomFor(1);
        assertThatThrownBy(() -> tight.requireRoomFor(3)).isInstanceOf(CidrException.class)
                .hasMessageContaining("3 nodes need 4 blocks of /24").hasMessageContaining("larger clusterCidr");
        ClusterNetwork single = new ClusterNetwork(ClusterNetwork.DEFAULT_SERVICE_CIDR, cidr("10.50.0.0/24"), cidr("10.50.0.0/24"),
                "cluster.local");
        assertThatThrownBy(() -> single.requireRoomFor(1)).as("one node needs the node network too")
                .hasMessageContaining("1 nodes need 2 blocks");
        assertThat(single.maxNodes()).isZero();
        ClusterNetwork tiny = new ClusterNetwork(ClusterNetwork.DEFAULT_SERVICE_CIDR, cidr("10.50.0.0/24"), cidr("10.50.0.0/29"),
                "cluster.local");
        assertThat(tiny.maxNodes()).as("a /29 node network: host and 5 nodes").isEqualTo(5);
    }

    @Test
    void refusesNetworksThatDoNotFitTogether() {
        Cidr services = ClusterNetwork.DEFAULT_SERVICE_CIDR;
        assertThatThrownBy(() -> new ClusterNetwork(services, cidr("10.244.0.0/16"), cidr("10.245.0.0/24"), "cluster.local"))
                .isInstanceOf(CidrException.class).hasMessageStartingWith("podCidr: ").hasMessageContaining("inside clusterCidr");
        assertThatThrownBy(() -> new ClusterNetwork(services, cidr("10.244.0.0/24"), cidr("10.244.0.0/16"), "cluster.local"))
                .hasMessageContaining("inside clusterCidr");
        assertThatThrownBy(() -> new ClusterNetwork(cidr("10.244.0.0/16"), cidr("10.244.0.0/16"), cidr("10.244.0.0/24"),
                "cluster.local")).hasMessageStartingWith("serviceCidr: ").hasMessageContaining("overlaps");
        assertThatThrownBy(() -> new ClusterNetwork(cidr("10.0.0.0/8"), cidr("10.244.0.0/16"), cidr("10.244.0.0/24"),
                "cluster.local")).hasMessageContaining("overlaps");
        assertThatThrownBy(() -> new ClusterNetwork(cidr("10.96.0.0/32"), cidr("10.244.0.0/16"), cidr("10.244.0.0/24"),
                "cluster.local")).hasMessageContaining("too small");
        assertThatThrownBy(() -> new ClusterNetwork(services, cidr("10.244.0.0/16"), cidr("10.244.0.0/24"), "Cluster_Local"))
                .hasMessageStartingWith("clusterDomain: ");
    }

    @Test
    void saysWhenTheServiceNetworkIsTooSmallForTheDns() {
        ClusterNetwork network = new ClusterNetwork(cidr("10.96.0.0/29"), ClusterNetwork.DEFAULT_CLUSTER_CIDR,
                ClusterNetwork.DEFAULT_POD_CIDR, "cluster.local");
        assertThat(network.kubernetesServiceAddress().getHostAddress()).isEqualTo("10.96.0.1");
        assertThatThrownBy(network::dnsAddress).hasMessageContaining("too small for the cluster DNS").hasMessageContaining("/28");
    }
}
