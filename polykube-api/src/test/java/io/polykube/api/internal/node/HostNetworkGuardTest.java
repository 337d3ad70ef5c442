package io.polykube.api.internal.node;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HostNetworkGuardTest {

    @Test
    void findsEveryJumpToTheGuardByNumberTheCommentedOneTooAndNoOtherRule() {
        String listing = """
                Chain OUTPUT (policy ACCEPT)
                num  target     prot opt source               destination
                1    POLYKUBE-ENDURE-KILL  0    --  0.0.0.0/0            0.0.0.0/0            /* polykube endure-kill: guard kept first */
                2    KUBE-SERVICES  0    --  0.0.0.0/0            0.0.0.0/0            /* kubernetes service portals */
                3    POLYKUBE-ENDURE-KILL  0    --  0.0.0.0/0            0.0.0.0/0
                4    POLYKUBE-ENDURE-KILL-F  0    --  0.0.0.0/0            0.0.0.0/0
                """;
        assertThat(HostNetworkGuard.jumpNumbers(listing, "POLYKUBE-ENDURE-KILL")).containsExactly(1, 3);
        assertThat(HostNetworkGuard.jumpNumbers("Chain OUTPUT (policy ACCEPT)\nnum  target prot\n", "X")).isEmpty();
    }
}
