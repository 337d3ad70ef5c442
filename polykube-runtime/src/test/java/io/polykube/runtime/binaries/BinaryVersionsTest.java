package io.polykube.runtime.binaries;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BinaryVersionsTest {

    @Test
    void defaultsAreTheTablesDefaultAndAgreeWithThePom() {
        BinaryVersions defaults = BinaryVersions.defaults();
        assertThat(defaults).isEqualTo(BinaryVersions.of("1.37.2", "3.7.0", "1.14.6"));
        assertThat(defaults.kubernetes()).isEqualTo(KnownVersions.DEFAULT_VERSION);
        // the parent pom's properties are where the integration tests look for the binaries: they must name the default
        assertThat(defaults.kubernetes()).as("parent pom's polykube.kubernetes.version")
                .isEqualTo(System.getProperty("polykube.kubernetes.version", defaults.kubernetes()));
        assertThat(defaults.etcd()).as("parent pom's polykube.etcd.version")
                .isEqualTo(System.getProperty("polykube.etcd.version", defaults.etcd()));
        NodeRuntime runtime = KnownVersions.nodeRuntime();
        assertThat(runtime.containerd()).as("parent pom's polykube.containerd.version")
                .isEqualTo(System.getProperty("polykube.containerd.version", runtime.containerd()));
        assertThat(runtime.runc()).as("parent pom's polykube.runc.version")
                .isEqualTo(System.getProperty("polykube.runc.version", runtime.runc()));
        assertThat(runtime.cniPlugins()).as("parent pom's polykube.cni-plugins.version")
                .isEqualTo(System.getProperty("polykube.cni-plugins.version", runtime.cniPlugins()));
    }

    @Test
    void withKubernetesGoesThroughTheTable() {
        BinaryVersions v136 = BinaryVersions.defaults().withKubernetes("1.36");
        assertThat(v136).isEqualTo(BinaryVersions.of("1.36.5", "3.6.8", "1.14.2"));
        assertThat(BinaryVersions.forKubernetes("1.33.9")).isEqualTo(BinaryVersions.of("1.33.9", "3.5.33", "1.12.0"));
        assertThat(v136.withEtcd("3.6.17").etcd()).isEqualTo("3.6.17");
        assertThat(v136.withCoreDns("1.14.7").coreDns()).isEqualTo("1.14.7");
        assertThatThrownBy(() -> BinaryVersions.defaults().withKubernetes("1.40"))
                .isInstanceOf(BinaryException.class).hasMessageContaining("1.33, 1.34, 1.35, 1.36, 1.37");
    }

    @Test
    void minorAndPatch() {
        BinaryVersions v = BinaryVersions.of("1.34.4", "3.6.16", "1.14.1");
        assertThat(v.kubernetesMinor()).isEqualTo(34);
        assertThat(v.kubernetesPatch()).isEqualTo(4);
        assertThat(ClusterBinarySet.KUBERNETES.version(v)).isEqualTo("1.34.4");
        assertThat(ClusterBinarySet.ETCD.version(v)).isEqualTo("3.6.16");
        assertThat(ClusterBinarySet.COREDNS.version(v)).isEqualTo("1.14.1");
        assertThat(ClusterBinarySet.PAUSE.version(v)).isEqualTo("1");
    }

    @Test
    void theNodeRuntimeIsOneForEveryKubernetesVersion() {
        for (KubernetesRelease release : KnownVersions.all()) {
            BinaryVersions v = release.binaryVersions();
            assertThat(ClusterBinarySet.CONTAINERD.version(v)).isEqualTo("2.4.2");
            assertThat(ClusterBinarySet.RUNC.version(v)).isEqualTo("1.5.3");
            assertThat(ClusterBinarySet.CNI_PLUGINS.version(v)).isEqualTo("1.10.0");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.34", "1.34.4.1", "1.34.x", "", "1.034.4", "latest", "1.34.4-rc.0"})
    void malformedKubernetesVersionIsRefused(String version) {
        assertThatThrownBy(() -> BinaryVersions.of(version, "3.6.16", "1.14.1"))
                .isInstanceOf(BinaryException.class)
                .hasMessageContaining("invalid kubernetes version '" + version + "'")
                .hasMessageContaining("MAJOR.MINOR.PATCH such as " + KnownVersions.DEFAULT_VERSION);
    }

    @Test
    void leadingVIsExplained() {
        assertThatThrownBy(() -> BinaryVersions.of("v1.34.4", "3.6.16", "1.14.1"))
                .isInstanceOf(BinaryException.class)
                .hasMessageContaining("without the leading 'v'");
    }

    @Test
    void unknownMajorIsRefused() {
        assertThatThrownBy(() -> BinaryVersions.of("2.0.0", "3.6.16", "1.14.1"))
                .isInstanceOf(BinaryException.class)
                .hasMessageContaining("unsupported kubernetes version '2.0.0'");
        assertThatThrownBy(() -> BinaryVersions.of("1.34.4", "3.4", "1.14.1"))
                .isInstanceOf(BinaryException.class)
                .hasMessageContaining("invalid etcd version '3.4'");
        assertThatThrownBy(() -> BinaryVersions.of("1.34.4", "4.0.0", "1.14.1"))
                .isInstanceOf(BinaryException.class)
                .hasMessageContaining("unsupported etcd version '4.0.0'");
        assertThatThrownBy(() -> BinaryVersions.of("1.34.4", "3.6.16", "v1.14.1"))
                .isInstanceOf(BinaryException.class)
                .hasMessageContaining("invalid coredns version 'v1.14.1'");
    }

    @Test
    void setDirectoryNames() {
        assertThat(ClusterBinarySet.KUBERNETES.dirName("1.34.4")).isEqualTo("kubernetes-v1.34.4");
        assertThat(ClusterBinarySet.ETCD.dirName("3.6.16")).isEqualTo("etcd-v3.6.16");
        assertThat(ClusterBinarySet.PAUSE.dirName(ClusterBinarySet.PAUSE_VERSION)).isEqualTo("pause-1");
        assertThat(ClusterBinarySet.KUBERNETES.binaries()).extracting(Binary::fileName).containsExactly(
                "kube-apiserver", "kube-controller-manager", "kube-scheduler", "kubelet", "kube-proxy", "kubectl");
        assertThat(ClusterBinarySet.ETCD.binaries()).extracting(Binary::fileName).containsExactly("etcd", "etcdctl", "etcdutl");
        assertThat(ClusterBinarySet.PAUSE.binaries()).containsExactly(ClusterBinary.PAUSE);
        assertThat(ClusterBinarySet.COREDNS.dirName(ClusterBinarySet.COREDNS_VERSION)).isEqualTo("coredns-v1.14.6");
        assertThat(ClusterBinarySet.COREDNS.binaries()).containsExactly(ClusterBinary.COREDNS);
        assertThat(ReleaseMirror.carries(ClusterBinarySet.COREDNS)).isFalse();
        assertThat(ReleaseMirror.carries(ClusterBinarySet.ETCD)).isTrue();
        assertThat(ClusterBinarySet.PAUSE.describe("1")).isEqualTo("pause 1");
        assertThat(ClusterBinarySet.ETCD.describe("3.6.16")).isEqualTo("etcd v3.6.16");
    }

    @Test
    void nodeRuntimeSets() {
        assertThat(ClusterBinarySet.CONTAINERD.dirName("2.4.2")).isEqualTo("containerd-v2.4.2");
        assertThat(ClusterBinarySet.CONTAINERD.binaries()).extracting(Binary::fileName)
                .containsExactly("containerd", "containerd-shim-runc-v2", "ctr");
        assertThat(ClusterBinarySet.RUNC.dirName("1.5.3")).isEqualTo("runc-v1.5.3");
        assertThat(ClusterBinarySet.RUNC.binaries()).containsExactly(ClusterBinary.RUNC);
        assertThat(ClusterBinarySet.CNI_PLUGINS.dirName("1.10.0")).isEqualTo("cni-plugins-v1.10.0");
        assertThat(ClusterBinarySet.CNI_PLUGINS.binaries()).extracting(Binary::fileName)
                .containsExactly("bridge", "host-local", "loopback", "portmap");
        for (BinarySet set : java.util.List.of(ClusterBinarySet.CONTAINERD, ClusterBinarySet.RUNC, ClusterBinarySet.CNI_PLUGINS)) {
            assertThat(ReleaseMirror.carries(set)).as(set.id()).isFalse();
            assertThat(BinariesSetup.parseSet(set.id())).isEqualTo(set);
        }
        assertThatThrownBy(() -> BinariesSetup.parseSet("cni")).hasMessageContaining("containerd, runc, cni-plugins");
    }
}
