package io.polykube.runtime.binaries;

import java.io.File;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the binaries polykube runs, at the versions asked for, in this order:
 * <ol>
 *   <li>an explicit path per binary ({@link Builder#path});</li>
 *   <li>the directories of {@code POLYKUBE_BIN_DIR} (or {@link Builder#binDirs}), separated like PATH;</li>
 *   <li>the cache ({@code ~/.cache/polykube/bin/<set>-v<version>/}, verified against its manifest, which names the version: a cached binary is not run to ask it);</li>
 *   <li>{@code PATH} (a binary of another version there is skipped, not used);</li>
 *   <li>if a {@link Builder#mirror mirror} is set, a download into the cache, each file checked against its pinned digest;</li>
 *   <li>if {@link Builder#allowBuild building} is allowed, a build from source into the cache.</li>
 * </ol>
 * Every binary's version is checked by running it; a binary given explicitly or through the bin
 * dir that reports another version is an error. Any {@link Binary} is found this way: the library's
 * ({@link ClusterBinary}) and those of the sets other modules declare. Thread-safe; immutable configuration.
 */
public final class Binaries {

    /** Environment variable: directories holding the binaries, separated like PATH. */
    public static final String BIN_DIR_ENV = "POLYKUBE_BIN_DIR";

    private static final Logger LOG = LoggerFactory.getLogger(Binaries.class);

    private final BinaryVersions versions;
    private final Map<Binary, Path> explicit;
    private final List<Path> binDirs;
    private final boolean binDirsFromEnv;
    private final BinaryCache cache;
    private final String searchPath;
    private final boolean allowBuild;
    private final ReleaseMirror mirror;
    private final GoModuleBuilder goBuilder;
    private final ProgressListener progress;
    private final VersionProbe probe = new VersionProbe();
    private final Map<BinarySet, Object> setLocks = new ConcurrentHashMap<>();

    private Binaries(Builder b) {
        Map<String, String> env = b.environment;
        this.versions = b.versions != null ? b.versions : BinaryVersions.defaults();
        this.explicit = Map.copyOf(b.explicit);
        if (b.binDirs != null) {
            this.binDirs = b.binDirs;
            this.binDirsFromEnv = false;
        } else {
            this.binDirs = splitPath(env.get(BIN_DIR_ENV));
            this.binDirsFromEnv = true;
        }
        this.cache = b.cache != null ? b.cache : new BinaryCache(BinaryCache.defaultRoot(env));
        this.searchPath = b.searchPath != null ? b.searchPath : env.getOrDefault("PATH", "");
        this.allowBuild = b.allowBuild;
        this.mirror = b.mirror != null ? ReleaseMirror.of(b.mirror, b.mirrorDigests) : null;
        this.progress = b.progress;
        this.goBuilder = b.goBuilder != null ? b.goBuilder : GoModuleBuilder.builder()
                .environment(env).searchPath(searchPath).logDir(cache.buildLogDir()).progress(progress).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The versions asked for. */
    public BinaryVersions versions() {
        return versions;
    }

    /** The cache this resolver reads and fills. */
    public BinaryCache cache() {
        return cache;
    }

    /** Finds {@code binary} (see the class comment for the order) or throws a {@link BinaryException}. */
    public ResolvedBinary resolve(Binary binary) {
        Objects.requireNonNull(binary, "binary");
        String version = binary.set().version(versions);
        String what = binary.fileName() + " " + binary.set().versionTag(version);
        List<String> looked = new ArrayList<>();

        Path path = explicit.get(binary);
        if (path != null) {
            if (!Files.isRegularFile(path) || !Files.isExecutable(path)) {
                throw new BinaryException("the path given for " + binary.fileName() + ", " + path
                        + ", is not an executable file: fix the path or leave it out to use POLYKUBE_BIN_DIR, the cache or PATH");
            }
            return checked(binary, path, version, Source.EXPLICIT);
        }
        looked.add("no explicit path for " + binary.fileName());

        String binDirOrigin = binDirsFromEnv ? BIN_DIR_ENV : "binDirs";
        for (Path dir : binDirs) {
            Path candidate = dir.resolve(binary.fileName());
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return checked(binary, candidate, version, Source.BIN_DIR);
            }
            looked.add(binDirOrigin + ": " + candidate + " does not exist");
        }
        if (binDirs.isEmpty()) {
            looked.add(binDirOrigin + (binDirsFromEnv ? " is not set" : " is empty"));
        }

        BinarySet set = binary.set();
        synchronized (setLocks.computeIfAbsent(set, s -> new Object())) {
            Optional<Path> cached = validCacheSet(set, version, looked);
            if (cached.isPresent()) {
                // The set's manifest names this set and version and its hashes matched (now, or when last hashed with no
                // file changed since): running the binary again to ask its version would only cost a process per start.
                return new ResolvedBinary(binary, cached.get().resolve(binary.fileName()), version, Source.CACHE);
            }

            for (String dir : searchPath.split(File.pathSeparator)) {
                if (dir.isEmpty()) {
                    continue;
                }
                Path candidate = Path.of(dir, binary.fileName());
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    try {
                        String reported = probe.reportedVersion(binary, candidate);
                        if (VersionProbe.matches(reported, version)) {
                            return new ResolvedBinary(binary, candidate, reported, Source.PATH);
                        }
                        looked.add("PATH: " + candidate + " reports " + reported + ", not " + version + " (skipped)");
                        LOG.info("skipping {}: it reports {}, asked {}", candidate, reported, version);
                    } catch (BinaryException e) {
                        looked.add("PATH: " + candidate + " skipped: " + e.getMessage());
                    }
                }
            }
            looked.add("no matching " + binary.fileName() + " on PATH");

            BinaryException downloadFailure = null;
            if (mirror != null && ReleaseMirror.carries(set)) {
                try {
                    Path dir = cache.ensure(set, version, temp -> Steps.run(progress,
                            "download " + set.describe(version) + " from " + mirror.base(), () -> mirror.download(set, version, temp)));
                    return checked(binary, dir.resolve(binary.fileName()), version, Source.DOWNLOADED);
                } catch (BinaryException e) {
                    if (!allowBuild) {
                        throw e;
                    }
                    LOG.warn("download of {} failed, building from source instead: {}", set.describe(version), e.getMessage());
                    downloadFailure = e;
                    looked.add("download from " + mirror.base() + " failed: " + e.getMessage());
                }
            } else {
                looked.add(mirror == null ? "download: no mirror configured" : "download: " + set.id() + " is not on mirrors");
            }

            if (allowBuild) {
                try {
                    Path dir = cache.ensure(set, version, temp -> goBuilder.build(set, version, temp));
                    return checked(binary, dir.resolve(binary.fileName()), version, Source.BUILT);
                } catch (BinaryException e) {
                    if (downloadFailure != null) {
                        e.addSuppressed(downloadFailure);
                    }
                    throw e;
                }
            }
            looked.add("build from source: not allowed");
        }
        throw new BinaryException(what + " not found. Looked at:\n  - " + String.join("\n  - ", looked)
                + "\nRun `./polykube setup` to build the binaries into the cache (" + cache.binDir() + "), or set "
                + BIN_DIR_ENV + " to a directory that holds them (or allow building/downloading in Binaries.builder())");
    }

    /** Resolves each of {@code binaries}; the result iterates in {@link ClusterBinary} order. */
    public Map<ClusterBinary, ResolvedBinary> resolveAll(Set<ClusterBinary> binaries) {
        Map<ClusterBinary, ResolvedBinary> result = new EnumMap<>(ClusterBinary.class);
        for (ClusterBinary binary : new TreeSet<>(binaries)) {
            result.put(binary, resolve(binary));
        }
        return Collections.unmodifiableMap(result);
    }

    private Optional<Path> validCacheSet(BinarySet set, String version, List<String> looked) {
        BinaryCache.Check check = cache.check(set, version);
        switch (check.state()) {
            case VALID:
                return Optional.of(check.dir());
            case CORRUPT:
                LOG.warn("cache entry {} is corrupt ({}): deleting it, it is never used", check.dir(), check.problem());
                cache.delete(set, version);
                looked.add("cache: " + check.dir() + " was corrupt (" + check.problem() + ") and was deleted");
                return Optional.empty();
            default:
                looked.add("cache: " + check.dir() + " does not exist");
                return Optional.empty();
        }
    }

    private ResolvedBinary checked(Binary binary, Path path, String version, Source source) {
        String reported = probe.reportedVersion(binary, path);
        if (!VersionProbe.matches(reported, version)) {
            throw new BinaryException(binary.fileName() + " found at " + path + " (" + describe(source) + ") reports version "
                    + reported + ", but " + version + " is asked for. Fix: run `./polykube setup` to cache " + version
                    + (source == Source.CACHE ? "" : ", or point " + describe(source) + " at a " + version + " binary"));
        }
        return new ResolvedBinary(binary, path, reported, source);
    }

    private String describe(Source source) {
        switch (source) {
            case EXPLICIT:
                return "the explicit path";
            case BIN_DIR:
                return binDirsFromEnv ? BIN_DIR_ENV : "binDirs";
            case CACHE:
                return "the cache";
            case PATH:
                return "PATH";
            case BUILT:
                return "just built";
            default:
                return "just downloaded";
        }
    }

    static List<Path> splitPath(String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        List<Path> dirs = new ArrayList<>();
        for (String s : value.split(File.pathSeparator)) {
            if (!s.isBlank()) {
                dirs.add(Path.of(s.trim()));
            }
        }
        return List.copyOf(dirs);
    }

    /** Configures {@link Binaries}; everything is optional. */
    public static final class Builder {
        private BinaryVersions versions;
        private final Map<Binary, Path> explicit = new HashMap<>();
        private List<Path> binDirs;
        private BinaryCache cache;
        private String searchPath;
        private boolean allowBuild;
        private URI mirror;
        private ReleaseDigests mirrorDigests;
        private GoModuleBuilder goBuilder;
        private ProgressListener progress = ProgressListener.none();
        private Map<String, String> environment = System.getenv();

        private Builder() {
        }

        /** The versions to find (default: {@link BinaryVersions#defaults()}). */
        public Builder versions(BinaryVersions versions) {
            this.versions = Objects.requireNonNull(versions, "versions");
            return this;
        }

        /** Use exactly this file for {@code binary} (its version is still checked). */
        public Builder path(Binary binary, Path path) {
            explicit.put(Objects.requireNonNull(binary, "binary"), Objects.requireNonNull(path, "path"));
            return this;
        }

        /** Directories to look in before the cache; replaces {@code POLYKUBE_BIN_DIR}. */
        public Builder binDirs(List<Path> dirs) {
            this.binDirs = List.copyOf(dirs);
            return this;
        }

        /** Same as {@code binDirs(List.of(dir))}. */
        public Builder binDir(Path dir) {
            return binDirs(List.of(dir));
        }

        /** The cache (default: {@code $POLYKUBE_CACHE_DIR} or {@code ~/.cache/polykube}). */
        public Builder cache(BinaryCache cache) {
            this.cache = Objects.requireNonNull(cache, "cache");
            return this;
        }

        /** The PATH to search (default: the environment's PATH); also the PATH on which {@code go} is looked up. */
        public Builder searchPath(String path) {
            this.searchPath = Objects.requireNonNull(path, "searchPath");
            return this;
        }

        /** Whether a missing set may be built from source through the Go module proxy (default: false). */
        public Builder allowBuild(boolean allow) {
            this.allowBuild = allow;
            return this;
        }

        /**
         * A release mirror to download missing sets from, e.g. {@code https://dl.k8s.io/} (default: none): https, or
         * http on this machine only. Each file is checked against its digest in {@code digests}, which must come from
         * somewhere other than the mirror; a file with no pinned digest is not downloaded.
         */
        public Builder mirror(URI base, ReleaseDigests digests) {
            this.mirror = ReleaseMirror.checkBase(base);
            this.mirrorDigests = Objects.requireNonNull(digests, "digests");
            return this;
        }

        /** The builder used when building is allowed (default: one using this configuration's PATH and cache). */
        public Builder goModuleBuilder(GoModuleBuilder builder) {
            this.goBuilder = Objects.requireNonNull(builder, "goModuleBuilder");
            return this;
        }

        /** Receives build and download steps. */
        public Builder progress(ProgressListener progress) {
            this.progress = Objects.requireNonNull(progress, "progress");
            return this;
        }

        /** The environment read for POLYKUBE_BIN_DIR, POLYKUBE_CACHE_DIR and PATH (default: this process's). */
        public Builder environment(Map<String, String> environment) {
            this.environment = Map.copyOf(environment);
            return this;
        }

        public Binaries build() {
            return new Binaries(this);
        }
    }
}
