package io.polykube.runtime.process;

import io.polykube.runtime.ProcessException;
import io.polykube.runtime.probe.Probe;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What to run and how to supervise it. Immutable; built with {@link #builder(String)}, which
 * validates everything at {@link Builder#build()} and names the wrong field.
 */
public final class ProcessSpec {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

    private final String name;
    private final Path executable;
    private final List<String> arguments;
    private final Map<String, String> environment;
    private final Path workingDirectory;
    private final Path logFile;
    private final Probe readiness;
    private final Duration readinessTimeout;
    private final Duration probeInterval;
    private final RestartPolicy restartPolicy;
    private final Duration stopGracePeriod;
    private final Set<String> dependsOn;

    private ProcessSpec(Builder b) {
        this.name = b.name;
        this.executable = b.executable;
        this.arguments = List.copyOf(b.arguments);
        this.environment = Map.copyOf(b.environment);
        this.workingDirectory = b.workingDirectory;
        this.logFile = b.logFile;
        this.readiness = b.readiness;
        this.readinessTimeout = b.readinessTimeout;
        this.probeInterval = b.probeInterval;
        this.restartPolicy = b.restartPolicy;
        this.stopGracePeriod = b.stopGracePeriod;
        this.dependsOn = Set.copyOf(b.dependsOn);
    }

    /** Starts a spec for a process with a unique name ({@code [A-Za-z0-9._-]}, used for files and the logger). */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    public String name() {
        return name;
    }

    /** Absolute path of the executable. */
    public Path executable() {
        return executable;
    }

    public List<String> arguments() {
        return arguments;
    }

    /** The full command line: executable then arguments. */
    public List<String> command() {
        List<String> command = new ArrayList<>(arguments.size() + 1);
        command.add(executable.toString());
        command.addAll(arguments);
        return List.copyOf(command);
    }

    /** Variables added to (or overriding) the JVM's environment. */
    public Map<String, String> environment() {
        return environment;
    }

    public Optional<Path> workingDirectory() {
        return Optional.ofNullable(workingDirectory);
    }

    /** The log file if set; otherwise the supervisor uses {@code <runDirectory>/logs/<name>.log}. */
    public Optional<Path> logFile() {
        return Optional.ofNullable(logFile);
    }

    public Probe readiness() {
        return readiness;
    }

    public Duration readinessTimeout() {
        return readinessTimeout;
    }

    public Duration probeInterval() {
        return probeInterval;
    }

    public RestartPolicy restartPolicy() {
        return restartPolicy;
    }

    public Duration stopGracePeriod() {
        return stopGracePeriod;
    }

    /** Names of specs that must be ready before this one starts. */
    public Set<String> dependsOn() {
        return dependsOn;
    }

    @Override
    public String toString() {
        return "ProcessSpec[" + name + ": " + command() + (dependsOn.isEmpty() ? "" : " after " + dependsOn) + "]";
    }

    /** Builder; every setter may be called again to override. */
    public static final class Builder {
        private final String name;
        private Path executable;
        private final List<String> arguments = new ArrayList<>();
        private final Map<String, String> environment = new LinkedHashMap<>();
        private Path workingDirectory;
        private Path logFile;
        private Probe readiness = Probe.started();
        private Duration readinessTimeout = Duration.ofSeconds(60);
        private Duration probeInterval = Duration.ofMillis(100);
        private RestartPolicy restartPolicy = RestartPolicy.never();
        private Duration stopGracePeriod = Duration.ofSeconds(10);
        private final Set<String> dependsOn = new LinkedHashSet<>();

        private Builder(String name) {
            this.name = name;
        }

        public Builder executable(Path executable) {
            this.executable = executable;
            return this;
        }

        /** Sets executable and arguments at once. */
        public Builder command(Path executable, String... arguments) {
            this.executable = executable;
            this.arguments.clear();
            this.arguments.addAll(List.of(arguments));
            return this;
        }

        /** Replaces the arguments. */
        public Builder arguments(List<String> arguments) {
            this.arguments.clear();
            this.arguments.addAll(arguments);
            return this;
        }

        /** Appends arguments. */
        public Builder addArguments(String... arguments) {
            this.arguments.addAll(List.of(arguments));
            return this;
        }

        /** Replaces the extra environment variables. */
        public Builder environment(Map<String, String> environment) {
            this.environment.clear();
            this.environment.putAll(environment);
            return this;
        }

        public Builder environment(String key, String value) {
            this.environment.put(key, value);
            return this;
        }

        public Builder workingDirectory(Path workingDirectory) {
            this.workingDirectory = workingDirectory;
            return this;
        }

        public Builder logFile(Path logFile) {
            this.logFile = logFile;
            return this;
        }

        public Builder readiness(Probe readiness) {
            this.readiness = readiness;
            return this;
        }

        public Builder readinessTimeout(Duration readinessTimeout) {
            this.readinessTimeout = readinessTimeout;
            return this;
        }

        /** Alias of {@link #readinessTimeout(Duration)}. */
        public Builder startTimeout(Duration startTimeout) {
            return readinessTimeout(startTimeout);
        }

        public Builder probeInterval(Duration probeInterval) {
            this.probeInterval = probeInterval;
            return this;
        }

        public Builder restartPolicy(RestartPolicy restartPolicy) {
            this.restartPolicy = restartPolicy;
            return this;
        }

        public Builder stopGracePeriod(Duration stopGracePeriod) {
            this.stopGracePeriod = stopGracePeriod;
            return this;
        }

        public Builder dependsOn(String... names) {
            this.dependsOn.addAll(List.of(names));
            return this;
        }

        public Builder dependsOn(Iterable<String> names) {
            names.forEach(this.dependsOn::add);
            return this;
        }

        /**
         * Validates and builds.
         *
         * @throws ProcessException naming the wrong field and what is expected
         */
        public ProcessSpec build() {
            String where = "ProcessSpec '" + name + "': ";
            if (name == null || !NAME.matcher(name).matches()) {
                throw new ProcessException("ProcessSpec.name must match " + NAME.pattern() + " (it names the log and record files), got '" + name + "'");
            }
            if (executable == null) {
                throw new ProcessException(where + "executable is not set; call executable(Path)");
            }
            executable = executable.toAbsolutePath().normalize();
            if (!Files.exists(executable)) {
                throw new ProcessException(where + "executable " + executable + " does not exist; check the path or install the binary");
            }
            if (!Files.isRegularFile(executable)) {
                throw new ProcessException(where + "executable " + executable + " is not a regular file");
            }
            if (!Files.isExecutable(executable)) {
                throw new ProcessException(where + "executable " + executable + " is not executable; run chmod +x " + executable);
            }
            for (int i = 0; i < arguments.size(); i++) {
                if (arguments.get(i) == null) {
                    throw new ProcessException(where + "argument " + i + " is null");
                }
            }
            environment.forEach((k, v) -> {
                if (k == null || k.isEmpty() || k.contains("=") || v == null) {
                    throw new ProcessException(where + "environment entry '" + k + "'='" + v + "' is invalid (empty key, '=' in key or null value)");
                }
            });
            if (workingDirectory != null) {
                workingDirectory = workingDirectory.toAbsolutePath().normalize();
                if (!Files.isDirectory(workingDirectory)) {
                    throw new ProcessException(where + "workingDirectory " + workingDirectory + " is not an existing directory");
                }
            }
            if (logFile != null) {
                logFile = logFile.toAbsolutePath().normalize();
            }
            Objects.requireNonNull(readiness, where + "readiness must not be null (use Probe.started())");
            Objects.requireNonNull(restartPolicy, where + "restartPolicy must not be null (use RestartPolicy.never())");
            positive(where, "readinessTimeout", readinessTimeout);
            positive(where, "probeInterval", probeInterval);
            if (stopGracePeriod == null || stopGracePeriod.isNegative()) {
                throw new ProcessException(where + "stopGracePeriod must be zero or positive, got " + stopGracePeriod);
            }
            if (dependsOn.contains(name)) {
                throw new ProcessException(where + "a process cannot depend on itself");
            }
            return new ProcessSpec(this);
        }

        private static void positive(String where, String field, Duration value) {
            if (value == null || value.isNegative() || value.isZero()) {
                throw new ProcessException(where + field + " must be positive, got " + value);
            }
        }
    }
}
