package io.polykube.runtime.binaries;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.File;
import io.polykube.runtime.command.BoundedCommand;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@code go} (and the few tools a build asks about) in the builds' environment: the given one with the search path
 * as {@code PATH}, {@code CGO_ENABLED} on or off, {@code GOFLAGS=-mod=mod} and {@code GOWORK=off}; output goes to a log.
 */
final class GoCommand {

    private static final Logger LOG = LoggerFactory.getLogger(GoCommand.class);
    private static final int TAIL_LINES = 40;

    private final Map<String, String> environment;
    private final String searchPath;

    GoCommand(Map<String, String> environment, String searchPath) {
        this.environment = Map.copyOf(environment);
        this.searchPath = searchPath;
    }

    /** The PATH on which go and the tools are found. */
    String searchPath() {
        return searchPath;
    }

    /** The value of {@code name} in the base environment, or {@code otherwise}. */
    String variable(String name, String otherwise) {
        return environment.getOrDefault(name, otherwise);
    }

    /** The {@code go} executable on the search path, or a {@link BinaryException} that says what to do. */
    Path goExecutable() {
        return onSearchPath("go").orElseThrow(() -> new BinaryException("Go is not installed: no `go` executable on PATH ("
                + searchPath + "). Building Kubernetes, etcd and the node runtime from source needs Go " + KnownVersions.minimumGo()
                + " or newer: install it from https://go.dev/dl/ and put its bin directory on PATH, or use another source: "
                + "a release mirror with pinned digests (Binaries.builder().mirror(URI, ReleaseDigests)), POLYKUBE_BIN_DIR, or explicit paths"));
    }

    /** {@code go env GOVERSION}, e.g. {@code go1.26.8}. */
    String goVersion(Path go) {
        BoundedCommand.Outcome outcome;
        try {
            outcome = BoundedCommand.of(go.toString(), "env", "GOVERSION").environment(env -> {
                env.clear();
                env.putAll(environment(false));
            }).run();
        } catch (IOException e) {
            throw new BinaryException("cannot run " + go + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BinaryException("interrupted while running " + go, e);
        }
        if (!outcome.succeeded()) {
            throw new BinaryException("`" + go + " env GOVERSION` " + outcome.describeEnd() + ": " + outcome.output().trim());
        }
        return outcome.output().trim();
    }

    /** The executable {@code name} in a directory of the search path, if any. */
    Optional<Path> onSearchPath(String name) {
        for (String dir : searchPath.split(File.pathSeparator)) {
            if (!dir.isEmpty()) {
                Path candidate = Path.of(dir, name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    /** Runs go with output appended to {@code log} (stdout to {@code stdout} if given), without cgo. */
    int run(Path go, Path dir, List<String> args, Path log, Path stdout) throws IOException, InterruptedException {
        return run(go, dir, args, log, stdout, null, false);
    }

    /**
     * Like {@link #run(Path, Path, List, Path, Path)}, with cgo on or off; each stderr line also goes to
     * {@code stderrLines} if given.
     */
    int run(Path go, Path dir, List<String> args, Path log, Path stdout, Consumer<String> stderrLines, boolean cgo)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(go.toString());
        command.addAll(args);
        Files.writeString(log, "$ (cd " + dir + " && CGO_ENABLED=" + (cgo ? "1" : "0") + " GOFLAGS=-mod=mod "
                + String.join(" ", command.stream().map(a -> a.contains(" ") ? "'" + a + "'" : a).toList()) + ")\n",
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        pb.environment().clear();
        pb.environment().putAll(environment(cgo));
        pb.redirectError(stderrLines != null ? ProcessBuilder.Redirect.PIPE : ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.redirectOutput(stdout != null ? ProcessBuilder.Redirect.to(stdout.toFile())
                : ProcessBuilder.Redirect.appendTo(log.toFile()));
        LOG.debug("running {} in {}", command, dir);
        Process process = pb.start();
        Thread copier = stderrLines == null ? null : copyLines(process, log, stderrLines);
        try {
            int exit = process.waitFor();
            if (copier != null) {
                copier.join(10_000);
            }
            Files.writeString(log, "(exit " + exit + ")\n", StandardOpenOption.APPEND);
            return exit;
        } catch (InterruptedException e) {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
            throw e;
        }
    }

    /** Copies the process's stderr to {@code log}, line by line, handing each line to {@code lines}. */
    private static Thread copyLines(Process process, Path log, Consumer<String> lines) {
        Thread t = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8));
                    BufferedWriter out = Files.newBufferedWriter(log, StandardCharsets.UTF_8, StandardOpenOption.APPEND)) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    out.write(line);
                    out.newLine();
                    out.flush();
                    lines.accept(line);
                }
            } catch (IOException e) {
                LOG.debug("stopped copying go's output to {}: {}", log, e.toString());
            }
        }, "polykube-go-output");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** The environment of a go process (or a tool a cgo build uses), cgo on or off. */
    Map<String, String> environment(boolean cgo) {
        Map<String, String> env = new HashMap<>(environment);
        env.put("PATH", searchPath);
        env.put("CGO_ENABLED", cgo ? "1" : "0");
        env.put("GOFLAGS", "-mod=mod");
        env.put("GOWORK", "off");
        if (!env.containsKey("HOME")) {
            env.put("HOME", System.getProperty("user.home"));
        }
        return env;
    }

    /** Throws a {@link BinaryException} with the log's last lines, and a hint where one fits, when {@code exit} is not 0. */
    static void failOnExit(int exit, Path log, String what) {
        if (exit != 0) {
            String tail = tail(log);
            String hint = tail.contains("requires go >=") || tail.contains("go.mod requires go")
                    ? " The installed Go is too old for " + what + ": install a newer Go (https://go.dev/dl/)."
                    : tail.contains("libseccomp") ? " " + what + " needs libseccomp's headers: install libseccomp-dev and pkg-config."
                    : tail.contains("C compiler") ? " " + what + " is built with cgo: install gcc and libc6-dev." : "";
            throw new BinaryException("go build of " + what + " failed (exit " + exit + ")." + hint
                    + " Nothing was put in the cache. Full log " + log + tail);
        }
    }

    /** {@code . Last lines:} and the log's last lines, indented, for an error message. */
    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            List<String> last = lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size());
            return ". Last lines:\n  " + String.join("\n  ", last);
        } catch (IOException e) {
            return " (cannot read it: " + e.getMessage() + ")";
        }
    }
}
