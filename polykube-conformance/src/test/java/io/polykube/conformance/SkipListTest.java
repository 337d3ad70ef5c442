package io.polykube.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.polykube.api.error.PolykubeException;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SkipListTest {

    @Test
    void parsesEntriesWithReasonsAndIgnoresComments() {
        SkipList list = SkipList.parse("# comment\n\n\\[Serial\\] :: Serial: whole cluster\n"
                + "  a|b :: c :: the last separator splits  \n", "test");
        assertThat(list.entries()).containsExactly(new SkipList.Entry("\\[Serial\\]", "Serial: whole cluster"),
                new SkipList.Entry("a|b :: c", "the last separator splits"));
        assertThat(list.combined()).isEqualTo("(?:\\[Serial\\])|(?:a|b :: c)");
    }

    @Test
    void aLineWithoutReasonOrWithABadRegexIsAnErrorNamingTheLine() {
        assertThatThrownBy(() -> SkipList.parse("ok :: fine\n\\[Serial\\]\n", "skips.txt"))
                .isInstanceOf(PolykubeException.class).hasMessageContaining("skips.txt line 2")
                .hasMessageContaining("REGEX :: REASON");
        assertThatThrownBy(() -> SkipList.parse("([a :: broken\n", "skips.txt"))
                .isInstanceOf(PolykubeException.class).hasMessageContaining("skips.txt line 1")
                .hasMessageContaining("not a regular expression");
    }

    @Test
    void theShippedListSkipsSerialAndTwoNodeTestsButNotOrdinaryConformanceTests() {
        SkipList list = SkipList.defaults();
        assertThat(list.entries()).allSatisfy(e -> assertThat(e.reason()).isNotBlank());
        Pattern skip = Pattern.compile(list.combined());
        assertThat(skip.matcher("[sig-apps] Daemon set [Serial] should rollback without unnecessary restarts [Conformance]").find())
                .isTrue();
        assertThat(skip.matcher("[sig-architecture] Conformance Tests should have at least two untainted nodes [Conformance]")
                .find()).isTrue();
        assertThat(skip.matcher("[sig-storage] ConfigMap should be consumable from pods in volume [NodeConformance] [Conformance]")
                .find()).isFalse();
    }

    @Test
    void theShippedListSkipsTheTestsThatPullWithPolicyAlwaysInTheirNamesOf136And137() {
        Pattern skip = Pattern.compile(SkipList.defaults().combined());
        assertThat(skip.matcher("[sig-node] ImageVolume should succeed with pod and pull policy of Always [LinuxOnly] "
                + "[MinimumKubeletVersion:1.35] [Conformance]").find()).isTrue();
        assertThat(skip.matcher("[sig-auth] Projected PodCertificate [FeatureGate:PodCertificateRequest] "
                + "[FeatureGate:ClusterTrustBundle] [FeatureGate:ClusterTrustBundleProjection] should allow server and client "
                + "pods to establish an mTLS connection [MinimumKubeletVersion:1.37] [Conformance]").find()).isTrue();
        // with the labels at the end of the name, as 1.37's ginkgo may print them
        assertThat(skip.matcher("[sig-auth] Projected PodCertificate should allow server and client pods to establish an "
                + "mTLS connection [FeatureGate:PodCertificateRequest] [MinimumKubeletVersion:1.37] [Conformance]").find())
                .isTrue();
        // the other PodCertificate conformance tests pull nothing: they run
        assertThat(skip.matcher("[sig-auth] Projected PodCertificate [FeatureGate:PodCertificateRequest] should honor "
                + "UserAnnotations for SPIFFE URI path [MinimumKubeletVersion:1.37] [Conformance]").find()).isFalse();
    }

    @Test
    void aSingleNodeEntryAppliesOnlyToAOneNodeCluster() {
        SkipList list = SkipList.parse("\\[Serial\\] :: whole cluster\n@single-node two nodes :: needs two nodes\n", "test");
        assertThat(list.entries()).containsExactly(new SkipList.Entry("\\[Serial\\]", "whole cluster"),
                new SkipList.Entry("two nodes", "needs two nodes", true));
        assertThat(list.combined(1)).isEqualTo("(?:\\[Serial\\])|(?:two nodes)");
        assertThat(list.combined(2)).isEqualTo("(?:\\[Serial\\])");

        Pattern twoNodes = Pattern.compile(SkipList.defaults().combined(2));
        assertThat(twoNodes.matcher("[sig-architecture] Conformance Tests should have at least two untainted nodes [Conformance]")
                .find()).isFalse();
    }
}
