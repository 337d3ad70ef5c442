package io.polykube.api.internal.node;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NodeNamesTest {
    @Test
    void namesAreKernelSafe() {
        assertThat(HostNetworkGuard.bridgeName("quickstart")).isEqualTo("pk-quickstart");
        assertThat(HostNetworkGuard.bridgeName("a-very-long-name")).hasSizeLessThanOrEqualTo(15).startsWith("pk-a-very");
        assertThat(HostNetworkGuard.chainName("a-very-long-name")).hasSizeLessThanOrEqualTo(28).isEqualTo("POLYKUBE-A-VERY-LONG-NAME");
        assertThat(NodeCleaner.shellWords("-A OUTPUT -m comment --comment \"a b\" -j X")).containsExactly("-A", "OUTPUT", "-m",
                "comment", "--comment", "a b", "-j", "X");
    }
}
