package io.polykube.api.internal.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.polykube.api.layout.NodeDirectories;
import io.polykube.net.ClusterNetwork;
import io.polykube.runtime.binaries.ClusterBinary;
import io.polykube.runtime.binaries.ResolvedBinary;
import io.polykube.runtime.binaries.Source;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterDnsTest {
    private final ClusterDns dns = new ClusterDns("unit",
            new ResolvedBinary(ClusterBinary.COREDNS, Path.of("/x/coredns"), "1.14.1", Source.CACHE), new NodeDirectories(Path.of("/x/node")), "cluster.local",
            ClusterNetwork.defaults().dnsAddress());

    @Test
    void answersForTheClusterDomainOnlyAndNeverForwards() {
        String corefile = dns.corefile();
        assertThat(corefile).startsWith("cluster.local:53 in-addr.arpa:53 ip6.arpa:53 {")
                .contains("kubernetes cluster.local in-addr.arpa ip6.arpa {")
                .contains(".:53 {\n    errors\n    template ANY ANY {\n        rcode NXDOMAIN\n    }\n}")
                .doesNotContain("forward").doesNotContain("resolv.conf").doesNotContain("fallthrough");
    }

    @Test
    void theServiceIsTheTenthAddressAndTheDeploymentRunsTheLocalImage() {
        assertThat(dns.serviceIp().getHostAddress()).isEqualTo("10.96.0.10");
        List<HasMetadata> objects = dns.objects();
        assertThat(objects).extracting(HasMetadata::getKind)
                .containsExactly("ServiceAccount", "ClusterRole", "ClusterRoleBinding", "ConfigMap", "Deployment", "Service");
        Service service = (Service) objects.get(5);
        assertThat(service.getMetadata().getName()).isEqualTo("kube-dns");
        assertThat(service.getMetadata().getNamespace()).isEqualTo("kube-system");
        assertThat(service.getSpec().getClusterIP()).isEqualTo("10.96.0.10");
        assertThat(service.getSpec().getPorts()).extracting(p -> p.getProtocol() + "/" + p.getPort()).containsExactly("UDP/53", "TCP/53");
        var pod = ((Deployment) objects.get(4)).getSpec().getTemplate().getSpec();
        assertThat(pod.getDnsPolicy()).isEqualTo("Default");
        assertThat(pod.getContainers()).singleElement().satisfies(c -> {
            assertThat(c.getImage()).isEqualTo("polykube.local/coredns:1.14.1");
            assertThat(c.getImagePullPolicy()).isEqualTo("Never");
        });
    }

    @Test
    void queriesAreWellFormed() {
        byte[] query = DnsQuery.encode(0x1234, "kubernetes.default.svc.cluster.local");
        assertThat(query).startsWith(0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 10);
        assertThat(query).endsWith(5, 'l', 'o', 'c', 'a', 'l', 0, 0, 1, 0, 1);
        assertThat(query).hasSize(12 + 1 + "kubernetes.default.svc.cluster.local".length() + 1 + 4);
    }
}
