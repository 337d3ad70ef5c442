package io.polykube.api.internal.faults;

import static io.polykube.api.faults.FaultAction.conflict;
import static io.polykube.api.faults.FaultAction.internalError;
import static io.polykube.api.faults.RequestMatcher.anyRequest;
import static io.polykube.api.faults.RequestMatcher.update;
import static org.assertj.core.api.Assertions.assertThat;

import io.polykube.api.faults.Fault;
import io.polykube.api.faults.FaultRequest;
import io.polykube.api.faults.InjectedFault;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class RuleBookTest {
    private static final FaultRequest UPDATE = new FaultRequest("update", "", "configmaps", "", "demo", "settings", "op",
            List.of(), "/api/v1/namespaces/demo/configmaps/settings");
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-05T12:00:00Z"));
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };

    @Test
    void aCountedRuleAppliesThatManyTimesThenPassesAndTheLogSaysWhich() {
        RuleBook rules = new RuleBook(clock, () -> 0.0);
        InjectedFault twice = rules.add(Fault.on(update("configmaps")).then(conflict()).times(2));
        assertThat(rules.claim(UPDATE)).isPresent();
        assertThat(rules.claim(UPDATE)).isPresent();
        assertThat(rules.claim(UPDATE)).isEmpty();
        assertThat(twice.hits()).isEqualTo(2);
        assertThat(twice.active()).isFalse();
        assertThat(rules.log().entries()).extracting(e -> e.hit()).containsExactly(1, 2);
    }

    @Test
    void theFirstMatchingRuleInInjectionOrderWinsAndClosingWithdrawsIt() {
        RuleBook rules = new RuleBook(clock, () -> 0.0);
        InjectedFault first = rules.add(Fault.on(update("configmaps")).then(conflict()));
        rules.add(Fault.on(anyRequest()).then(internalError()));
        assertThat(rules.claim(UPDATE).orElseThrow().action().code()).isEqualTo(409);
        first.close();
        assertThat(rules.claim(UPDATE).orElseThrow().action().code()).isEqualTo(500);
        rules.clear();
        assertThat(rules.claim(UPDATE)).isEmpty();
        assertThat(rules.log().isEmpty()).isTrue();
    }

    @Test
    void timeWindowAndProbabilityBoundARule() {
        RuleBook rules = new RuleBook(clock, () -> 0.7);
        rules.add(Fault.on(update("configmaps")).then(conflict()).after(Duration.ofSeconds(1)).lasting(Duration.ofSeconds(2)));
        InjectedFault coin = rules.add(Fault.on(anyRequest()).then(internalError()).withProbability(0.5));
        assertThat(rules.claim(UPDATE)).isEmpty(); // not yet in force; the coin (0.7 >= 0.5) says pass
        now.set(now.get().plusSeconds(1));
        assertThat(rules.claim(UPDATE).orElseThrow().action().code()).isEqualTo(409);
        now.set(now.get().plusSeconds(2));
        assertThat(rules.claim(UPDATE)).isEmpty(); // past its period
        assertThat(coin.hits()).isZero();
    }
}
