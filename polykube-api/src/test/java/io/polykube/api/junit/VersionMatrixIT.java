package io.polykube.api.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.polykube.api.Cluster;
import io.polykube.api.spec.Mode;
import io.polykube.runtime.binaries.KnownVersions;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.Event;

/**
 * {@link WithPolykube#versions()}: a class runs once per version, each invocation named by its version and given a
 * cluster of that version (shared per spec and version); {@link EnabledForKubernetes} skips methods per version, and a
 * class bound skips whole versions, with the reason and without starting their clusters.
 */
class VersionMatrixIT {
    private static final String OLDEST = KnownVersions.oldest().patch();
    private static final String NEWEST = KnownVersions.DEFAULT_VERSION;
    /** The server versions the fixtures' tests saw. */
    static final Set<String> SEEN = ConcurrentHashMap.newKeySet();

    @TempDir
    Path clusters;

    @BeforeEach
    void clear() {
        SEEN.clear();
    }

    /** The versions the main suite sets up (the oldest and the default minor): no build here. */
    @Test
    void aClassRunsOncePerVersionNamedByItAndMethodsAreSkippedPerVersion() {
        EngineExecutionResults results = EngineRuns.run(clusters, false, OldestAndNewest.class, NewestOnly.class);

        assertThat(EngineRuns.failures(results)).isEmpty();
        assertThat(invocations(results, OldestAndNewest.class)).containsExactly("[k8s " + OLDEST + "]", "[k8s " + NEWEST + "]");
        assertThat(SEEN).containsExactlyInAnyOrder("v" + OLDEST, "v" + NEWEST);
        // per version: the oldest ran 2 tests and skipped one, the newest ran 3
        assertThat(testsPerInvocation(results, OldestAndNewest.class))
                .containsOnly(Map.entry("[k8s " + OLDEST + "]", 2L), Map.entry("[k8s " + NEWEST + "]", 3L));
        assertThat(results.allEvents().skipped().stream().map(VersionMatrixIT::describe).toList()).containsExactlyInAnyOrder(
                "onlyOnTheNewest(Cluster) in [k8s " + OLDEST + "]: Kubernetes " + OLDEST + " is older than " + KnownVersions.newest().minor()
                        + " (@EnabledForKubernetes(min = \"" + KnownVersions.newest().minor() + "\"))");
        assertThat(results.allEvents().aborted().stream().map(VersionMatrixIT::describe).toList()).containsExactly(
                "[k8s " + OLDEST + "] in " + NewestOnly.class.getName().substring(NewestOnly.class.getPackageName().length() + 1)
                        + ": Kubernetes " + OLDEST + " is older than " + KnownVersions.newest().minor()
                        + " (@EnabledForKubernetes(min = \"" + KnownVersions.newest().minor() + "\"))");
        // one cluster per version; NewestOnly shares the newest's (same spec and version), its oldest run starts none
        assertThat(EngineRuns.starts(results)).hasSize(2);
    }

    /** Three minors: run by ./polykube test-versions, which builds the ones the main suite does not set up. */
    @Test
    @Tag("versions")
    void threeVersionsRunThreeTimes() {
        EngineExecutionResults results = EngineRuns.run(clusters, false, ThreeMinors.class);

        assertThat(EngineRuns.failures(results)).isEmpty();
        assertThat(invocations(results, ThreeMinors.class)).hasSize(3);
        assertThat(SEEN.stream().map(v -> v.replaceFirst("^v(\\d+\\.\\d+)\\..*", "$1")))
                .containsExactlyInAnyOrder("1.35", "1.36", "1.37");
        assertThat(testsPerInvocation(results, ThreeMinors.class).values()).containsOnly(2L);
    }

    private static List<String> invocations(EngineExecutionResults results, Class<?> fixture) {
        return results.containerEvents().started().stream().map(Event::getTestDescriptor)
                .filter(d -> d.getParent().map(p -> isFixture(p, fixture)).orElse(false))
                .map(TestDescriptor::getDisplayName).toList();
    }

    /** Tests that passed, per invocation (display name) of {@code fixture}. */
    private static Map<String, Long> testsPerInvocation(EngineExecutionResults results, Class<?> fixture) {
        return results.testEvents().succeeded().stream().map(Event::getTestDescriptor)
                .map(d -> d.getParent().orElseThrow())
                .filter(invocation -> invocation.getParent().map(p -> isFixture(p, fixture)).orElse(false))
                .collect(Collectors.groupingBy(TestDescriptor::getDisplayName, Collectors.counting()));
    }

    private static boolean isFixture(TestDescriptor descriptor, Class<?> fixture) {
        return descriptor.getDisplayName().equals(fixture.getSimpleName()) || descriptor.getDisplayName().endsWith("$" + fixture.getSimpleName());
    }

    private static String describe(Event event) {
        String parent = event.getTestDescriptor().getParent().map(TestDescriptor::getDisplayName).orElse("");
        String reason = event.getPayload(String.class)
                .or(() -> event.getPayload(TestExecutionResult.class)
                        .flatMap(r -> r.getThrowable()).map(Throwable::getMessage))
                .orElse("");
        return event.getTestDescriptor().getDisplayName() + " in " + parent + ": " + reason;
    }

    private static void saw(Cluster cluster) {
        String version = cluster.client().getKubernetesVersion().getGitVersion();
        assertThat(version).isEqualTo("v" + cluster.kubernetesVersion());
        SEEN.add(version);
    }

    @OnlyInEngineRuns.Fixture
    @WithPolykube(mode = Mode.CONTROL_PLANE, versions = {"oldest", "default"}, namespacePerTest = true)
    static class OldestAndNewest {
        @Test
        void servesItsVersion(Cluster cluster) {
            saw(cluster);
        }

        @Test
        void worksInItsNamespace(TestNamespace namespace, Cluster cluster) {
            assertThat(cluster.client().namespaces().withName(namespace.name()).get()).isNotNull();
        }

        @Test
        @EnabledForKubernetes(min = "1.37")
        void onlyOnTheNewest(Cluster cluster) {
            assertThat(cluster.kubernetesVersion().isAtLeast("1.37")).isTrue();
        }
    }

    @OnlyInEngineRuns.Fixture
    @WithPolykube(mode = Mode.CONTROL_PLANE, versions = {"oldest", "default"}, namespacePerTest = true)
    @EnabledForKubernetes(min = "1.37")
    static class NewestOnly {
        @Test
        void runsOnTheNewestOnly(Cluster cluster) {
            assertThat(cluster.kubernetesVersion().isAtLeast("1.37")).isTrue();
        }
    }

    @OnlyInEngineRuns.Fixture
    @WithPolykube(mode = Mode.CONTROL_PLANE, versions = {"1.35", "1.36", "1.37"})
    static class ThreeMinors {
        @Test
        void servesItsVersion(Cluster cluster) {
            saw(cluster);
        }

        @Test
        void listsNamespaces(Cluster cluster) {
            assertThat(cluster.client().namespaces().list().getItems()).isNotEmpty();
        }
    }
}
