package io.polykube.conformance;

import io.polykube.api.Cluster;
import io.polykube.api.error.HostBusyException;
import io.polykube.api.error.PolykubeException;
import io.polykube.api.spec.ClusterSpec;
import io.polykube.api.spec.Mode;
import io.polykube.api.status.NetworkGuard;
import io.polykube.runtime.binaries.Binaries;
import io.polykube.runtime.binaries.BinaryCache;
import io.polykube.runtime.binaries.BinaryVersions;
import io.polykube.runtime.binaries.ClusterBinary;
import io.polykube.runtime.binaries.ProgressListener;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Runs the upstream conformance tests ({@code e2e.test} of the cluster's Kubernetes version) against a fresh FULL cluster:
 * builds (once, cached) e2e.test, agnhost and an upstream busybox, reads the test images' names from that version's
 * source, starts the cluster, checks its network guard, loads the test images, runs the suite with
 * {@code --provider=skeleton}, and reports passed / failed / skipped from the JUnit report it leaves in
 * {@code <cluster dir>/conformance/}.
 */
public final class ConformanceRun {
    /** The default focus: every conformance test (the skip list removes what one node cannot do). */
    public static final String DEFAULT_FOCUS = "\\[Conformance\\]";
    static final String PREFIX = "[polykube] conformance: ";
    static final Duration PROGRESS_EVERY = Duration.ofSeconds(15);
    /**
     * Test processes by default: most conformance tests wait (for pods, for timeouts) far more than they compute, so four
     * processes keep two cores busy without starving the cluster.
     */
    public static final int DEFAULT_PARALLEL = 4;
    /** The most test processes a run may ask for (upstream CI runs 25 against a many-node cluster). */
    public static final int MAX_PARALLEL = 16;
    /**
     * The one test that needs the sample-apiserver image (built from source on first use, so only when selected), under
     * each name it has had: 1.35 added {@code [LinuxOnly]}.
     */
    static final List<String> SAMPLE_API_SERVER_TEST = List.of(
            "[sig-api-machinery] Aggregator Should be able to support the 1.17 Sample API Server using the current Aggregator "
                    + "[Conformance]",
            "[sig-api-machinery] Aggregator Should be able to support the 1.17 Sample API Server using the current Aggregator "
                    + "[LinuxOnly] [Conformance]");
    /**
     * Environment variables that make e2e.test rename every image it asks for (test/utils/image/manifest.go): the stand-ins
     * are loaded under the upstream names, so e2e.test runs without them.
     */
    static final List<String> IMAGE_RENAMING = List.of("KUBE_TEST_REPO_LIST", "KUBE_TEST_REPO");

    /** What the run found. */
    public record Result(JUnitSummary summary, int exitCode, Duration took, Path report) {
        /** Whether every selected test passed and the suite finished normally. */
        public boolean passed() {
            return exitCode == 0 && summary.failed() == 0 && summary.suiteFailures() == 0;
        }
    }

    private final ClusterSpec spec;
    private final String focus;
    private final String skip;
    private final Path busybox;
    private final int parallel;
    private final Duration hostWait;
    private final PrintStream out;

    /**
     * @param spec    the cluster to start (mode FULL; no NoSchedule taint)
     * @param focus   the {@code --ginkgo.focus} regex
     * @param skip    the {@code --ginkgo.skip} regex (the skip list plus the user's)
     * @param busybox  the host's static busybox, for the test images
     * @param parallel test processes: 1 runs e2e.test itself, more run it under the ginkgo command line ({@code --nodes})
     * @param hostWait how long to wait for another FULL cluster on this host to stop (zero: fail at once)
     */
    public ConformanceRun(ClusterSpec spec, String focus, String skip, Path busybox, int parallel, Duration hostWait,
            PrintStream out) {
        this.spec = Objects.requireNonNull(spec, "spec");
        if (spec.mode() != Mode.FULL) {
            throw new IllegalArgumentException("conformance tests run pods: the cluster must be in mode FULL");
        }
        if (spec.node().taints().stream().anyMatch(t -> t.endsWith(":NoSchedule") || t.endsWith(":NoExecute"))) {
            throw new IllegalArgumentException("the node has taints " + spec.node().taints() + ": test pods could not schedule");
        }
        this.focus = Objects.requireNonNull(focus, "focus");
        this.skip = Objects.requireNonNull(skip, "skip");
        this.busybox = Objects.requireNonNull(busybox, "busybox");
        if (parallel < 1 || parallel > MAX_PARALLEL) {
            throw new IllegalArgumentException("parallel " + parallel + " is out of range: run 1 to " + MAX_PARALLEL
                    + " test processes (" + DEFAULT_PARALLEL + " suits two cores)");
        }
        this.parallel = parallel;
        this.hostWait = Objects.requireNonNull(hostWait, "hostWait");
        if (hostWait.isNegative()) {
            throw new IllegalArgumentException("the wait for the host " + hostWait + " is negative: give zero or more");
        }
        this.out = Objects.requireNonNull(out, "out");
    }

    /** Builds what is missing, starts the cluster, runs the suite, stops the cluster (its directory stays). */
    public Result run() {
        if (!Files.isExecutable(busybox)) {
            throw new PolykubeException(busybox + " is missing: the test images are made from a static busybox; install "
                    + "busybox-static (./polykube setup)");
        }
        long t0 = System.nanoTime();
        Binaries binaries = Binaries.builder().versions(BinaryVersions.forKubernetes(spec.kubernetesVersion())).allowBuild(true)
                .progress(ProgressListener.printingTo(out, PREFIX, false)).build();
        String kubernetes = binaries.versions().kubernetes();
        say("e2e.test, " + (parallel > 1 ? "ginkgo, " : "") + "agnhost, kubectl and pause of Kubernetes " + kubernetes
                + " (built into the cache on first use; the e2e build takes minutes)");
        Path e2e = binaries.resolve(SuiteBinary.e2eTest(kubernetes)).path();
        // the e2e.test build downloads this source; the images' names and ginkgo's version come from it
        KubernetesSource source = KubernetesSource.inModuleCache(System.getenv(), Path.of(System.getProperty("user.home")),
                kubernetes);
        SuiteImages names = source.images();
        Path ginkgo = parallel > 1 ? binaries.resolve(SuiteBinary.ginkgo(source.ginkgoVersion(), kubernetes)).path() : null;
        Path agnhost = binaries.resolve(SuiteBinary.agnhost(kubernetes)).path();
        Path kubectl = binaries.resolve(ClusterBinary.KUBECTL).path();
        Path pause = binaries.resolve(ClusterBinary.PAUSE).path();
        say("binaries ready in " + seconds(t0) + " s: " + e2e);
        // checked before the cluster starts: host tools (dig, getent) and the upstream files the images need
        Path binDir = BinaryCache.defaultCache().binDir();
        Path nonewprivs = GoProgram.nonewprivs(binDir, source).resolve(this::say); // a second or so, once
        // the busybox image's sh must be upstream's ash (Debian's drops variables like 1-data-1): built once from source
        Path upstreamBusybox = new UpstreamBusybox(binDir).resolve(this::say);
        ConformanceImages images = new ConformanceImages(names, busybox, upstreamBusybox, agnhost, pause, nonewprivs, source);
        if (selectsAny(focus, skip, SAMPLE_API_SERVER_TEST)) {
            Path sampleApiServer = GoProgram.sampleApiServer(binDir, source).resolve(this::say);
            images = images.withSampleApiServer(sampleApiServer, binaries.resolve(ClusterBinary.ETCD).path());
        }

        long t1 = System.nanoTime();
        say("starting FULL cluster '" + spec.name() + "' (Kubernetes " + spec.kubernetesVersion() + ") in " + spec.directory());
        try (Cluster cluster = startWhenTheHostIsFree()) {
            say("cluster ready in " + seconds(t1) + " s");
            NetworkGuard guard = cluster.networkGuard();
            guard.requireInstalled();
            Map<String, Long> rejectedBefore = guard.rejectedByRule();
            say("network guard in place (" + guard.chain() + " on " + guard.bridge() + "; "
                    + rejectedBefore.values().stream().mapToLong(Long::longValue).sum() + " packets rejected so far)");
            Path dir = cluster.directory().resolve("conformance");
            loadImages(cluster, dir.resolve("images"), images);
            Result result = runSuite(cluster, dir, suiteCommand(ginkgo, e2e, kubectl, cluster.kubeconfig(), dir));
            guard.requireInstalled();
            say("network guard still in place; during the run it rejected, locally: " + rejectedDuring(rejectedBefore,
                    guard.rejectedByRule()) + " (nothing left the machine)");
            return new Result(result.summary(), result.exitCode(), Duration.ofNanos(System.nanoTime() - t0), result.report());
        }
    }

    /** Starts the cluster; while another FULL cluster holds the host, tries again every 2 s until {@code hostWait} ends. */
    private Cluster startWhenTheHostIsFree() {
        long deadline = System.nanoTime() + hostWait.toNanos();
        boolean told = false;
        while (true) {
            try {
                return Cluster.start(spec);
            } catch (HostBusyException e) {
                if (System.nanoTime() - deadline >= 0) {
                    throw hostWait.isZero() ? e : new HostBusyException(e.getMessage() + " (waited " + hostWait.toMinutes()
                            + " min)");
                }
                if (!told) {
                    say("waiting up to " + hostWait.toMinutes() + " min for the host: " + e.getMessage());
                    told = true;
                }
                try {
                    Thread.sleep(2000);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new PolykubeException("interrupted while waiting for the host", interrupted);
                }
            }
        }
    }

    private void loadImages(Cluster cluster, Path dir, ConformanceImages images) {
        long t0 = System.nanoTime();
        Map<String, Path> tarballs = images.writeTo(dir);
        for (Path tar : tarballs.values()) {
            cluster.images().load(tar);
            try {
                Files.delete(tar);
            } catch (IOException e) {
                throw new PolykubeException("cannot delete " + tar + ": " + e.getMessage(), e);
            }
        }
        say("built and loaded " + tarballs.size() + " test images in " + seconds(t0) + " s: " + String.join(", ", tarballs.keySet()));
    }

    /**
     * The suite's command line: e2e.test with {@code --ginkgo.*} flags, or with {@code ginkgo} (not null) the ginkgo command
     * line running {@code parallel} e2e.test processes, its own flags first and e2e.test's after {@code --}, as upstream's
     * hack/ginkgo-e2e.sh does.
     */
    List<String> suiteCommand(Path ginkgo, Path e2e, Path kubectl, Path kubeconfig, Path dir) {
        List<String> ginkgoFlags = new ArrayList<>(List.of("focus=" + focus, "timeout=24h", "no-color"));
        if (!skip.isEmpty()) {
            ginkgoFlags.add(1, "skip=" + skip);
        }
        List<String> suiteFlags = List.of("--provider=skeleton",
                "--kubeconfig=" + kubeconfig,
                "--kubectl-path=" + kubectl,
                "--report-dir=" + dir,
                "--e2e-output-dir=" + dir,
                "--disable-log-dump");
        List<String> command = new ArrayList<>();
        if (ginkgo != null) {
            command.add(ginkgo.toString());
            command.add("--nodes=" + parallel);
            ginkgoFlags.forEach(f -> command.add("--" + f));
            command.add(e2e.toString());
            command.add("--");
        } else {
            command.add(e2e.toString());
            ginkgoFlags.forEach(f -> command.add("--ginkgo." + f));
        }
        command.addAll(suiteFlags);
        return command;
    }

    private Result runSuite(Cluster cluster, Path dir, List<String> command) {
        Path e2e = Path.of(command.get(0));
        Path log = dir.resolve("e2e.log");
        Path report = dir.resolve("junit_01.xml");
        say("running e2e.test " + (parallel > 1 ? "in " + parallel + " processes " : "") + "with focus '" + focus
                + "' (output in " + log + ")");
        SuiteProgress progress = new SuiteProgress();
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "polykube-conformance-progress");
            t.setDaemon(true);
            return t;
        });
        long t0 = System.nanoTime();
        ticker.scheduleAtFixedRate(() -> say(progress.summary() + " after " + seconds(t0) + " s"),
                PROGRESS_EVERY.toMillis(), PROGRESS_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        Process process = null;
        Thread stopSuite = null;
        int exit;
        try {
            Files.createDirectories(dir);
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
            List<String> cleared = suiteEnvironment(pb.environment(), cluster.kubeconfig());
            if (!cleared.isEmpty()) {
                say("left " + String.join(" and ", cleared) + " out of e2e.test's environment: the test images are local "
                        + "stand-ins under their upstream names");
            }
            process = pb.start();
            Process suite = process;
            // Ctrl-C or SIGTERM: the suite goes with us (the cluster stops by its own hook)
            stopSuite = new Thread(() -> {
                suite.descendants().forEach(ProcessHandle::destroyForcibly);
                suite.destroyForcibly();
            }, "polykube-stop-e2e");
            Runtime.getRuntime().addShutdownHook(stopSuite);
            process.getOutputStream().close();
            try (InputStreamReader in = new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8);
                    BufferedWriter w = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
                w.write("$ " + String.join(" ", command) + "\n");
                char[] buffer = new char[8192];
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    w.write(buffer, 0, n);
                    w.flush();
                    progress.accept(buffer, n);
                }
            }
            exit = process.waitFor();
        } catch (IOException e) {
            throw new PolykubeException("cannot run " + e2e + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PolykubeException("interrupted while the conformance suite ran", e);
        } finally {
            ticker.shutdownNow();
            if (process != null && process.isAlive()) {
                process.destroy();
            }
            if (stopSuite != null) {
                try {
                    Runtime.getRuntime().removeShutdownHook(stopSuite);
                } catch (IllegalStateException e) {
                    // shutting down: the hook runs anyway
                }
            }
        }
        long took = System.nanoTime() - t0;
        if (!Files.isRegularFile(report)) {
            throw new PolykubeException("e2e.test exited with " + exit + " and wrote no JUnit report " + report + ": see " + log);
        }
        JUnitSummary summary = JUnitSummary.parse(report);
        int ran = summary.passed() + summary.failed();
        say(summary + " (skipped includes the tests the focus left out) in " + TimeUnit.NANOSECONDS.toSeconds(took) + " s"
                + (ran > 0 ? ", " + TimeUnit.NANOSECONDS.toMillis(took) / ran / 1000.0 + " s per test run" : ""));
        summary.failedTests().forEach(name -> say("FAILED: " + name));
        say("JUnit report: " + report + "; suite output: " + log);
        return new Result(summary, exit, Duration.ofNanos(took), report);
    }

    /** {@code 3 packets (untranslated service address 3, pod address off the bridge 0, ...)}: the counters' growth. */
    static String rejectedDuring(Map<String, Long> before, Map<String, Long> after) {
        long total = 0;
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, Long> e : after.entrySet()) {
            long n = e.getValue() - before.getOrDefault(e.getKey(), 0L);
            total += n;
            parts.add(e.getKey() + " " + n);
        }
        return total + " packets (" + String.join(", ", parts) + ")";
    }

    /**
     * Makes {@code env} (a copy of this process's) e2e.test's: KUBECONFIG set, the {@link #IMAGE_RENAMING} variables
     * removed; returns those that were set.
     */
    static List<String> suiteEnvironment(Map<String, String> env, Path kubeconfig) {
        List<String> cleared = IMAGE_RENAMING.stream().filter(env::containsKey).toList();
        cleared.forEach(env::remove);
        env.put("KUBECONFIG", kubeconfig.toString());
        return cleared;
    }

    /** Whether the focus and skip regexes select any of {@code names} (one test's names across versions). */
    static boolean selectsAny(String focus, String skip, List<String> names) {
        return names.stream().anyMatch(name -> selects(focus, skip, name));
    }

    /** Whether the focus and skip regexes select {@code test} (Java regexes standing in for ginkgo's Go ones). */
    static boolean selects(String focus, String skip, String test) {
        return Pattern.compile(focus).matcher(test).find() && (skip.isEmpty() || !Pattern.compile(skip).matcher(test).find());
    }

    private void say(String message) {
        out.println(PREFIX + message);
    }

    private static long seconds(long t0) {
        return TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);
    }
}
