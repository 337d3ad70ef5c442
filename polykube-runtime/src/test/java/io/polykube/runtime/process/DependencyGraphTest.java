package io.polykube.runtime.process;

import io.polykube.runtime.ProcessException;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DependencyGraphTest {

    @Test
    void ordersInLevelsWithIndependentOnesTogether() {
        Map<String, Set<String>> g = new LinkedHashMap<>();
        g.put("kube-proxy", Set.of("kubelet"));
        g.put("etcd", Set.of());
        g.put("apiserver", Set.of("etcd"));
        g.put("scheduler", Set.of("apiserver"));
        g.put("controller-manager", Set.of("apiserver"));
        g.put("containerd", Set.of());
        g.put("kubelet", Set.of("apiserver", "containerd"));

        List<List<String>> levels = DependencyGraph.levels(g);

        assertThat(levels).containsExactly(
                List.of("etcd", "containerd"),
                List.of("apiserver"),
                List.of("scheduler", "controller-manager", "kubelet"),
                List.of("kube-proxy"));
    }

    @Test
    void namesTheCycle() {
        Map<String, Set<String>> g = new LinkedHashMap<>();
        g.put("a", Set.of("b"));
        g.put("b", Set.of("c"));
        g.put("c", Set.of("a"));
        g.put("d", Set.of());

        assertThatThrownBy(() -> DependencyGraph.levels(g))
                .isInstanceOf(ProcessException.class)
                .hasMessageContaining("Dependency cycle: a -> b -> c -> a");
    }

    @Test
    void rejectsUnknownDependency() {
        Map<String, Set<String>> g = new LinkedHashMap<>();
        g.put("apiserver", Set.of("etcd"));

        assertThatThrownBy(() -> DependencyGraph.levels(g))
                .isInstanceOf(ProcessException.class)
                .hasMessageContaining("'apiserver' depends on 'etcd'")
                .hasMessageContaining("add a ProcessSpec named 'etcd'");
    }
}
