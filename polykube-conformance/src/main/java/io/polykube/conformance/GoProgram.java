package io.polykube.conformance;

import io.polykube.api.error.PolykubeException;
import io.polykube.files.AtomicFile;
import io.polykube.files.TreeDeletion;
import io.polykube.runtime.binaries.GoWorkspace;
import io.polykube.runtime.command.BoundedCommand;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A small Go program of a conformance test image, built once with CGO off (as upstream's image Makefiles do) into
 * {@code <binary cache>/<name>-v<version>/<name>}: the sample-apiserver ({@code go install} of the published staging module)
 * and nonewprivs ({@code go build} of its single standard-library file in the k8s.io/kubernetes module source).
 */
final class GoProgram {
    static final String SAMPLE_API_SERVER_MODULE = "k8s.io/sample-apiserver";
    /** nonewprivs' only source file (it imports the standard library alone), relative to the k8s.io/kubernetes module. */
    static final String NONEWPRIVS_SOURCE = "test/images/nonewprivs/nnp.go";
    private static final long BUILD_MINUTES = 30;

    private final Path binDir;
    private final String name;
    private final String version;
    /** What is built, for messages, e.g. {@code k8s.io/sample-apiserver@v0.34.4}. */
    private final String what;
    /** go's arguments; go runs in an empty temporary directory, which is also GOBIN, and leaves the program there. */
    private final List<String> goArgs;
    /** Left out of the run meanwhile, e.g. {@code --skip 'Sample API Server'}. */
    private final String skip;
    /** The source file that must exist before a build, with how to get it; none for a module go downloads itself. */
    private final Optional<Source> source;
    /** The Kubernetes module whose go.mod names the least Go that builds the program. */
    private final KubernetesSource kubernetes;

    private record Source(Path file, String fix) {
    }

    private GoProgram(Path binDir, String name, String version, String what, List<String> goArgs, String skip,
            Optional<Source> source, KubernetesSource kubernetes) {
        this.binDir = Objects.requireNonNull(binDir, "binDir");
        this.name = name;
        this.version = version;
        this.what = what;
        this.goArgs = List.copyOf(goArgs);
        this.skip = skip;
        this.source = source;
        this.kubernetes = Objects.requireNonNull(kubernetes, "kubernetes");
    }

    /**
     * The sample-apiserver: {@code k8s.io/sample-apiserver} at the staging version of the cluster's Kubernetes (v0.37.2 for
     * 1.37.2), into {@code sample-apiserver-v0.37.2/}.
     *
     * @param binDir     the binary cache's {@code bin} directory
     * @param kubernetes the k8s.io/kubernetes module source of the cluster's Kubernetes version
     */
    static GoProgram sampleApiServer(Path binDir, KubernetesSource kubernetes) {
        String staging = stagingVersion(kubernetes.version());
        String module = SAMPLE_API_SERVER_MODULE + "@v" + staging;
        return new GoProgram(binDir, "sample-apiserver", staging, module,
                List.of("install", "-trimpath", "-ldflags", "-s -w", module), "--skip 'Sample API Server'", Optional.empty(),
                kubernetes);
    }

    /**
     * nonewprivs' {@code nnp} (prints {@code Effective uid: N}) from {@code test/images/nonewprivs/nnp.go} of the
     * k8s.io/kubernetes module source {@code kubernetes}, into {@code nnp-v<its version>/}. The file imports only the
     * standard library, so it is built on its own, outside any module: nothing is downloaded.
     */
    static GoProgram nonewprivs(Path binDir, KubernetesSource kubernetes) {
        Path source = kubernetes.resolve(NONEWPRIVS_SOURCE);
        return new GoProgram(binDir, "nnp", kubernetes.version(), source.toString(),
                List.of("build", "-trimpath", "-ldflags", "-s -w", "-o", "nnp", source.toString()),
                "--skip 'AllowPrivilegeEscalation'", Optional.of(new Source(source, kubernetes.fix())), kubernetes);
    }

    /** The staging modules' version of a Kubernetes version: {@code 1.34.4} gives {@code 0.34.4}. */
    static String stagingVersion(String kubernetes) {
        if (!kubernetes.matches("1\\.\\d+\\.\\d+")) {
            throw new PolykubeException("Kubernetes version '" + kubernetes + "' is not of the form 1.MINOR.PATCH");
        }
        return "0" + kubernetes.substring(1);
    }

    /** Where the program is (or will be) cached. */
    Path path() {
        return binDir.resolve(name + "-v" + version).resolve(name);
    }

    /** The cached program, built first when missing ({@code say} hears what happens). */
    Path resolve(Consumer<String> say) {
        Path binary = path();
        if (Files.isExecutable(binary)) {
            return binary;
        }
        source.filter(s -> !Files.isRegularFile(s.file())).ifPresent(s -> {
            throw new PolykubeException(s.file() + " is missing: " + name + " is built from it; " + s.fix());
        });
        Path go = findGo();
        Path dir = binary.getParent();
        Path log = binDir.resolve("build-logs").resolve(name + "-v" + version + ".log");
        long t0 = System.nanoTime();
        say.accept("building " + what + " with go " + goArgs.get(0) + " (once; log " + log + ")");
        try {
            Files.createDirectories(log.getParent());
            Path tmp = Files.createTempDirectory(binDir, ".tmp-" + name + "-");
            try {
                List<String> command = new ArrayList<>(List.of(go.toString()));
                command.addAll(servedModuleArgs(go, tmp, say));
                // run in the empty temporary directory: outside any module, and -o nnp lands there too
                ProcessBuilder pb = new ProcessBuilder(command).directory(tmp.toFile()).redirectErrorStream(true)
                        .redirectOutput(log.toFile());
                pb.environment().put("CGO_ENABLED", "0");
                pb.environment().put("GOBIN", tmp.toString());
                Process p = pb.start();
                p.getOutputStream().close();
                if (!p.waitFor(BUILD_MINUTES, TimeUnit.MINUTES)) {
                    p.destroyForcibly();
                    throw new PolykubeException("go " + goArgs.get(0) + " " + what + " did not finish in " + BUILD_MINUTES
                            + " minutes: see " + log);
                }
                if (p.exitValue() != 0) {
                    throw new PolykubeException("go " + goArgs.get(0) + " " + what + " failed (exit " + p.exitValue() + "): "
                            + tail(log) + "\nFull log: " + log + ". Skip the test with " + skip + " meanwhile");
                }
                Files.createDirectories(dir);
                AtomicFile.rename(tmp.resolve(name), binary);
            } finally {
                TreeDeletion.delete(tmp);
            }
        } catch (IOException e) {
            throw new PolykubeException("cannot build " + what + " into " + dir + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PolykubeException("interrupted while building " + what, e);
        }
        say.accept("built " + binary + " in " + TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0) + " s");
        return binary;
    }

    /**
     * {@link #goArgs}, where an installed module ({@code MODULE@vX.Y.Z}, the last argument of {@code go install}) that the
     * Go module proxy does not serve is replaced by the newest earlier patch of its minor that it serves (seen:
     * {@code k8s.io/sample-apiserver v0.33.13}), which {@code say} is told.
     */
    private List<String> servedModuleArgs(Path go, Path dir, Consumer<String> say) throws IOException, InterruptedException {
        String last = goArgs.get(goArgs.size() - 1);
        if (!goArgs.get(0).equals("install") || !last.contains("@v")) {
            return goArgs;
        }
        String module = last.substring(0, last.indexOf('@'));
        String version = last.substring(last.indexOf('@') + 1);
        if (served(go, dir, last)) {
            return goArgs;
        }
        String substitute = null;
        BoundedCommand.Outcome listed = goCommand(go, dir, "list", "-m", "-versions", module);
        String[] words = listed.output().strip().split("\\s+");
        for (int i = 1; listed.succeeded() && i < words.length; i++) {
            if (GoWorkspace.sameMinorBelow(words[i], version) && served(go, dir, module + "@" + words[i])) {
                substitute = words[i]; // listed oldest first: the last that passes is the newest
            }
        }
        if (substitute == null) {
            return goArgs; // the build fails and its log says why
        }
        say.accept("the Go module proxy does not serve " + last + "; building " + module + "@" + substitute
                + " instead (the newest earlier patch of that minor it serves)");
        List<String> args = new ArrayList<>(goArgs.subList(0, goArgs.size() - 1));
        args.add(module + "@" + substitute);
        return args;
    }

    private boolean served(Path go, Path dir, String moduleAtVersion) throws IOException, InterruptedException {
        return goCommand(go, dir, "mod", "download", "-json", moduleAtVersion).succeeded();
    }

    private static BoundedCommand.Outcome goCommand(Path go, Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(go.toString(), "-C", dir.toString()));
        command.addAll(List.of(args));
        return BoundedCommand.of(command).environment(env -> env.put("CGO_ENABLED", "0")).timeout(Duration.ofMinutes(5)).run();
    }

    private Path findGo() {
        String path = Objects.requireNonNullElse(System.getenv("PATH"), "") + File.pathSeparator + "/usr/local/go/bin";
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isBlank() && Files.isExecutable(Path.of(dir, "go"))) {
                return Path.of(dir, "go");
            }
        }
        throw new PolykubeException(goMissing());
    }

    /** Why go is needed and which to install: the go line of the Kubernetes go.mod, else that file named. */
    String goMissing() {
        String go = kubernetes.goVersion().map(v -> "Go " + v + " or newer (the go line of k8s.io/kubernetes@v"
                + kubernetes.version() + "'s go.mod)").orElse("the Go that the go line of " + kubernetes.resolve("go.mod")
                + " names, or newer");
        return "go not found on PATH: a conformance test image needs " + what + " built from source; install " + go
                + ", or skip the test with " + skip;
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    }
}
