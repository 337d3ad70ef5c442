package io.polykube.runtime.binaries;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One build's tools and places, made by {@link GoModuleBuilder#inWorkspace}: the go executable and its version, a fresh
 * wrapper module directory, the build log, and whether cgo is on. Its methods run the steps of a recipe, each timed,
 * logged and told to the progress listener.
 */
public final class GoWorkspace {

    /** What a recipe does in its workspace. */
    @FunctionalInterface
    public interface Work {
        Provenance run(GoWorkspace workspace) throws IOException;
    }

    private static final Logger LOG = LoggerFactory.getLogger(GoWorkspace.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String what;
    private final Path go;
    private final String goVersion;
    private final Path log;
    private final Path module;
    private final boolean cgo;
    private final GoCommand command;
    private final ProgressListener progress;
    private final Duration progressInterval;

    GoWorkspace(String what, Path go, String goVersion, Path log, Path module, boolean cgo, GoCommand command,
            ProgressListener progress, Duration progressInterval) {
        this.what = what;
        this.go = go;
        this.goVersion = goVersion;
        this.log = log;
        this.module = module;
        this.cgo = cgo;
        this.command = command;
        this.progress = progress;
        this.progressInterval = progressInterval;
    }

    /** The set and version built here, {@code etcd v3.6.16}: the start of every step's name. */
    public String what() {
        return what;
    }

    /** The build log: every go command and its output. */
    public Path log() {
        return log;
    }

    /** The wrapper module's directory, where go runs (removed after the build). */
    public Path module() {
        return module;
    }

    /**
     * As the step {@code step}: downloads the go.mod files of {@code queries} ({@code MODULE@vX.Y.Z}) through the Go module
     * proxy and writes the wrapper module's go.mod that {@code wrapper} derives from them (module path to go.mod text).
     */
    public void writeWrapperModule(String step, List<String> queries, Function<Map<String, String>, String> wrapper) {
        Steps.run(progress, step, () -> {
            Files.writeString(module.resolve("go.mod"), wrapper.apply(downloadGoMods(queries)));
            return null;
        });
    }

    /** Resolves {@code module@v<version>} through the proxy and writes the wrapper {@code polykube.local/<name>} that requires it alone. */
    public void writeSingleModuleWrapper(String name, String module, String version) {
        writeWrapperModule(what + ": resolve " + module + "@v" + version + " via the Go module proxy", List.of(module + "@v" + version),
                goMods -> singleModuleWrapper(name, module, goMods.get(module), version));
    }

    /** {@code go ARGS} ({@code build <flags> -o OUT <packages>}) as one step, with packages compiled / total as its progress. */
    public void goBuild(String step, List<String> args) {
        Steps.run(progress, step, () -> {
            runBuild(args, step);
            return null;
        });
    }

    /** {@code go ARGS} as one step, without progress of its own (a {@code go test -c} has no package list to count). */
    public void go(String step, List<String> args) {
        Steps.run(progress, step, () -> {
            GoCommand.failOnExit(command.run(go, module, args, log, null, null, cgo), log, what);
            return null;
        });
    }

    /** How the set was made: {@code how} and the Go version, at {@code date} (to the second). */
    public Provenance provenance(String how, Instant date) {
        return new Provenance(how + " (" + goVersion + ")", goVersion, date.truncatedTo(ChronoUnit.SECONDS));
    }

    /** Writes {@code content} into the module directory's file {@code name}. */
    void writeFile(String name, String content) throws IOException {
        Files.writeString(module.resolve(name), content);
    }

    /** Copies the resource {@code name} of this package (Go source shipped in the jar) into the module as {@code fileName}. */
    void copyResource(String name, String fileName) throws IOException {
        try (InputStream in = GoWorkspace.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new BinaryException("resource io/polykube/runtime/binaries/" + name + " is missing from the classpath");
            }
            Files.copy(in, module.resolve(fileName));
        }
    }

    /**
     * The wrapper go.mod {@code polykube.local/<name>} that requires {@code module} at {@code v<version>} and nothing
     * else, with the go line of {@code goModText} (that module's go.mod, checked to be its): every dependency is then at
     * the version the module itself asks for.
     */
    static String singleModuleWrapper(String name, String module, String goModText, String version) {
        GoMod mod = GoMod.parse(goModText);
        if (!module.equals(mod.module())) {
            throw new BinaryException("expected the go.mod of " + module + ", got module " + mod.module());
        }
        return "module polykube.local/" + name + "\n\ngo " + (mod.goVersion() != null ? mod.goVersion() : "1.24.0")
                + "\n\nrequire " + module + " v" + version + "\n";
    }

    /** The file name {@code go build -o dir/} gives a main package: its last path element, skipping a /vN suffix. */
    static String defaultExecutableName(String importPath) {
        String[] elems = importPath.split("/");
        String last = elems[elems.length - 1];
        if (elems.length > 1 && last.matches("v[0-9]+")) {
            return elems[elems.length - 2];
        }
        return last;
    }

    /** Runs {@code go mod download -json} for {@code queries}; returns module path to go.mod text. */
    private Map<String, String> downloadGoMods(List<String> queries) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("mod", "download", "-json"));
        args.addAll(queries);
        Path json = module.resolve("download.json");
        int exit = command.run(go, module, args, log, json);
        Map<String, String> goMods = new LinkedHashMap<>();
        List<String> errors = new ArrayList<>();
        try (MappingIterator<JsonNode> it = JSON.readerFor(JsonNode.class).readValues(json.toFile())) {
            while (it.hasNext()) {
                JsonNode node = it.next();
                String path = node.path("Path").asText();
                if (node.hasNonNull("Error")) {
                    errors.add(path + "@" + node.path("Version").asText() + ": " + node.get("Error").asText());
                } else if (node.hasNonNull("GoMod")) {
                    goMods.put(path, Files.readString(Path.of(node.get("GoMod").asText())));
                }
            }
        } catch (IOException | RuntimeException e) {
            errors.add("cannot read the output of `go mod download -json`: " + e.getMessage());
        }
        if (!errors.isEmpty() || exit != 0 || goMods.size() != queries.size()) {
            throw new BinaryException("the Go module proxy does not serve " + what + " ("
                    + String.join("; ", errors.isEmpty() ? List.of("exit " + exit) : errors) + "). "
                    + notServedHint(queries) + " Check GOPROXY too (" + command.variable("GOPROXY", "default")
                    + "); full log " + log + GoCommand.tail(log));
        }
        return goMods;
    }

    /**
     * As the step {@code step}: downloads {@code queries} ({@code MODULE@vX.Y.Z}) and, for each one the Go module proxy
     * refuses as not available, finds the newest version of the same module and {@code vX.Y} it lists below the refused
     * one that it does serve. Returns refused query to substitute version (empty when every one is served).
     *
     * @throws BinaryException if a refused version has no served substitute of its minor
     */
    public Map<String, String> substitutesForUnserved(String step, List<String> queries) {
        return Steps.run(progress, step, () -> {
            Map<String, String> substitutes = new LinkedHashMap<>();
            for (String refused : refused(queries)) {
                String path = refused.substring(0, refused.indexOf('@'));
                String version = refused.substring(refused.indexOf('@') + 1);
                String substitute = null;
                for (String candidate : listedVersions(path)) {
                    if (sameMinorBelow(candidate, version) && refused(List.of(path + "@" + candidate)).isEmpty()) {
                        substitute = candidate; // listed oldest first: the last that passes is the newest
                    }
                }
                if (substitute == null) {
                    throw new BinaryException("the Go module proxy does not serve " + refused + ", nor an earlier patch of its "
                            + "minor, so " + what + " cannot be built. " + notServedHint(List.of(refused)));
                }
                substitutes.put(refused, substitute);
            }
            return substitutes;
        });
    }

    /** Those of {@code queries} the proxy refuses as not available (403, 404 or 410: "not available", "not found"). */
    private List<String> refused(List<String> queries) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("mod", "download", "-json"));
        args.addAll(queries);
        Path json = module.resolve("download-check.json");
        command.run(go, module, args, log, json);
        List<String> refused = new ArrayList<>();
        try (MappingIterator<JsonNode> it = JSON.readerFor(JsonNode.class).readValues(json.toFile())) {
            while (it.hasNext()) {
                JsonNode node = it.next();
                String error = node.path("Error").asText("");
                if (error.contains("not available") || error.contains("404") || error.contains("410")
                        || error.contains("403")) {
                    refused.add(node.path("Path").asText() + "@" + node.path("Version").asText());
                } else if (!error.isEmpty()) {
                    throw new BinaryException("cannot check whether the Go module proxy serves " + node.path("Path").asText()
                            + "@" + node.path("Version").asText() + ": " + error + "; full log " + log);
                }
            }
        }
        return refused;
    }

    /** The versions of {@code path} the proxy lists ({@code go list -m -versions}), oldest first; only some of those served. */
    private List<String> listedVersions(String path) throws IOException, InterruptedException {
        Path out = module.resolve("versions.txt");
        if (command.run(go, module, List.of("list", "-m", "-versions", path), log, out) != 0) {
            return List.of();
        }
        String[] words = Files.readString(out).strip().split("\\s+");
        return words.length < 2 ? List.of() : List.of(words).subList(1, words.length);
    }

    /** Whether {@code candidate} has the major and minor of {@code version} and a lower patch ({@code vX.Y.Z}). */
    public static boolean sameMinorBelow(String candidate, String version) {
        String[] c = candidate.replaceFirst("^v", "").split("\\.");
        String[] v = version.replaceFirst("^v", "").split("\\.");
        if (c.length != 3 || v.length != 3 || !c[0].equals(v[0]) || !c[1].equals(v[1])) {
            return false;
        }
        try {
            return Integer.parseInt(c[2]) < Integer.parseInt(v[2]);
        } catch (NumberFormatException e) {
            return false; // a pre-release
        }
    }

    /**
     * How to check whether the proxy serves {@code queries} ({@code MODULE@vX.Y.Z}): one version at a time with
     * {@code go list -m -json}, since {@code go list -m -versions} lists only part of what the proxy serves.
     */
    static String notServedHint(List<String> queries) {
        return "Check each version with `go list -m -json " + queries.get(0) + "` (\"403 Forbidden ... not available\" means "
                + "it is not served; do not go by `go list -m -versions`, which lists only some of the versions served), or "
                + "choose a known version (" + KnownVersions.knownMinors() + ") by its minor.";
    }

    /**
     * Runs {@code buildArgs} ({@code build <flags> -o OUT <packages>}) with {@code -v}, telling the progress listener every
     * {@code progressInterval} how many of the packages {@code go list -deps} found stale have been compiled.
     */
    private void runBuild(List<String> buildArgs, String step) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        AtomicLong downloads = new AtomicLong();
        AtomicReference<Supplier<Progress>> now = new AtomicReference<>(() -> new Progress(downloads.get(), 0,
                "modules downloaded while listing the packages to build", Duration.ofNanos(System.nanoTime() - t0)));
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "polykube-go-build-progress");
            t.setDaemon(true);
            return t;
        });
        long every = progressInterval.toMillis();
        ticker.scheduleAtFixedRate(() -> {
            try {
                progress.progress(step, now.get().get());
            } catch (RuntimeException e) {
                LOG.debug("progress listener failed: {}", e.toString());
            }
        }, every, every, TimeUnit.MILLISECONDS);
        GoBuildOutput output;
        int exit;
        try {
            output = new GoBuildOutput(packagesToBuild(buildArgs, line -> {
                if (line.startsWith("go: downloading ")) {
                    downloads.incrementAndGet();
                }
            }));
            List<String> args = new ArrayList<>(buildArgs);
            args.add(1, "-v"); // prints each package as it is compiled
            long t1 = System.nanoTime();
            now.set(() -> output.progress(Duration.ofNanos(System.nanoTime() - t1)));
            exit = command.run(go, module, args, log, null, output::line, cgo);
        } finally {
            ticker.shutdownNow();
        }
        LOG.info("{}: compiled {} of {} packages", step, output.built(), output.total());
        GoCommand.failOnExit(exit, log, what);
    }

    /** The packages a build would compile ({@code go list -deps}, stale ones only); empty when go list fails. */
    private Set<String> packagesToBuild(List<String> buildArgs, Consumer<String> stderrLines)
            throws IOException, InterruptedException {
        int o = buildArgs.indexOf("-o");
        List<String> args = new ArrayList<>(List.of("list", "-deps", "-f", "{{if .Stale}}{{.ImportPath}}{{end}}"));
        args.addAll(buildArgs.subList(1, o)); // the same flags, so staleness is judged for the same build
        args.addAll(buildArgs.subList(o + 2, buildArgs.size()));
        Path out = module.resolve("deps.txt");
        int exit = command.run(go, module, args, log, out, stderrLines, cgo);
        if (exit != 0) {
            LOG.warn("go list -deps failed (exit {}, see {}): progress is shown without a total", exit, log);
            return Set.of();
        }
        return GoBuildOutput.parseList(Files.readString(out));
    }
}
