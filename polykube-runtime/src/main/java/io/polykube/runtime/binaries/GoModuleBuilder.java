package io.polykube.runtime.binaries;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Builds binary sets from source through the Go module proxy with the {@code go} found on {@code PATH}, each by its
 * {@link BuildRecipe}. This class holds what the recipes share: each build happens in a generated wrapper module
 * ({@link GoWorkspace}; Kubernetes and etcd carry local {@code replace} lines, so {@code go install pkg@version} refuses
 * them), with {@code CGO_ENABLED=0} unless a recipe asks for cgo, and its steps reported to the {@link ProgressListener}.
 * Go's output goes to a log file; a failure throws a {@link BinaryException} with the log's last lines.
 */
public final class GoModuleBuilder {

    private final GoCommand command;
    private final Path workDir;
    private final Path logDir;
    private final ProgressListener progress;
    private final Duration progressInterval;

    private GoModuleBuilder(Builder b) {
        Map<String, String> environment = Map.copyOf(b.environment);
        this.command = new GoCommand(environment, b.searchPath != null ? b.searchPath : environment.getOrDefault("PATH", ""));
        this.workDir = b.workDir != null ? b.workDir : Path.of(System.getProperty("java.io.tmpdir"));
        this.logDir = b.logDir != null ? b.logDir : BinaryCache.defaultRoot(environment).resolve("bin/build-logs");
        this.progress = b.progress;
        this.progressInterval = b.progressInterval;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Why this builder could not build anything here (no {@code go} on its search path), or empty when it could. */
    public Optional<String> toolchainProblem() {
        try {
            command.goExecutable();
            return Optional.empty();
        } catch (BinaryException e) {
            return Optional.of(e.getMessage());
        }
    }

    /** Builds {@code set} at {@code version} into {@code outDir} by the set's recipe. */
    public Provenance build(BinarySet set, String version, Path outDir) {
        return set.recipe().build(this, version, outDir);
    }

    /**
     * Runs {@code work} in a new workspace for {@code set} at {@code version}, without cgo: a fresh module directory under
     * the work directory, removed afterwards whatever happens, and a new log file in the log directory.
     *
     * @throws BinaryException if there is no go, or the work fails
     */
    public Provenance inWorkspace(BinarySet set, String version, GoWorkspace.Work work) {
        return inWorkspace(set, version, false, work);
    }

    /** Like {@link #inWorkspace(BinarySet, String, GoWorkspace.Work)}, with cgo on. */
    Provenance inCgoWorkspace(BinarySet set, String version, GoWorkspace.Work work) {
        return inWorkspace(set, version, true, work);
    }

    private Provenance inWorkspace(BinarySet set, String version, boolean cgo, GoWorkspace.Work work) {
        String what = set.describe(version);
        Path go = command.goExecutable();
        GoWorkspace ws = new GoWorkspace(what, go, command.goVersion(go), newLog(set, version),
                createWorkDir("polykube-" + set.dirName(version) + "-build-"), cgo, command, progress, progressInterval);
        try {
            return work.run(ws);
        } catch (IOException e) {
            throw new BinaryException("building " + what + " failed: " + e, e);
        } finally {
            BinaryCache.deleteTree(ws.module());
        }
    }

    /** How go and the tools a build needs are run. */
    GoCommand command() {
        return command;
    }

    private Path newLog(BinarySet set, String version) {
        try {
            Files.createDirectories(logDir);
            String stamp = DateTimeFormatter.ISO_INSTANT.format(Instant.now().truncatedTo(ChronoUnit.SECONDS)).replace(":", "");
            Path log = logDir.resolve(set.dirName(version) + "-" + stamp + ".log");
            Files.writeString(log, "", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            return log;
        } catch (IOException e) {
            throw new BinaryException("cannot create the build log directory " + logDir + ": " + e.getMessage(), e);
        }
    }

    private Path createWorkDir(String prefix) {
        try {
            Files.createDirectories(workDir);
            return Files.createTempDirectory(workDir, prefix);
        } catch (IOException e) {
            throw new BinaryException("cannot create a temporary build directory in " + workDir + ": " + e.getMessage(), e);
        }
    }

    /** Configures a {@link GoModuleBuilder}. */
    public static final class Builder {
        private Map<String, String> environment = System.getenv();
        private String searchPath;
        private Path workDir;
        private Path logDir;
        private ProgressListener progress = ProgressListener.none();
        private Duration progressInterval = Duration.ofSeconds(10);

        private Builder() {
        }

        /** How often a running {@code go build} reports its progress to the listener (default 10 s). */
        public Builder progressInterval(Duration interval) {
            Objects.requireNonNull(interval, "interval");
            if (interval.toMillis() < 100) {
                throw new IllegalArgumentException("progressInterval must be at least 100 ms, got " + interval);
            }
            this.progressInterval = interval;
            return this;
        }

        /** Base environment of the go processes (default: this process's). */
        public Builder environment(Map<String, String> environment) {
            this.environment = Objects.requireNonNull(environment, "environment");
            return this;
        }

        /** Where to look for {@code go} and what the go processes get as PATH (default: the environment's PATH). */
        public Builder searchPath(String path) {
            this.searchPath = Objects.requireNonNull(path, "searchPath");
            return this;
        }

        /** Parent of the temporary wrapper modules (default: java.io.tmpdir). */
        public Builder workDir(Path workDir) {
            this.workDir = Objects.requireNonNull(workDir, "workDir");
            return this;
        }

        /** Where Go's output is logged (default: the cache's {@code bin/build-logs}). */
        public Builder logDir(Path logDir) {
            this.logDir = Objects.requireNonNull(logDir, "logDir");
            return this;
        }

        /** Receives each step and its duration (default: none; steps are logged through slf4j anyway). */
        public Builder progress(ProgressListener progress) {
            this.progress = Objects.requireNonNull(progress, "progress");
            return this;
        }

        public GoModuleBuilder build() {
            return new GoModuleBuilder(this);
        }
    }
}
