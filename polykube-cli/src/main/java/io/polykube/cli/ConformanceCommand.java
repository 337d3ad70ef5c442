package io.polykube.cli;

import io.polykube.api.ClusterSpec;
import io.polykube.api.Mode;
import io.polykube.conformance.ConformanceRun;
import io.polykube.conformance.SkipList;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The upstream conformance tests against a fresh FULL cluster. */
@Command(name = "conformance", description = "Run the upstream Kubernetes conformance tests (e2e.test, built once) on a fresh "
        + "FULL cluster (an earlier cluster of the same name is removed first); print passed/failed/skipped and keep the JUnit report in the cluster directory.")
final class ConformanceCommand implements Callable<Integer> {
    @Mixin
    ClusterOptions cluster;

    @Option(names = "--focus", description = "regex of the tests to run (default: ${DEFAULT-VALUE})",
            defaultValue = ConformanceRun.DEFAULT_FOCUS)
    String focus;

    @Option(names = "--skip", description = "regex of more tests to skip, on top of the repository's list (conformance-skips.txt)")
    String skip;

    @Option(names = "--parallel", paramLabel = "N", description = "test processes run at once (1 to " + ConformanceRun.MAX_PARALLEL
            + "; default: ${DEFAULT-VALUE}); more than 1 runs e2e.test under the ginkgo command line, built once like e2e.test",
            defaultValue = "" + ConformanceRun.DEFAULT_PARALLEL)
    int parallel;

    @Option(names = "--wait-for-host", paramLabel = "MINUTES", description = "if another FULL cluster runs on this host (only "
            + "one can), wait up to this many minutes for it to stop instead of failing at once (default: ${DEFAULT-VALUE})",
            defaultValue = "0")
    int waitForHost;

    @Option(names = "--keep", description = "leave the cluster running afterwards, owned by a background process like 'up'")
    boolean keep;

    @Override
    public Integer call() throws Exception {
        if (cluster.mode != null && ClusterOptions.parseMode(cluster.mode) != Mode.FULL) {
            throw new IllegalArgumentException("conformance runs pods: it needs --mode full (the default as root)");
        }
        check("--focus", focus);
        if (waitForHost < 0) {
            throw new IllegalArgumentException("--wait-for-host " + waitForHost + " is negative: give minutes, 0 to fail at once");
        }
        if (parallel < 1 || parallel > ConformanceRun.MAX_PARALLEL) {
            throw new IllegalArgumentException("--parallel " + parallel + " is out of range: give 1 to " + ConformanceRun.MAX_PARALLEL
                    + " (1 runs the tests one by one)");
        }
        if (skip != null) {
            check("--skip", skip);
        }
        ClusterSpec spec = ClusterOptions.validated(cluster.builder().mode(Mode.FULL));
        String skips = SkipList.defaults().combined(spec.node().count());
        if (skip != null) {
            skips = skips.isEmpty() ? skip : skips + "|(?:" + skip + ")";
        }
        // A fresh cluster: no objects, namespaces or images left from an earlier run (its report goes with it).
        if (!new ClusterTeardown(new ClusterFiles(spec.directory()), spec.name(), new PrintWriter(System.out, true))
                .clearForFreshStart("run the conformance tests on a fresh cluster")) {
            return 1;
        }
        ConformanceRun.Result result = new ConformanceRun(spec, focus, skips, Path.of("/bin/busybox"), parallel,
                Duration.ofMinutes(waitForHost), System.out).run();
        System.out.println("[polykube] conformance " + (result.passed() ? "passed" : "FAILED") + " in "
                + result.took().toSeconds() + " s: " + result.summary() + "; report " + result.report());
        if (keep) {
            System.out.println("[polykube] --keep: handing the cluster to a background owner");
            int up = new CommandLine(new UpCommand()).execute("--name", spec.name(), "--dir", spec.directory().toString(),
                    "--mode", "full");
            if (up != 0) {
                return up;
            }
        }
        return result.passed() ? 0 : 1;
    }

    private static void check(String option, String regex) {
        try {
            Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException(option + " '" + regex + "' is not a regular expression: " + e.getDescription());
        }
    }
}
