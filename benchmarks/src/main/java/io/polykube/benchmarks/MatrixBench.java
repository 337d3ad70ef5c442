package io.polykube.benchmarks;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.polykube.api.Cluster;
import io.polykube.api.junit.PolykubeConfigurer;
import io.polykube.api.junit.PolykubeExtension;
import io.polykube.api.junit.WithPolykube;
import io.polykube.api.spec.ClusterSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * A version matrix of three minors: the whole class with {@code @WithPolykube(versions = ...)} in one JUnit run, against
 * the same class run once per version, one after another, each in a JVM of its own (what a CI job per version does, minus
 * the job). Both use minors already built; a bench never builds.
 */
final class MatrixBench {
    static final String VERSION_PROPERTY = "polykube.bench.matrix.version";
    private static final List<String> VERSIONS = List.of("1.35", "1.36", "1.37");

    private final int runs;

    MatrixBench(int runs) {
        this.runs = runs;
    }

    void run(Path dir) throws IOException, InterruptedException {
        List<String> built = VersionsBench.built().stream().map(v -> v.substring(0, v.lastIndexOf('.'))).toList();
        if (!built.containsAll(VERSIONS)) {
            System.out.println("[bench] version matrix: skipped (needs " + VERSIONS + " built; ./polykube setup "
                    + "--kubernetes-version supported builds them)");
            return;
        }
        List<Long> oneRun = new ArrayList<>();
        List<Long> separate = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            EngineExecutionResults results = EngineTestKit.engine("junit-jupiter")
                    .configurationParameter(PolykubeExtension.DIRECTORY_PARAMETER, dir.resolve("matrix-" + i).toString())
                    .selectors(selectClass(Matrix.class)).execute();
            oneRun.add((System.nanoTime() - t0) / 1_000_000);
            if (results.testEvents().succeeded().count() != 2L * VERSIONS.size() || results.allEvents().failed().count() > 0) {
                throw new AssertionError("the matrix class did not pass " + VERSIONS.size() + " times: "
                        + results.allEvents().failed().list());
            }
            long t1 = System.nanoTime();
            for (String version : VERSIONS) {
                runInOwnJvm(version, dir.resolve("single-" + i + "-" + version));
            }
            separate.add((System.nanoTime() - t1) / 1_000_000);
        }
        long one = BenchCommand.median(oneRun);
        long apart = BenchCommand.median(separate);
        System.out.printf("[bench] %-90s median %6d ms  (n=%d)%n", "version matrix " + VERSIONS + ", 2 tests each: one JUnit run",
                one, runs);
        System.out.printf("[bench] %-90s median %6d ms  (n=%d)%n", "the same class per version, one after another, a JVM each",
                apart, runs);
        System.out.printf("[bench] %-90s %.2f%n", "ratio one run / separate JVMs", (double) one / apart);
    }

    private static void runInOwnJvm(String version, Path dir) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                "-D" + VERSION_PROPERTY + "=" + version, SingleVersion.class.getName(), dir.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new AssertionError("the single-version run of " + version + " failed (exit " + p.exitValue() + ")");
        }
    }

    /** The class of one version, in a JVM of its own: exits 0 when both tests pass. */
    static final class SingleVersion {
        public static void main(String[] args) {
            EngineExecutionResults results = EngineTestKit.engine("junit-jupiter")
                    .configurationParameter(PolykubeExtension.DIRECTORY_PARAMETER, args[0])
                    .selectors(selectClass(Single.class)).execute();
            System.exit(results.testEvents().succeeded().count() == 2 && results.allEvents().failed().count() == 0 ? 0 : 1);
        }
    }

    /** Sets the version the JVM was started for. */
    public static final class VersionFromProperty implements PolykubeConfigurer {
        @Override
        public void configure(ClusterSpec.Builder<?> builder) {
            builder.kubernetesVersion(System.getProperty(VERSION_PROPERTY));
        }
    }

    @WithPolykube(versions = {"1.35", "1.36", "1.37"})
    static class Matrix {
        @Test
        void servesItsVersion(Cluster cluster) {
            Checks.servesItsVersion(cluster);
        }

        @Test
        void listsNamespaces(Cluster cluster) {
            Checks.listsNamespaces(cluster);
        }
    }

    @WithPolykube(configurer = VersionFromProperty.class)
    static class Single {
        @Test
        void servesItsVersion(Cluster cluster) {
            Checks.servesItsVersion(cluster);
        }

        @Test
        void listsNamespaces(Cluster cluster) {
            Checks.listsNamespaces(cluster);
        }
    }

    private static final class Checks {
        static void servesItsVersion(Cluster cluster) {
            if (!cluster.client().getKubernetesVersion().getGitVersion().equals("v" + cluster.kubernetesVersion())) {
                throw new AssertionError("the server is not " + cluster.kubernetesVersion());
            }
        }

        static void listsNamespaces(Cluster cluster) {
            if (cluster.client().namespaces().list().getItems().isEmpty()) {
                throw new AssertionError("no namespaces");
            }
        }
    }
}
