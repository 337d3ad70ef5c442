package io.polykube.runtime.binaries;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KnownVersionsTest {

    @Test
    void thePinnedPatchesAndDefaultAreBuiltOnFirstUseOtherPatchesAreNot() {
        for (KubernetesRelease release : KnownVersions.all()) {
            assertThat(KnownVersions.isPinned(release.patch())).as(release.patch()).isTrue();
            assertThat(KnownVersions.isPinned(release.minor() + ".0")).as(release.minor() + ".0")
                    .isEqualTo(release.patch().equals(release.minor() + ".0"));
        }
        assertThat(KnownVersions.isPinned("default")).isTrue();
        assertThatThrownBy(() -> KnownVersions.isPinned("1.20.1")).hasMessageContaining("is not a version polykube knows");
    }

    @Test
    void theTableHoldsEveryMinorFrom133To137WithItsPins() {
        assertThat(KnownVersions.all()).extracting(KubernetesRelease::minor)
                .containsExactly("1.33", "1.34", "1.35", "1.36", "1.37");
        assertThat(KnownVersions.all()).extracting(KubernetesRelease::patch)
                .containsExactly("1.33.13", "1.34.12", "1.35.8", "1.36.5", "1.37.2");
        assertThat(KnownVersions.all()).extracting(KubernetesRelease::etcd)
                .containsExactly("3.5.33", "3.6.16", "3.6.6", "3.6.8", "3.7.0");
        assertThat(KnownVersions.all()).extracting(KubernetesRelease::coreDns)
                .containsExactly("1.12.0", "1.14.1", "1.13.1", "1.14.2", "1.14.6");
        assertThat(KnownVersions.all()).extracting(KubernetesRelease::go)
                .containsExactly("1.25.0", "1.26.0", "1.25.0", "1.26.0", "1.26.0");
        assertThat(KnownVersions.oldest().minor()).isEqualTo("1.33");
        assertThat(KnownVersions.newest().minor()).isEqualTo("1.37");
    }

    @Test
    void etcdAndCoreDnsAreKubeadmsButWhereTheJavadocSaysWhyNot() {
        // 1.33: kubeadm's etcd 3.5.24 lacks etcdctl and etcdutl on the proxy; 1.34: the default's proven pair is kept
        assertThat(KnownVersions.all()).filteredOn(r -> !r.etcd().equals(r.kubeadmEtcd()))
                .extracting(KubernetesRelease::minor).containsExactly("1.33", "1.34");
        assertThat(KnownVersions.all()).filteredOn(r -> !r.coreDns().equals(r.kubeadmCoreDns()))
                .extracting(KubernetesRelease::minor).containsExactly("1.34");
        assertThat(KnownVersions.all()).extracting(KubernetesRelease::kubeadmEtcd)
                .containsExactly("3.5.24", "3.6.5", "3.6.6", "3.6.8", "3.7.0");
        assertThat(KnownVersions.all()).extracting(KubernetesRelease::kubeadmCoreDns)
                .containsExactly("1.12.0", "1.12.1", "1.13.1", "1.14.2", "1.14.6");
    }

    @Test
    void upstreamSupportOnTheDayItWasChecked() {
        assertThat(KnownVersions.SUPPORT_CHECKED_ON).hasToString("2026-12-04");
        assertThat(KnownVersions.supported()).extracting(KubernetesRelease::minor).containsExactly("1.35", "1.36", "1.37");
        assertThat(KnownVersions.select("supported")).extracting(BinaryVersions::kubernetes)
                .containsExactly("1.35.8", "1.36.5", "1.37.2");
    }

    @Test
    void whatDiffersByMinor() {
        assertThat(KnownVersions.all()).filteredOn(KubernetesRelease::kubeletFailsOnCgroupV1)
                .extracting(KubernetesRelease::minor).containsExactly("1.35", "1.36", "1.37");
        assertThat(KnownVersions.all()).filteredOn(KubernetesRelease::supportsContainerd1)
                .extracting(KubernetesRelease::minor).containsExactly("1.33", "1.34", "1.35");
        assertThat(KnownVersions.all()).extracting(KubernetesRelease::lockedGaFeatureGate)
                .containsOnly("NodeInclusionPolicyInPodTopologySpread");
    }

    @Test
    void aMinorTakesItsPinnedPatchWithItsEtcdAndCoreDns() {
        assertThat(KnownVersions.resolve("1.36")).isEqualTo(BinaryVersions.of("1.36.5", "3.6.8", "1.14.2"));
        assertThat(KnownVersions.resolve("1.33")).isEqualTo(BinaryVersions.of("1.33.13", "3.5.33", "1.12.0"));
        assertThat(KnownVersions.resolve(" 1.37 ")).isEqualTo(BinaryVersions.of("1.37.2", "3.7.0", "1.14.6"));
        assertThat(KnownVersions.release("1.35").patch()).isEqualTo("1.35.8");
    }

    @Test
    void anExactPatchOfAKnownMinorIsTakenAsIs() {
        assertThat(KnownVersions.resolve("1.36.3")).isEqualTo(BinaryVersions.of("1.36.3", "3.6.8", "1.14.2"));
        assertThat(KnownVersions.resolve("1.34.4")).isEqualTo(BinaryVersions.of("1.34.4", "3.6.16", "1.14.1"));
        // whether the proxy serves a patch is learnt when it is built
        assertThat(KnownVersions.resolve("1.34.99").kubernetes()).isEqualTo("1.34.99");
        assertThat(KnownVersions.release("1.36.3").minor()).isEqualTo("1.36");
    }

    @Test
    void defaultIsOneConstant() {
        assertThat(KnownVersions.DEFAULT_VERSION).as("the newest pinned patch").isEqualTo(KnownVersions.newest().patch())
                .isEqualTo("1.37.2");
        assertThat(KnownVersions.resolve("default")).isEqualTo(KnownVersions.defaults());
        assertThat(KnownVersions.resolve("DEFAULT").kubernetes()).isEqualTo("1.37.2");
        assertThat(KnownVersions.defaultRelease().minor()).isEqualTo("1.37");
        assertThat(KnownVersions.select("default")).containsExactly(KnownVersions.defaults());
        assertThat(ClusterBinarySet.COREDNS_VERSION).isEqualTo(KnownVersions.defaults().coreDns());
    }

    @Test
    void allIsEveryKnownMinorAtItsPinnedPatch() {
        List<BinaryVersions> all = KnownVersions.select("all");
        assertThat(all).extracting(BinaryVersions::kubernetes).containsExactly("1.33.13", "1.34.12", "1.35.8", "1.36.5", "1.37.2");
        assertThat(all).extracting(BinaryVersions::etcd).containsExactly("3.5.33", "3.6.16", "3.6.6", "3.6.8", "3.7.0");
        assertThat(KnownVersions.select("1.35")).containsExactly(KnownVersions.resolve("1.35"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.32", "1.38", "1.38.0", "2.0", "0.34.4", "1.32.9"})
    void anUnknownMinorIsRefusedNamingTheKnownOnes(String version) {
        assertThatThrownBy(() -> KnownVersions.resolve(version))
                .isInstanceOf(BinaryException.class)
                .hasMessageContaining("is not a version polykube knows")
                .hasMessageContaining("1.33, 1.34, 1.35, 1.36, 1.37")
                .hasMessageContaining("1.37.2");
    }

    @ParameterizedTest
    @ValueSource(strings = {"v1.36", "1.36.x", "latest", "1.38.0-beta.0", "1.036", "", "1.36.3.1"})
    void aMalformedVersionIsRefusedSayingWhatIsAccepted(String version) {
        assertThatThrownBy(() -> KnownVersions.resolve(version))
                .isInstanceOf(BinaryException.class)
                .hasMessageContaining("invalid Kubernetes version '" + version + "'")
                .hasMessageContaining("a known minor (1.33, 1.34, 1.35, 1.36, 1.37)")
                .hasMessageContaining("default");
        assertThatThrownBy(() -> KnownVersions.resolve("v1.36")).hasMessageContaining("without the leading 'v'");
        assertThatThrownBy(() -> KnownVersions.resolve(null)).isInstanceOf(BinaryException.class)
                .hasMessageContaining("no Kubernetes version given");
    }

    @Test
    void severalVersionsWhereOneIsNeededIsRefused() {
        assertThatThrownBy(() -> KnownVersions.resolve("all")).isInstanceOf(BinaryException.class)
                .hasMessageContaining("names several Kubernetes versions");
        assertThatThrownBy(() -> KnownVersions.resolve("supported")).isInstanceOf(BinaryException.class)
                .hasMessageContaining("names several Kubernetes versions");
    }

    @Test
    void theNodeRuntimeAndTheGoEverythingNeeds() {
        NodeRuntime runtime = KnownVersions.nodeRuntime();
        assertThat(runtime).isEqualTo(new NodeRuntime("2.4.2", "1.5.3", "1.10.0", "1.26.8"));
        assertThat(KnownVersions.minimumGo()).isEqualTo("1.26.8");
    }

    @Test
    void aRowIsCheckedWhenItIsMade() {
        assertThatThrownBy(() -> new KubernetesRelease("1.36", "1.35.8", "3.6.8", "3.6.8", "1.14.2", "1.14.2", "1.26.0", true,
                true, false, "G")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a patch of 1.36");
        assertThatThrownBy(() -> new KubernetesRelease("1.36", "1.36.5", "1.6.8", "3.6.8", "1.14.2", "1.14.2", "1.26.0", true,
                true, false, "G")).isInstanceOf(BinaryException.class).hasMessageContaining("unsupported etcd version");
        assertThatThrownBy(() -> KnownVersions.release("1.36").binaryVersions("1.35.8"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a patch of 1.36");
    }
}
