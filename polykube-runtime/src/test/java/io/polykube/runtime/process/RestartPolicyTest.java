package io.polykube.runtime.process;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RestartPolicyTest {

    @Test
    void backoffDoublesUpToTheMaximum() {
        RestartPolicy p = RestartPolicy.onFailure(10, Duration.ofMillis(100), Duration.ofMillis(700));

        assertThat(p.backoff(1)).isEqualTo(Duration.ofMillis(100));
        assertThat(p.backoff(2)).isEqualTo(Duration.ofMillis(200));
        assertThat(p.backoff(3)).isEqualTo(Duration.ofMillis(400));
        assertThat(p.backoff(4)).isEqualTo(Duration.ofMillis(700));
        assertThat(p.backoff(60)).isEqualTo(Duration.ofMillis(700));
    }

    @Test
    void countsRestarts() {
        RestartPolicy p = RestartPolicy.onFailure(2, Duration.ofMillis(1), Duration.ofMillis(1));

        assertThat(p.allowsRestart(0)).isTrue();
        assertThat(p.allowsRestart(1)).isTrue();
        assertThat(p.allowsRestart(2)).isFalse();
        assertThat(RestartPolicy.never().allowsRestart(0)).isFalse();
    }

    @Test
    void rejectsInvalidValues() {
        assertThatThrownBy(() -> RestartPolicy.onFailure(-1, Duration.ZERO, Duration.ZERO))
                .hasMessageContaining("maxRestarts must be >= 0");
        assertThatThrownBy(() -> RestartPolicy.onFailure(1, Duration.ofSeconds(-1), Duration.ZERO))
                .hasMessageContaining("initialBackoff must not be negative");
        assertThatThrownBy(() -> RestartPolicy.onFailure(1, Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .hasMessageContaining("maxBackoff");
    }
}
