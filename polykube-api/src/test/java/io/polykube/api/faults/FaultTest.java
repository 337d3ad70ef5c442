package io.polykube.api.faults;

import static io.polykube.api.faults.FaultAction.closeConnection;
import static io.polykube.api.faults.FaultAction.conflict;
import static io.polykube.api.faults.FaultAction.endWatchAfter;
import static io.polykube.api.faults.FaultAction.latency;
import static io.polykube.api.faults.FaultAction.status;
import static io.polykube.api.faults.FaultAction.tooManyRequests;
import static io.polykube.api.faults.RequestMatcher.anyRequest;
import static io.polykube.api.faults.RequestMatcher.requests;
import static io.polykube.api.faults.RequestMatcher.update;
import static io.polykube.api.faults.RequestMatcher.watch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class FaultTest {
    private static FaultRequest request(String verb, String group, String resource, String sub, String ns, String name) {
        return new FaultRequest(verb, group, resource, sub, ns, name, "alice", List.of("dev"), "/x");
    }

    @Test
    void badRulesAreRefusedWhenMadeNamingTheProblem() {
        assertThatThrownBy(() -> status(302, null)).hasMessageContaining("302 is not an error status")
                .hasMessageContaining("400 to 599");
        assertThatThrownBy(() -> status(600, null)).hasMessageContaining("600");
        assertThatThrownBy(() -> latency(Duration.ofMillis(-1))).hasMessageContaining("latency: the delay must not be negative");
        assertThatThrownBy(() -> endWatchAfter(-2)).hasMessageContaining("must not be negative, was -2");
        assertThatThrownBy(() -> tooManyRequests(Duration.ZERO)).hasMessageContaining("retryAfter must be positive");
        Fault fault = Fault.on(update("configmaps")).then(conflict());
        assertThatThrownBy(() -> fault.times(0)).hasMessageContaining("at least once, was 0");
        assertThatThrownBy(() -> fault.times(-1)).hasMessageContaining("was -1");
        assertThatThrownBy(() -> fault.withProbability(1.5)).hasMessageContaining("1.5 is not a probability");
        assertThatThrownBy(() -> fault.withProbability(0)).hasMessageContaining("not a probability");
        assertThatThrownBy(() -> fault.after(Duration.ofSeconds(-1))).hasMessageContaining("after: the delay must not be negative");
        assertThatThrownBy(() -> fault.lasting(Duration.ZERO)).hasMessageContaining("lasting: the period must be positive");
        assertThatThrownBy(() -> Fault.on(update("configmaps")).then(endWatchAfter(1)))
                .hasMessageContaining("acts on a watch's events").hasMessageContaining("Fault.on(watch(");
        assertThatThrownBy(() -> update("pods/")).hasMessageContaining("not resource[.group][/subresource]");
        assertThatThrownBy(() -> anyRequest().verbs("fetch")).hasMessageContaining("'fetch' is not a Kubernetes verb");
        assertThatThrownBy(() -> anyRequest().in(" ")).hasMessageContaining("namespace: must not be blank");
    }

    @Test
    void matchersReadResourceGroupAndSubresource() {
        assertThat(update("deployments.apps").in("demo").test(request("update", "apps", "deployments", "", "demo", "web"))).isTrue();
        assertThat(update("deployments.apps").test(request("update", "extensions", "deployments", "", "demo", "web"))).isFalse();
        assertThat(update("deployments").test(request("update", "apps", "deployments", "", "demo", "web"))).isTrue();
        assertThat(update("deployments").test(request("update", "apps", "deployments", "status", "demo", "web"))).isFalse();
        assertThat(update("deployments.apps/status").test(request("update", "apps", "deployments", "status", "demo", "web")))
                .isTrue();
        assertThat(requests("pods/log").test(request("get", "", "pods", "log", "demo", "p"))).isTrue();
        assertThat(anyRequest().by("alice").test(request("list", "", "pods", "", "", ""))).isTrue();
        assertThat(anyRequest().by("bob").test(request("list", "", "pods", "", "", ""))).isFalse();
        assertThat(anyRequest().named("x").test(request("get", "", "pods", "", "d", "y"))).isFalse();
    }

    @Test
    void rulesDescribeThemselves() {
        Fault fault = Fault.on(update("configmaps").in("demo")).then(conflict()).times(2);
        assertThat(fault).hasToString("on update configmaps in demo: 409 Conflict, 2 times");
        assertThat(Fault.on(watch("pods")).then(FaultAction.expireWatchAfter(3)).withProbability(0.5).lasting(Duration.ofSeconds(1)))
                .hasToString("on watch pods: expire the watch (410) after 3 events, probability 0.5, lasting 1000 ms");
        assertThat(tooManyRequests(Duration.ofMillis(1500)).duration()).isEqualTo(Duration.ofSeconds(2));
        assertThat(closeConnection().kind()).isEqualTo(FaultAction.Kind.CLOSE_CONNECTION);
        assertThat(fault).isEqualTo(Fault.on(update("configmaps").in("demo")).then(conflict()).times(2));
    }
}
