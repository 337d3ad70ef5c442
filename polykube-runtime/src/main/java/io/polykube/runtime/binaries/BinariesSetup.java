package io.polykube.runtime.binaries;

import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code java -cp <runtime classpath> io.polykube.runtime.binaries.BinariesSetup [options]}: makes
 * sure the Kubernetes, etcd, pause and CoreDNS sets are in the cache at the pinned versions, building what is
 * missing or corrupt from source (or downloading it with {@code --mirror}), and checks that every
 * binary reports its version. A warm run only verifies. Exit code 0 on success, 1 on failure, 2 on
 * bad arguments.
 */
public final class BinariesSetup {

    private static final String PREFIX = "[polykube setup] ";

    private BinariesSetup() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    /** Runs the setup; returns the exit code. */
    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        Path cacheDir = null;
        Path view = null;
        URI mirror = null;
        java.util.EnumSet<BinarySet> only = java.util.EnumSet.noneOf(BinarySet.class);
        java.util.Arrays.stream(BinarySet.values()).filter(BinarySet::builtBySetup).forEach(only::add);
        boolean terminal = System.console() != null;
        Duration progressEvery = null;
        BinaryVersions versions;
        try {
            versions = BinaryVersions.defaults();
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--cache-dir":
                        cacheDir = Path.of(value(args, ++i, "--cache-dir"));
                        break;
                    case "--setup-only-view":
                        view = Path.of(value(args, ++i, "--setup-only-view")).toAbsolutePath().normalize();
                        break;
                    case "--mirror":
                        mirror = URI.create(value(args, ++i, "--mirror"));
                        break;
                    case "--kubernetes-version":
                        versions = versions.withKubernetes(value(args, ++i, "--kubernetes-version"));
                        break;
                    case "--etcd-version":
                        versions = versions.withEtcd(value(args, ++i, "--etcd-version"));
                        break;
                    case "--only":
                        only = java.util.EnumSet.of(parseSet(value(args, ++i, "--only")));
                        break;
                    case "--progress-every":
                        progressEvery = Duration.ofSeconds(Long.parseLong(value(args, ++i, "--progress-every")));
                        break;
                    case "-h":
                    case "--help":
                        out.println(usage());
                        return 0;
                    default:
                        throw new IllegalArgumentException("unknown argument '" + args[i] + "'");
                }
            }
        } catch (IllegalArgumentException e) {
            err.println(PREFIX + e.getMessage() + "\n" + usage());
            return 2;
        } catch (BinaryException e) {
            err.println(PREFIX + e.getMessage());
            return 2;
        }

        long start = System.nanoTime();
        BinaryCache cache = new BinaryCache(cacheDir != null ? cacheDir : BinaryCache.defaultRoot(env));
        // On a terminal one line is rewritten every second; in CI a plain line every 10 s.
        ProgressListener progress = ProgressListener.printingTo(out, PREFIX, terminal);
        GoModuleBuilder go = GoModuleBuilder.builder().environment(env).logDir(cache.buildLogDir()).progress(progress)
                .progressInterval(progressEvery != null ? progressEvery : Duration.ofSeconds(terminal ? 1 : 10)).build();
        ReleaseMirror releases = mirror != null ? ReleaseMirror.of(mirror) : null;
        VersionProbe probe = new VersionProbe();
        List<String> summary = new ArrayList<>();
        try {
            for (BinarySet set : only) {
                String version = set.version(versions);
                String what = set.describe(version);
                long t0 = System.nanoTime();
                BinaryCache.Check check = cache.check(set, version);
                Duration verifyTook = Duration.ofNanos(System.nanoTime() - t0);
                String how;
                if (check.state() == BinaryCache.State.VALID) {
                    out.println(PREFIX + what + ": in the cache, " + set.binaries().size() + " files verified in "
                            + ProgressListener.format(verifyTook));
                    how = "cached";
                } else {
                    out.println(PREFIX + what + ": " + (check.state() == BinaryCache.State.CORRUPT
                            ? "cache entry is corrupt (" + check.problem() + "), rebuilding it" : "not in the cache"));
                    cache.ensure(set, version, temp -> releases != null && set.onReleaseMirrors()
                            ? Steps.run(progress, "download " + what + " from " + releases.base(), () -> releases.download(set, version, temp))
                            : go.build(set, version, temp));
                    how = releases != null && set.onReleaseMirrors() ? "downloaded" : "built";
                }
                Path dir = cache.setDir(set, version);
                long t1 = System.nanoTime();
                for (Binary binary : set.binaries()) {
                    String reported = probe.reportedVersion(binary, dir.resolve(binary.fileName()));
                    if (!VersionProbe.matches(reported, version)) {
                        throw new BinaryException(binary.fileName() + " in " + dir + " reports version " + reported + ", not "
                                + version + ": delete " + dir + " and run setup again");
                    }
                }
                out.println(PREFIX + what + ": every binary reports " + version + " (checked in "
                        + ProgressListener.format(Duration.ofNanos(System.nanoTime() - t1)) + ")");
                summary.add(what + " " + how + " (" + Duration.ofNanos(System.nanoTime() - t0).toSeconds() + " s)");
            }
            if (view != null) {
                long t2 = System.nanoTime();
                SetupOnlyView.replace(view, cache, only, versions);
                out.println(PREFIX + "setup-only view of the cache: " + view + " (" + only.size() + " sets as hard links, "
                        + ProgressListener.format(Duration.ofNanos(System.nanoTime() - t2)) + "); nothing else of "
                        + cache.root() + " is in it");
            }
        } catch (BinaryException e) {
            err.println(PREFIX + "FAILED: " + e.getMessage());
            return 1;
        } catch (RuntimeException e) {
            err.println(PREFIX + "FAILED unexpectedly: " + e);
            e.printStackTrace(err);
            return 1;
        }
        out.println(PREFIX + "done in " + ProgressListener.format(Duration.ofNanos(System.nanoTime() - start)) + ": "
                + String.join(", ", summary) + "; binaries in " + cache.binDir());
        return 0;
    }

    private static BinarySet parseSet(String text) {
        for (BinarySet set : BinarySet.values()) {
            if (set.name().equalsIgnoreCase(text)) {
                return set;
            }
        }
        throw new IllegalArgumentException("--only takes kubernetes, etcd, pause, coredns, e2e, agnhost or ginkgo, got '" + text + "'");
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static String usage() {
        return "usage: BinariesSetup [--cache-dir DIR] [--setup-only-view DIR] [--mirror URL] [--kubernetes-version 1.34.4] [--etcd-version 3.6.16]\n"
                + "                     [--only kubernetes|etcd|pause|coredns|e2e|agnhost|ginkgo] [--progress-every SECONDS]\n"
                + "  Builds (or with --mirror downloads) the Kubernetes and etcd binaries, and builds pause and CoreDNS, into the cache\n"
                + "  (e2e.test and agnhost, for ./polykube conformance, only when asked for with --only)\n"
                + "  --setup-only-view DIR makes DIR, afresh, a cache holding only those sets (hard links), for a test run that\n"
                + "  must not rely on anything else the cache holds (POLYKUBE_CACHE_DIR=DIR)\n"
                + "  ($POLYKUBE_CACHE_DIR or ~/.cache/polykube). Exit 0 ok, 1 failed, 2 bad arguments.";
    }
}
