package io.polykube.runtime.binaries;

import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code java -cp <runtime classpath> io.polykube.runtime.binaries.BinariesSetup [options]}: makes
 * sure the sets {@code setup} builds (Kubernetes, etcd, pause, CoreDNS, and the node runtime: containerd, runc and the
 * CNI plugins) are in the cache at the versions of the Kubernetes version asked for (see {@link KnownVersions}), building
 * what is missing or corrupt from source (or downloading it with {@code --mirror}), and checks that every
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

    /**
     * The parsed command line.
     *
     * @param cacheDir      {@code --cache-dir}, or null for the default cache
     * @param view          {@code --setup-only-view}, or null
     * @param mirror        {@code --mirror}, or null
     * @param mirrorDigests {@code --mirror-digests} (the pinned SHA-256s), given exactly when {@code mirror} is; else null
     * @param selections    the versions {@code --kubernetes-version} (default: {@link KnownVersions#DEFAULT}) selects,
     *                      each with {@code --etcd-version} if given
     * @param sets          the sets to make ({@code --only}, or every set setup builds)
     * @param progressEvery {@code --progress-every}, or null
     */
    record Options(Path cacheDir, Path view, URI mirror, Path mirrorDigests, List<BinaryVersions> selections, Set<ClusterBinarySet> sets,
            Duration progressEvery) {

        /** Each set at each version it is asked for, once (the node runtime and pause once for every selection). */
        List<SetVersion> plan() {
            return SetVersion.plan(sets, selections);
        }
    }

    /** Parses {@code args}; {@code null} for {@code --help}. */
    static Options parse(String[] args) {
        Path cacheDir = null;
        Path view = null;
        URI mirror = null;
        Path mirrorDigests = null;
        Set<ClusterBinarySet> only = EnumSet.allOf(ClusterBinarySet.class);
        Duration progressEvery = null;
        String kubernetes = KnownVersions.DEFAULT;
        String etcd = null;
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
                case "--mirror-digests":
                    mirrorDigests = Path.of(value(args, ++i, "--mirror-digests"));
                    break;
                case "--kubernetes-version":
                    kubernetes = value(args, ++i, "--kubernetes-version");
                    break;
                case "--etcd-version":
                    etcd = value(args, ++i, "--etcd-version");
                    break;
                case "--only":
                    only = EnumSet.of(parseSet(value(args, ++i, "--only")));
                    break;
                case "--progress-every":
                    progressEvery = Duration.ofSeconds(Long.parseLong(value(args, ++i, "--progress-every")));
                    break;
                case "-h":
                case "--help":
                    return null;
                default:
                    throw new IllegalArgumentException("unknown argument '" + args[i] + "'");
            }
        }
        List<BinaryVersions> selections = Arrays.stream(kubernetes.split(",")).map(String::trim)
                .flatMap(v -> KnownVersions.select(v).stream()).distinct().toList();
        if (etcd != null) {
            String etcdVersion = etcd;
            selections = selections.stream().map(v -> v.withEtcd(etcdVersion)).toList();
        }
        if ((mirror == null) != (mirrorDigests == null)) {
            throw new IllegalArgumentException(mirror != null
                    ? "--mirror needs --mirror-digests FILE: the SHA-256 of each file to download ('sha256  path' lines, "
                    + "e.g. release/v" + KnownVersions.DEFAULT_VERSION + "/bin/linux/amd64/kubelet), taken from somewhere other "
                    + "than the mirror, whose own checksums are not trusted"
                    : "--mirror-digests is for --mirror: give both, or neither to build from source");
        }
        return new Options(cacheDir, view, mirror, mirrorDigests, selections, only, progressEvery);
    }

    /** Runs the setup; returns the exit code. */
    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        Options options;
        try {
            options = parse(args);
            if (options == null) {
                out.println(usage());
                return 0;
            }
        } catch (IllegalArgumentException e) {
            err.println(PREFIX + e.getMessage() + "\n" + usage());
            return 2;
        } catch (BinaryException e) {
            err.println(PREFIX + e.getMessage());
            return 2;
        }
        ReleaseMirror releases;
        try {
            releases = options.mirror() != null ? ReleaseMirror.of(ReleaseMirror.checkBase(options.mirror()),
                    ReleaseDigests.read(options.mirrorDigests())) : null;
        } catch (BinaryException e) {
            err.println(PREFIX + e.getMessage());
            return 2;
        }

        long start = System.nanoTime();
        boolean terminal = System.console() != null;
        BinaryCache cache = new BinaryCache(options.cacheDir() != null ? options.cacheDir() : BinaryCache.defaultRoot(env));
        // On a terminal one line is rewritten every second; in CI a plain line every 10 s.
        ProgressListener progress = ProgressListener.printingTo(out, PREFIX, terminal);
        GoModuleBuilder go = GoModuleBuilder.builder().environment(env).logDir(cache.buildLogDir()).progress(progress)
                .progressInterval(options.progressEvery() != null ? options.progressEvery()
                        : Duration.ofSeconds(terminal ? 1 : 10)).build();
        VersionProbe probe = new VersionProbe();
        List<SetVersion> plan = options.plan();
        List<String> summary = new ArrayList<>();
        if (options.selections().size() > 1) {
            out.println(PREFIX + "Kubernetes " + options.selections().stream().map(BinaryVersions::kubernetes)
                    .collect(Collectors.joining(", ")) + ": " + plan.size() + " sets");
        }
        try {
            for (SetVersion entry : plan) {
                BinarySet set = entry.set();
                String version = entry.version();
                String what = entry.describe();
                long t0 = System.nanoTime();
                BinaryCache.Check check = cache.check(set, version);
                Duration verifyTook = Duration.ofNanos(System.nanoTime() - t0);
                String how;
                boolean download = releases != null && ReleaseMirror.carries(set);
                if (check.state() == BinaryCache.State.VALID) {
                    out.println(PREFIX + what + ": in the cache, " + set.binaries().size() + " files verified in "
                            + ProgressListener.format(verifyTook));
                    how = "cached";
                } else {
                    out.println(PREFIX + what + ": " + (check.state() == BinaryCache.State.CORRUPT
                            ? "cache entry is corrupt (" + check.problem() + "), rebuilding it" : "not in the cache"));
                    cache.ensure(set, version, temp -> download
                            ? Steps.run(progress, "download " + what + " from " + releases.base(), () -> releases.download(set, version, temp))
                            : go.build(set, version, temp));
                    how = download ? "downloaded" : "built";
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
            if (options.view() != null) {
                long t2 = System.nanoTime();
                SetupOnlyView.replace(options.view(), cache, plan);
                out.println(PREFIX + "setup-only view of the cache: " + options.view() + " (" + plan.size() + " sets as hard links, "
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

    /** A set by its id ({@code cni-plugins}) or its enum name ({@code CNI_PLUGINS}, any case). */
    static ClusterBinarySet parseSet(String text) {
        for (ClusterBinarySet set : ClusterBinarySet.values()) {
            if (set.id().equalsIgnoreCase(text) || set.name().equalsIgnoreCase(text)) {
                return set;
            }
        }
        throw new IllegalArgumentException("--only takes one of " + ClusterBinarySet.ids() + ", got '" + text + "'");
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static String usage() {
        return "usage: BinariesSetup [--cache-dir DIR] [--setup-only-view DIR] [--mirror URL --mirror-digests FILE]\n"
                + "                     [--kubernetes-version MINOR|PATCH|default|oldest|supported|all[,...]] [--etcd-version 3.6.16]\n"
                + "                     [--only " + String.join("|", Arrays.stream(ClusterBinarySet.values()).map(ClusterBinarySet::id).toList())
                + "] [--progress-every SECONDS]\n"
                + "  Builds (or with --mirror downloads) the Kubernetes and etcd binaries, and builds pause, CoreDNS and the node\n"
                + "  runtime (containerd, runc, CNI plugins) into the cache ($POLYKUBE_CACHE_DIR or ~/.cache/polykube)\n"
                + "  (./polykube conformance builds the test programs it needs itself, on first use)\n"
                + "  --kubernetes-version: a known minor (" + KnownVersions.knownMinors() + ") builds its pinned patch with\n"
                + "  its etcd and CoreDNS; an exact patch of one (e.g. " + KnownVersions.newest().minor() + ".0) that patch;\n"
                + "  'oldest' the oldest known minor; 'supported' the minors upstream supports; 'all' every known minor;\n"
                + "  several, comma-separated (default: " + KnownVersions.DEFAULT_VERSION + ")\n"
                + "  --mirror URL downloads Kubernetes and etcd from a mirror in the release layout, each file checked against\n"
                + "  its SHA-256 in --mirror-digests FILE ('sha256  path' lines, path under URL, e.g.\n"
                + "  release/v" + KnownVersions.DEFAULT_VERSION + "/bin/linux/amd64/kubelet): pins from a source you trust, never the mirror\n"
                + "  --setup-only-view DIR makes DIR, afresh, a cache holding only those sets (hard links), for a test run that\n"
                + "  must not rely on anything else the cache holds (POLYKUBE_CACHE_DIR=DIR)\n"
                + "  Exit 0 ok, 1 failed, 2 bad arguments.";
    }
}
