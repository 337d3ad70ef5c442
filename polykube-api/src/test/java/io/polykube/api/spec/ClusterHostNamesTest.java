package io.polykube.api.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ClusterHostNamesTest {

    @Test
    void derivesEveryHostNameFromTheClusterName() {
        ClusterHostNames names = ClusterHostNames.of("quickstart");
        assertThat(names.bridge()).isEqualTo("pk-quickstart");
        assertThat(names.chain()).isEqualTo("POLYKUBE-QUICKSTART");
        assertThat(names.forwardChain()).isEqualTo("POLYKUBE-QUICKSTART-F");
        assertThat(names.cniNetwork()).isEqualTo("polykube-quickstart");
        assertThat(names.containerdSocket()).isEqualTo(Path.of("/run/polykube/quickstart/containerd.sock"));
        assertThat(names.containerdSocket("worker-1")).isEqualTo(Path.of("/run/polykube/quickstart/worker-1/containerd.sock"));
        assertThat(names.netns("worker-1")).isEqualTo("polykube-quickstart-worker-1");
        assertThat(names.veth("worker-1")).matches("pkv[0-9a-f]{8}");
        assertThat(names.cgroupRoot("worker-1")).isEqualTo("/polykube.quickstart.worker-1");
    }

    @Test
    void aLongNameGetsAShortenedBridgeThatStaysDistinct() {
        assertThat(ClusterHostNames.of("a-very-long-name").bridge()).hasSize(15).startsWith("pk-a-very-");
        assertThat(ClusterHostNames.of("a-very-long-name").chain()).isEqualTo("POLYKUBE-A-VERY-LONG-NAME");
        assertThat(ClusterHostNames.of("twelve-chars").bridge()).isEqualTo("pk-twelve-chars");
        assertThat(ClusterHostNames.of("conformance-run1").bridge()).isNotEqualTo(ClusterHostNames.of("conformance-run2").bridge());
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "0", "quickstart", "twelve-chars", "thirteen-chars", "a-very-long-name", "zzzzzzzzzzzzzzzz",
            "0-0-0-0-0-0-0-09"})
    void everyDerivedNameFitsTheHostsLimits(String cluster) {
        ClusterHostNames names = ClusterHostNames.of(cluster);
        assertThat(names.bridge()).hasSizeLessThanOrEqualTo(ClusterHostNames.MAX_INTERFACE_NAME);
        assertThat(names.chain()).hasSizeLessThanOrEqualTo(ClusterHostNames.MAX_CHAIN_NAME);
        assertThat(names.forwardChain()).hasSizeLessThanOrEqualTo(ClusterHostNames.MAX_CHAIN_NAME);
        for (String worker : List.of("worker-1", "worker-15")) {
            assertThat(names.veth(worker)).hasSizeLessThanOrEqualTo(ClusterHostNames.MAX_INTERFACE_NAME);
        }
        assertThat(ClusterHostNames.MAX_INTERFACE_NAME).isEqualTo(15);
        assertThat(ClusterHostNames.MAX_CHAIN_NAME).isEqualTo(28);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a-very-long-name1", "Upper", "-dash", "dash-", "under_score", "dot.ted"})
    void refusesNamesThatBreakTheRule(String cluster) {
        assertThatThrownBy(() -> ClusterHostNames.of(cluster)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be 1 to 16 lower case letters, digits or '-'");
    }
}
