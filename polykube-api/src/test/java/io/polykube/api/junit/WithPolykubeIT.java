package io.polykube.api.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** The extension at work: injection, sharing across classes, per-test namespaces (fixtures in {@link Fixtures}). */
class WithPolykubeIT {
    @TempDir
    Path clusters;
    @TempDir
    Path reports;

    @BeforeEach
    void reset() {
        Fixtures.reset();
    }

    @Test
    void injectsEverythingAndSharesOneClusterPerSpecAcrossParallelClasses() {
        EngineExecutionResults results = EngineRuns.run(clusters, true, Fixtures.AllInjections.class, Fixtures.SharedA.class,
                Fixtures.SharedB.class, Fixtures.SharedC.class, Fixtures.InheritedChild.class, Fixtures.MetaAnnotated.class,
                Fixtures.WithNested.class, Fixtures.OtherSpec.class);

        assertThat(results.allEvents().failed().count()).as(EngineRuns.failures(results)).isZero();
        results.testEvents().assertStatistics(s -> s.succeeded(9).failed(0).skipped(0));
        // Two specs (the default one and OtherSpec's), two starts, although eight classes ran in parallel.
        assertThat(EngineRuns.starts(results)).hasSize(2);
        Path shared = Fixtures.SEEN.get("SharedA");
        assertThat(Fixtures.SEEN).containsOnlyKeys("AllInjections", "SharedA", "SharedB", "SharedC", "InheritedChild",
                "MetaAnnotated", "WithNested.Inner", "OtherSpec");
        Fixtures.SEEN.forEach((name, dir) -> {
            if (name.equals("OtherSpec")) {
                assertThat(dir).isNotEqualTo(shared);
            } else {
                assertThat(dir).as(name).isEqualTo(shared);
            }
        });
        assertThat(shared.getParent()).isEqualTo(clusters);
        // Nothing failed: both directories are gone once JUnit closed the clusters.
        assertThat(shared).doesNotExist();
        assertThat(Fixtures.SEEN.get("OtherSpec")).doesNotExist();
    }

    @Test
    void givesEachTestItsOwnNamespaceAndDeletesThemAllButTheFailedOnes() {
        EngineExecutionResults results = EngineRuns.run(clusters, false, Fixtures.NamespacePerTest.class,
                Fixtures.FailingWithNamespace.class, Fixtures.NamespacesGone.class);

        assertThat(EngineRuns.failureOf(results, "failsInItsNamespace(TestNamespace)")).contains("fails on purpose");
        results.testEvents().assertStatistics(s -> s.succeeded(5).failed(1));
        assertThat(Fixtures.NAMESPACES).hasSize(4).doesNotHaveDuplicates();
        assertThat(Fixtures.KEPT_NAMESPACES).hasSize(1);
        assertThat(EngineRuns.starts(results)).hasSize(1);
    }

    @Test
    void keepsTheDirectoryOfAClusterWhoseTestFailedAndRemovesTheOthers() throws Exception {
        EngineExecutionResults results = EngineRuns.run(clusters, reports, true, Fixtures.Passing.class, Fixtures.Failing.class,
                Fixtures.FreshPassing.class, Fixtures.FreshAlwaysKept.class, Fixtures.FreshFailingNeverKept.class);

        results.testEvents().assertStatistics(s -> s.succeeded(5).failed(2));
        assertThat(EngineRuns.failureOf(results, "fails()")).contains("a test that fails on purpose");
        assertThat(EngineRuns.starts(results)).hasSize(4); // shared + three fresh ones
        Path shared = Fixtures.SEEN.get("Passing");
        assertThat(Fixtures.SEEN.get("Failing")).isEqualTo(shared);
        assertThat(shared).isDirectory();
        assertThat(shared.resolve("logs").resolve("kube-apiserver.log")).isNotEmptyFile();
        assertThat(shared.resolve("pki")).isDirectory();
        assertThat(Fixtures.SEEN.get("FreshPassing")).isNotEqualTo(shared).doesNotExist();
        assertThat(Fixtures.SEEN.get("FreshAlwaysKept")).isDirectory();
        assertThat(Fixtures.SEEN.get("FreshFailingNeverKept")).doesNotExist();
        // The kept path is also published where IDEs and reports show it.
        assertThat(results.allEvents().reportingEntryPublished().stream()
                .map(e -> e.getPayload(org.junit.platform.engine.reporting.ReportEntry.class).orElseThrow().getKeyValuePairs())
                .filter(kv -> !kv.containsKey(PolykubeExtension.REPORT_STARTED))
                .map(kv -> kv.get(PolykubeExtension.REPORT_DIRECTORY))).contains(shared.toString());
        try (var list = Files.list(clusters)) {
            assertThat(list.count()).isEqualTo(2);
        }
        // A log bundle for each cluster a failed test used: the shared one (ON_FAILURE) and the never-kept fresh one
        // (exportLogsOnFailure); none for the clusters whose tests passed.
        String sharedName = shared.getFileName().toString().replaceAll("-[0-9]+$", ""); // directory <name>-<n>
        String neverKeptName = Fixtures.SEEN.get("FreshFailingNeverKept").getFileName().toString().replaceAll("-[0-9]+$", "");
        try (var list = Files.list(reports)) {
            assertThat(list.map(p -> p.getFileName().toString()).toList()).hasSize(2)
                    .anyMatch(n -> n.startsWith("polykube-" + sharedName + "-logs-") && n.endsWith(".tar.gz"))
                    .anyMatch(n -> n.startsWith("polykube-" + neverKeptName + "-logs-") && n.endsWith(".tar.gz"));
        }
    }
}
