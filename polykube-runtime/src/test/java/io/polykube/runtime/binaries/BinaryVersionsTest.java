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
        assertThat(BinarySet.KUBERNETES.version(v)).isEqualTo("1.34.4");
        assertThat(BinarySet.ETCD.version(v)).isEqualTo("3.6.16");
        assertThat(BinarySet.COREDNS.version(v)).isEqualTo("1.14.1");
        assertThat(BinarySet.PAUSE.version(v)).isEqualTo("1");
    }

    @Test
    void theNodeRuntimeIsOneForEveryKubernetesVersion() {
        for (KubernetesRelease release : KnownVersions.all()) {
            BinaryVersions v = release.binaryVersions();
            assertThat(BinarySet.CONTAINERD.version(v)).isEqualTo("2.4.2");
            assertThat(BinarySet.RUNC.version(v)).isEqualTo("1.5.3");
            assertThat(BinarySet.CNI_PLUGINS.version(v)).isEqualTo("1.10.0");
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
        assertThat(BinarySet.KUBERNETES.dirName("1.34.4")).isEqualTo("kubernetes-v1.34.4");
        assertThat(BinarySet.ETCD.dirName("3.6.16")).isEqualTo("etcd-v3.6.16");
        assertThat(BinarySet.PAUSE.dirName(BinarySet.PAUSE_VERSION)).isEqualTo("pause-1");
        assertThat(BinarySet.KUBERNETES.binaries()).extracting(Binary::fileName).containsExactly(
                "kube-apiserver", "kube-controller-manager", "kube-scheduler", "kubelet", "kube-proxy", "kubectl");
        assertThat(BinarySet.ETCD.binaries()).extracting(Binary::fileName).containsExactly("etcd", "etcdctl", "etcdutl");
        assertThat(BinarySet.PAUSE.binaries()).containsExactly(Binary.PAUSE);
        assertThat(BinarySet.COREDNS.dirName(BinarySet.COREDNS_VERSION)).isEqualTo("coredns-v1.14.6");
        assertThat(BinarySet.COREDNS.binaries()).containsExactly(Binary.COREDNS);
        assertThat(BinarySet.COREDNS.onReleaseMirrors()).isFalse();
        assertThat(BinarySet.ETCD.onReleaseMirrors()).isTrue();
        assertThat(BinarySet.E2E.dirName("1.34.4")).isEqualTo("e2e-v1.34.4");
        assertThat(BinarySet.E2E.binaries()).containsExactly(Binary.E2E_TEST);
        assertThat(BinarySet.AGNHOST.dirName(BinarySet.AGNHOST_VERSION)).isEqualTo("agnhost-v2.56");
        assertThat(BinarySet.AGNHOST.version(BinaryVersions.defaults())).isEqualTo("2.56");
        assertThat(BinarySet.E2E.builtBySetup()).isFalse();
        assertThat(BinarySet.AGNHOST.builtBySetup()).isFalse();
        assertThat(BinarySet.GINKGO.dirName(BinarySet.GINKGO_VERSION)).isEqualTo("ginkgo-v2.21.0");
        assertThat(BinarySet.GINKGO.binaries()).containsExactly(Binary.GINKGO);
        assertThat(BinarySet.GINKGO.builtBySetup()).isFalse();
        assertThat(BinarySet.COREDNS.builtBySetup()).isTrue();
    }

    @Test
    void nodeRuntimeSets() {
        assertThat(BinarySet.CONTAINERD.dirName("2.4.2")).isEqualTo("containerd-v2.4.2");
        assertThat(BinarySet.CONTAINERD.binaries()).extracting(Binary::fileName)
                .containsExactly("containerd", "containerd-shim-runc-v2", "ctr");
        assertThat(BinarySet.RUNC.dirName("1.5.3")).isEqualTo("runc-v1.5.3");
        assertThat(BinarySet.RUNC.binaries()).containsExactly(Binary.RUNC);
        assertThat(BinarySet.CNI_PLUGINS.dirName("1.10.0")).isEqualTo("cni-plugins-v1.10.0");
        assertThat(BinarySet.CNI_PLUGINS.binaries()).extracting(Binary::fileName)
                .containsExactly("bridge", "host-local", "loopback", "portmap");
        for (BinarySet set : java.util.List.of(BinarySet.CONTAINERD, BinarySet.RUNC, BinarySet.CNI_PLUGINS)) {
            assertThat(set.builtBySetup()).as(set.id()).isTrue();
            assertThat(set.onReleaseMirrors()).as(set.id()).isFalse();
            assertThat(BinarySet.fromId(set.id())).isEqualTo(set);
        }
        assertThatThrownBy(() -> BinarySet.fromId("cni")).hasMessageContaining("containerd, runc, cni-plugins");
    }
}
