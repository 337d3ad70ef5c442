package io.polykube.api.internal.node;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NodeCleanerTest {
    @Test
    void splitsIptablesRulesIntoWords() {
        assertThat(NodeCleaner.shellWords("-A OUTPUT -m comment --comment \"a b\" -j X")).containsExactly("-A", "OUTPUT", "-m",
                "comment", "--comment", "a b", "-j", "X");
    }
}
