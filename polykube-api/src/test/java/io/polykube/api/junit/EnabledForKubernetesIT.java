package io.polykube.api.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.polykube.api.Cluster;
import io.polykube.api.spec.Mode;
import io.polykube.runtime.binaries.KnownVersions;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.Event;

/**
 * {@link EnabledForKubernetes} skips, with the reason, the methods and classes whose bounds leave out the version of their
 * cluster, before any cluster starts for them; the others run on a cluster that reports that version.
 */
class EnabledForKubernetesIT {
    private static final String DEFAULT_MINOR = KnownVersions.defaultRelease().minor();

    @TempDir
    Path clusters;

    @Test
    void methodsAndClassesOutsideTheBoundsAreSkippedWithTheReason() {
        EngineExecutionResults results = EngineRuns.run(clusters, false, Bounded.class, TooOldForThisClass.class);

        assertThat(EngineRuns.failures(results)).isEmpty();
        Map<String, String> skipped = results.allEvents().skipped().stream()
                .collect(Collectors.toMap(e -> e.getTestDescriptor().getDisplayName(), EnabledForKubernetesIT::reason));
        assertThat(skipped).containsOnly(
                Map.entry("needsANewerMinor()", "Kubernetes " + KnownVersions.DEFAULT_VERSION + " is older than 1.99 "
                        + "(@EnabledForKubernetes(min = \"1.99\"))"),
                Map.entry("EnabledForKubernetesIT$TooOldForThisClass", "Kubernetes " + KnownVersions.DEFAULT_VERSION + " is newer than 1.33 "
                        + "(@EnabledForKubernetes(max = \"1.33\"))"));
        results.testEvents().assertStatistics(s -> s.started(2).succeeded(2));
        assertThat(EngineRuns.starts(results)).as("one cluster, for Bounded only").hasSize(1);
    }

    private static String reason(Event event) {
        return event.getPayload(String.class).orElse("");
    }

    @OnlyInEngineRuns.Fixture
    @WithPolykube(mode = Mode.CONTROL_PLANE)
    static class Bounded {
        @Test
        @EnabledForKubernetes(min = "1.33")
        void runsOnTheDefault(Cluster cluster) {
            assertThat(cluster.kubernetesVersion().minorVersion()).isEqualTo(DEFAULT_MINOR);
            assertThat(cluster.client().getKubernetesVersion().getGitVersion()).isEqualTo("v" + cluster.kubernetesVersion());
        }

        @Test
        @EnabledForKubernetes(min = "1.99")
        void needsANewerMinor() {
            throw new AssertionError("must be skipped");
        }

        @Test
        @EnabledForKubernetes(max = "1.99.0")
        void runsUnderAPatchBound(Cluster cluster) {
            assertThat(cluster.kubernetesVersion().isAtMost("1.99.0")).isTrue();
        }
    }

    @OnlyInEngineRuns.Fixture
    @WithPolykube(mode = Mode.CONTROL_PLANE, version = "default")
    @EnabledForKubernetes(max = "1.33")
    static class TooOldForThisClass {
        @Test
        void never() {
            throw new AssertionError("must be skipped");
        }
    }
}
