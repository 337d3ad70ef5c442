package io.polykube.api.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.polykube.api.error.PolykubeException;
import io.polykube.net.ClusterNetwork;
import io.polykube.runtime.binaries.KnownVersions;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ClusterSpecTest {
    private static ClusterSpec.Builder<ClusterSpec> valid() {
        return ClusterSpec.builder().name("unit").directory(Path.of("/tmp/polykube-unit")).mode(Mode.CONTROL_PLANE);
    }

    @Test
    void hasSensibleDefaults() {
        ClusterSpec spec = valid().build();
        assertThat(spec.kubernetesVersion()).isEqualTo(KnownVersions.DEFAULT_VERSION);
        assertThat(spec.apiServer().serviceCidr()).hasToString("10.96.0.0/16");
        assertThat(spec.node().podCidr()).hasToString("10.244.0.0/24");
        assertThat(spec.node().dns()).isTrue();
        assertThat(valid().node(n -> n.dns(false)).build().node().dns()).isFalse();
        assertThat(spec.etcd().unsafeNoFsync()).isFalse();
        assertThat(spec.startTimeout()).isEqualTo(Duration.ofMinutes(3));
        assertThat(ClusterSpec.builder().name("x").mode(Mode.CONTROL_PLANE).build().directory())
                .isEqualTo(ClusterSpec.defaultDirectory("x"));
    }

    @Test
    void takesAKnownMinorAtItsPinnedPatchOrAnExactPatchOfOne() {
        assertThat(valid().kubernetesVersion("1.36").build().kubernetesVersion()).isEqualTo("1.36.5");
        assertThat(valid().kubernetesVersion(" 1.36.3 ").build().kubernetesVersion()).isEqualTo("1.36.3");
        assertThat(valid().kubernetesVersion("1.33").build().kubernetesVersion()).isEqualTo("1.33.13");
        assertThat(valid().kubernetesVersion("default").build().kubernetesVersion()).isEqualTo(KnownVersions.DEFAULT_VERSION);
        assertThatThrownBy(() -> valid().kubernetesVersion("v1.36").build()).isInstanceOf(PolykubeException.class)
                .hasMessageContaining("without the leading 'v'");
        assertThatThrownBy(() -> valid().kubernetesVersion("all").build()).hasMessageContaining("one is needed here");
    }

    @Test
    void makesItsNetworkFromTheOptionsWithOneDefaultEach() {
        ClusterNetwork network = valid().build().network();
        assertThat(network).isEqualTo(ClusterNetwork.defaults());
        assertThat(network.serviceCidr()).hasToString("10.96.0.0/16");
        assertThat(network.dnsAddress().getHostAddress()).isEqualTo("10.96.0.10");
        assertThat(network.gateway().getHostAddress()).isEqualTo("10.244.0.1");
        ClusterNetwork chosen = valid().apiServer(a -> a.serviceCidr("172.20.0.0/16"))
                .node(n -> n.clusterCidr("10.50.0.0/22").podCidr("10.50.1.0/24")).build().network();
        assertThat(chosen.serviceCidr()).hasToString("172.20.0.0/16");
        assertThat(chosen.podCidr(1)).hasToString("10.50.2.0/24");
        assertThat(chosen.nodeNetwork()).hasToString("10.50.3.0/24");
    }

    @Test
    void plansTheWorkersPodCidrsAndNodeAddressesInsideTheClusterCidr() {
        var node = NodeOptions.builder().count(3).build();
        assertThat(node.workerNames()).containsExactly("worker-1", "worker-2");
        ClusterNetwork network = valid().node(n -> n.count(1)).build().network();
        assertThat(network.podCidr(1)).hasToString("10.244.1.0/24");
        assertThat(network.podCidr(2)).hasToString("10.244.2.0/24");
        assertThat(network.nodeNetwork()).hasToString("10.244.255.0/24");
        assertThat(network.nodeAddress(2).getHostAddress()).isEqualTo("10.244.255.4");
    }

    @Test
    void refusesAFullClusterDirectoryTooDeepForKubeletsSocketsNamingTheRoom() {
        Path deep = Path.of("/tmp/polykube-bench12242663636287429924/endurance/nodes");
        assertThatThrownBy(() -> ClusterSpec.builder().name("deep").directory(deep).mode(Mode.FULL).nodes(n -> n.count(3)).build())
                .isInstanceOf(PolykubeException.class)
                .hasMessageContaining("directory " + deep + " is too deep for mode FULL with 3 nodes")
                .hasMessageContaining("worker-2/kubelet/pod-resources")
                .hasMessageContaining("give a directory of at most 54 characters");
        assertThat(ClusterSpec.builder().name("deep").directory(deep).mode(Mode.FULL).build().node().count()).isEqualTo(1);
        assertThat(ClusterSpec.builder().name("deep").directory(deep).mode(Mode.CONTROL_PLANE).build().mode())
                .isEqualTo(Mode.CONTROL_PLANE);
    }

    @Test
    void refusesNodeCountsThatDoNotFit() {
        assertThatThrownBy(() -> valid().nodes(n -> n.count(0)).build()).hasMessageContaining("node count 0");
        assertThatThrownBy(() -> valid().nodes(n -> n.count(17)).build()).hasMessageContaining("1..16");
        assertThatThrownBy(() -> valid().nodes(n -> n.count(3).clusterCidr("10.50.0.0/23").podCidr("10.50.0.0/24"))
                .build()).hasMessageContaining("3 nodes need 4 blocks of /24").hasMessageContaining("larger clusterCidr");
        assertThatThrownBy(() -> valid().mode(Mode.CONTROL_PLANE).nodes(n -> n.count(2)).build()).hasMessageContaining("mode FULL");
        assertThatThrownBy(() -> valid().nodes(n -> n.name("worker-1")).build()).hasMessageContaining("taken by the workers");
    }

    @Test
    void equalInputGivesEqualSpecs() {
        assertThat(valid().etcd(e -> e.unsafeNoFsync(true)).build()).isEqualTo(valid().etcd(e -> e.unsafeNoFsync(true)).build());
        assertThat(valid().build()).isNotEqualTo(valid().etcd(e -> e.unsafeNoFsync(true)).build());
    }

    @Test
    void refusesBadInputNamingTheOption() {
        assertThatThrownBy(() -> valid().name("").build()).hasMessageContaining("name ''");
        assertThatThrownBy(() -> valid().name("a-very-long-cluster-name").build()).hasMessageContaining("1 to 16");
        assertThatThrownBy(() -> valid().kubernetesVersion("1.32").build()).hasMessageContaining("not a version polykube knows")
                .hasMessageContaining("1.33, 1.34, 1.35, 1.36, 1.37");
        assertThatThrownBy(() -> valid().kubernetesVersion("latest").build()).hasMessageContaining("invalid Kubernetes version 'latest'");
        assertThatThrownBy(() -> valid().startTimeout(Duration.ZERO).build()).hasMessageContaining("startTimeout");
        assertThatThrownBy(() -> valid().apiServer(a -> a.serviceCidr("10.244.0.0/16")).build()).hasMessageContaining("overlaps");
        assertThatThrownBy(() -> valid().node(n -> n.podCidr("10.245.0.0/24")).build()).hasMessageContaining("inside clusterCidr");
        assertThatThrownBy(() -> valid().node(n -> n.taint("nope")).build()).hasMessageContaining("taint 'nope'");
        assertThatThrownBy(() -> valid().apiServer(a -> a.securePort(70000))).isInstanceOf(PolykubeException.class).hasMessageContaining("out of range");
        assertThatThrownBy(() -> valid().etcd(e -> e.flag("quota", "1").flag("quota", "2"))).hasMessageContaining("set twice");
        assertThatThrownBy(() -> valid().pki(p -> p.validity(Duration.ofDays(-1))).build()).hasMessageContaining("validity");
        assertThatThrownBy(() -> valid().binaryDirectory(Path.of("relative")).build()).hasMessageContaining("absolute");
    }

    @Test
    void encryptsSecretsAndAuditsByDefaultAndRefusesContradictions() {
        ClusterSpec spec = valid().build();
        assertThat(spec.apiServer().encryption().resources()).containsExactly("secrets");
        assertThat(spec.apiServer().audit().enabled()).isTrue();
        assertThat(spec.apiServer().audit().policy()).isEqualTo(io.polykube.config.audit.AuditPolicy.defaults());
        assertThat(valid().apiServer(a -> a.encryptConfigMaps(true)).build().apiServer().encryption().resources())
                .containsExactly("secrets", "configmaps");
        assertThat(valid().apiServer(a -> a.encryptionAtRest(false)).build().apiServer().encryption().enabled()).isFalse();
        assertThatThrownBy(() -> valid().apiServer(a -> a.encryptionAtRest(false).encryptConfigMaps(true)).build())
                .hasMessageContaining("encryption is off");
        assertThatThrownBy(() -> valid().apiServer(a -> a.auditPolicy(Path.of("/nonexistent/policy.yaml"))).build())
                .hasMessageContaining("/nonexistent/policy.yaml").hasMessageContaining("does not exist");
        assertThatThrownBy(() -> valid().apiServer(a -> a.auditLogLimits(0, 1)).build()).hasMessageContaining("at least 1");
        assertThatThrownBy(() -> valid().apiServer(a -> a.flag("audit-log-maxage", "1")).build())
                .hasMessageContaining("--audit-log-maxage is set by polykube").hasMessageContaining("auditLogLimits");
        assertThatThrownBy(() -> valid().apiServer(a -> a.flag("--encryption-provider-config", "/x")).build())
                .hasMessageContaining("encryptionAtRest");
    }
}
