package io.polykube.runtime.binaries;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the binary sets from source through the Go module proxy with the {@code go} found on
 * {@code PATH}. Each build happens in a generated wrapper module (Kubernetes and etcd carry local
 * {@code replace} lines, so {@code go install pkg@version} refuses them), with
 * {@code CGO_ENABLED=0} (runc alone needs cgo), {@code -trimpath} and {@code -ldflags "-s -w ..."}, all binaries of a set
 * in one {@code go build} where their build tags agree, so shared packages compile once. Go's output goes to a log file;
 * a failure throws a {@link BinaryException} with the log's last lines.
 */
public final class GoModuleBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(GoModuleBuilder.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int TAIL_LINES = 40;

    static final String KUBERNETES_MODULE = "k8s.io/kubernetes";
    static final List<String> KUBERNETES_COMMANDS = List.of("kube-apiserver", "kube-controller-manager",
            "kube-scheduler", "kubelet", "kube-proxy", "kubectl");
    /** etcd's main packages (3.5 to 3.7): each is the root of its own module. */
    static final Map<String, String> ETCD_MAINS = orderedMap(
            "go.etcd.io/etcd/server/v3", "etcd",
            "go.etcd.io/etcd/etcdctl/v3", "etcdctl",
            "go.etcd.io/etcd/etcdutl/v3", "etcdutl");
    static final String COREDNS_MODULE = "github.com/coredns/coredns";
    static final String CONTAINERD_MODULE = "github.com/containerd/containerd/v2";
    /**
     * containerd's build tags: the Makefile's {@code urfave_cli_no_docs}, and no btrfs, devmapper or zfs snapshotter (the
     * configuration disables them; without cgo btrfs is left out anyway).
     */
    static final List<String> CONTAINERD_TAGS = List.of("urfave_cli_no_docs", "no_btrfs", "no_devmapper", "no_zfs");
    /** The shim also leaves out the gRPC stubs of containerd's API (the Makefile's {@code SHIM_GO_BUILDTAGS}). */
    static final String SHIM_EXTRA_TAG = "no_grpc";
    static final String RUNC_MODULE = "github.com/opencontainers/runc";
    static final String CNI_PLUGINS_MODULE = "github.com/containernetworking/plugins";
    /** The CNI plugins a node needs, by package; each builds into the file named after its last path element. */
    static final List<String> CNI_PLUGIN_PACKAGES = List.of("plugins/main/bridge", "plugins/ipam/host-local",
            "plugins/main/loopback", "plugins/meta/portmap");

    private final Map<String, String> environment;
    private final String searchPath;
    private final Path workDir;
    private final Path logDir;
    private final ProgressListener progress;
    private final Duration progressInterval;

    private GoModuleBuilder(Builder b) {
        this.environment = Map.copyOf(b.environment);
        this.searchPath = b.searchPath != null ? b.searchPath : environment.getOrDefault("PATH", "");
        this.workDir = b.workDir != null ? b.workDir : Path.of(System.getProperty("java.io.tmpdir"));
        this.logDir = b.logDir != null ? b.logDir : BinaryCache.defaultRoot(environment).resolve("bin/build-logs");
        this.progress = b.progress;
        this.progressInterval = b.progressInterval;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@code set} at {@code version} into {@code outDir} (see the per-set methods). */
    public Provenance build(BinarySet set, String version, Path outDir) {
        switch (set) {
            case KUBERNETES:
                return buildKubernetes(version, outDir);
            case ETCD:
                return buildEtcd(version, outDir);
            case COREDNS:
                return buildCoreDns(version, outDir);
            case E2E:
                return buildE2e(version, outDir);
            case AGNHOST:
                return buildAgnhost(version, outDir);
            case GINKGO:
                return buildGinkgo(version, outDir);
            case CONTAINERD:
                return buildContainerd(version, outDir);
            case RUNC:
                return buildRunc(version, outDir);
            case CNI_PLUGINS:
                return buildCniPlugins(version, outDir);
            default:
                return buildPause(outDir);
        }
    }

    /**
     * Builds kube-apiserver, kube-controller-manager, kube-scheduler, kubelet, kube-proxy and
     * kubectl of Kubernetes {@code version} (e.g. {@code 1.34.4}) into {@code outDir}, in one
     * {@code go build}, with the version stamped in so each reports {@code v<version>}.
     */
    public Provenance buildKubernetes(String version, Path outDir) {
        BinaryVersions.checkFormat("kubernetes", version, 1);
        return inWorkspace(BinarySet.KUBERNETES, version, ws -> {
            writeKubernetesWrapper(ws, version);
            Instant date = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            List<String> args = new ArrayList<>(List.of("build", "-trimpath", "-ldflags", kubernetesLdflags(version, date),
                    "-o", outDir.toAbsolutePath() + File.separator));
            KUBERNETES_COMMANDS.forEach(c -> args.add(KUBERNETES_MODULE + "/cmd/" + c));
            goBuild(ws, ws.what() + ": go build " + String.join(", ", KUBERNETES_COMMANDS) + " (cold: many minutes; log " + ws.log()
                    + ")", args);
            return ws.provenance("go build via the Go module proxy", date);
        });
    }

    /** Writes the Kubernetes wrapper go.mod for {@code version} into {@code module}. */
    private void writeKubernetesWrapper(Workspace ws, String version) throws IOException {
        String wrapper = Steps.run(progress, ws.what() + ": resolve k8s.io/kubernetes@v" + version + " via the Go module proxy",
                () -> {
                    Map<String, String> goMods = downloadGoMods(ws.go(), ws.module(), ws.log(), ws.what(),
                            List.of(KUBERNETES_MODULE + "@v" + version));
                    return kubernetesWrapperGoMod(goMods.get(KUBERNETES_MODULE), version);
                });
        Files.writeString(ws.module().resolve("go.mod"), wrapper);
    }

    /**
     * Builds the upstream end-to-end test binary {@code e2e.test} of Kubernetes {@code version} into {@code outDir}: a
     * {@code go test -c} of {@code k8s.io/kubernetes/test/e2e} in the same wrapper module as the Kubernetes binaries, with
     * vet off (it would double a build that is long already) and the version stamped in.
     */
    public Provenance buildE2e(String version, Path outDir) {
        BinaryVersions.checkFormat("kubernetes", version, 1);
        return inWorkspace(BinarySet.E2E, version, ws -> {
            writeKubernetesWrapper(ws, version);
            Instant date = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            List<String> args = List.of("test", "-c", "-vet=off", "-trimpath", "-ldflags", kubernetesLdflags(version, date),
                    "-o", outDir.resolve(Binary.E2E_TEST.fileName()).toAbsolutePath().toString(), KUBERNETES_MODULE + "/test/e2e");
            // go test -c has no -v package list to count: no package progress, only the step's own lines
            Steps.run(progress, ws.what() + ": go test -c k8s.io/kubernetes/test/e2e (cold: 10+ minutes; log " + ws.log() + ")", () -> {
                runGo(ws.go(), ws.module(), args, ws.log(), ws.what());
                return null;
            });
            return ws.provenance("go test -c via the Go module proxy", date);
        });
    }

    /**
     * Builds agnhost {@code version} (the one {@link BinarySet#AGNHOST_VERSION} names) into {@code outDir/agnhost} from
     * {@code k8s.io/kubernetes/test/images/agnhost} of the pinned Kubernetes, with {@code main.Version} stamped as upstream does.
     */
    public Provenance buildAgnhost(String version, Path outDir) {
        return buildInKubernetesModule(Binary.AGNHOST, version, BinarySet.AGNHOST_VERSION, "the one the pinned Kubernetes' e2e "
                + "suite asks for", "-s -w -X main.Version=" + version, KUBERNETES_MODULE + "/test/images/agnhost", outDir);
    }

    /**
     * Builds the ginkgo command line {@code version} (the one {@link BinarySet#GINKGO_VERSION} names) into
     * {@code outDir/ginkgo} inside the pinned Kubernetes' wrapper module, so it is the ginkgo e2e.test is compiled with.
     */
    public Provenance buildGinkgo(String version, Path outDir) {
        return buildInKubernetesModule(Binary.GINKGO, version, BinarySet.GINKGO_VERSION, "the one the pinned Kubernetes' e2e "
                + "suite is compiled with", "-s -w", "github.com/onsi/ginkgo/v2/ginkgo", outDir);
    }

    /**
     * Builds the one program {@code binary} of its own set from package {@code pkg} inside the pinned Kubernetes' wrapper
     * module (so its dependencies are the ones Kubernetes requires), refusing any {@code version} but {@code pinned}.
     */
    private Provenance buildInKubernetesModule(Binary binary, String version, String pinned, String whyPinned, String ldflags,
            String pkg, Path outDir) {
        if (!pinned.equals(version)) {
            throw new BinaryException(binary.fileName() + " " + version + " cannot be built: polykube builds only "
                    + binary.fileName() + " " + pinned + ", " + whyPinned);
        }
        String kubernetes = BinaryVersions.defaults().kubernetes();
        return inWorkspace(binary.set(), version, ws -> {
            writeKubernetesWrapper(ws, kubernetes);
            goBuild(ws, ws.what() + ": go build " + pkg + " (log " + ws.log() + ")", List.of("build", "-trimpath", "-ldflags",
                    ldflags, "-o", outDir.resolve(binary.fileName()).toAbsolutePath().toString(), pkg));
            return ws.provenance("go build via the Go module proxy", Instant.now());
        });
    }

    /**
     * Builds etcd (from {@code go.etcd.io/etcd/server/v3}, renamed {@code etcd}), etcdctl and
     * etcdutl of etcd {@code version} (e.g. {@code 3.6.16}, {@code 3.5.33}) into {@code outDir} in one {@code go build}.
     * etcd reports its version from a constant of its api module, so no version flags are needed. See
     * {@link #etcdWrapperGoMod} for the module versions (etcd 3.5's {@code client/v2} is {@code v2.305.N}).
     */
    public Provenance buildEtcd(String version, Path outDir) {
        BinaryVersions.checkFormat("etcd", version, 3);
        return inWorkspace(BinarySet.ETCD, version, ws -> {
            String wrapper = Steps.run(progress, ws.what() + ": resolve etcd modules via the Go module proxy", () -> {
                List<String> queries = ETCD_MAINS.keySet().stream().map(m -> m + "@v" + version).toList();
                Map<String, String> goMods = downloadGoMods(ws.go(), ws.module(), ws.log(), ws.what(), queries);
                return etcdWrapperGoMod(List.copyOf(goMods.values()), version);
            });
            Files.writeString(ws.module().resolve("go.mod"), wrapper);
            List<String> args = new ArrayList<>(List.of("build", "-trimpath", "-ldflags", "-s -w",
                    "-o", outDir.toAbsolutePath() + File.separator));
            args.addAll(ETCD_MAINS.keySet());
            goBuild(ws, ws.what() + ": go build etcd, etcdctl, etcdutl (log " + ws.log() + ")", args);
            for (Map.Entry<String, String> main : ETCD_MAINS.entrySet()) {
                Path built = outDir.resolve(defaultExecutableName(main.getKey()));
                Path wanted = outDir.resolve(main.getValue());
                if (!built.equals(wanted)) {
                    Files.move(built, wanted);
                }
            }
            return ws.provenance("go build via the Go module proxy", Instant.now());
        });
    }

    /**
     * Builds CoreDNS {@code version} (e.g. {@code 1.14.1}) into {@code outDir/coredns}: a wrapper module whose main (shipped
     * in this jar) registers only the plugins a cluster's DNS needs, with the dependencies CoreDNS's own go.mod asks for
     * (the Kubernetes client libraries of its release), as in an upstream CoreDNS build.
     */
    public Provenance buildCoreDns(String version, Path outDir) {
        if (!version.matches("\\d+\\.\\d+\\.\\d+")) {
            throw new BinaryException("invalid CoreDNS version '" + version + "': expected MAJOR.MINOR.PATCH such as "
                    + BinarySet.COREDNS_VERSION);
        }
        return inWorkspace(BinarySet.COREDNS, version, ws -> {
            String goMod = Steps.run(progress, ws.what() + ": resolve " + COREDNS_MODULE + "@v" + version
                    + " via the Go module proxy", () -> downloadGoMods(ws.go(), ws.module(), ws.log(), ws.what(),
                    List.of(COREDNS_MODULE + "@v" + version)).get(COREDNS_MODULE));
            Files.writeString(ws.module().resolve("go.mod"), coreDnsWrapperGoMod(goMod, version));
            copyResource("coredns/main.go", ws.module().resolve("main.go"));
            goBuild(ws, ws.what() + ": go build with the kubernetes, template, cache and health plugins (log " + ws.log() + ")",
                    List.of("build", "-trimpath", "-ldflags", "-s -w", "-o", outDir.resolve("coredns").toAbsolutePath().toString(), "."));
            return ws.provenance("go build via the Go module proxy", Instant.now());
        });
    }

    /**
     * The wrapper go.mod for CoreDNS {@code version}, from CoreDNS's own go.mod: requires CoreDNS alone (so its
     * dependencies are at the versions it asks for) with its go line.
     */
    static String coreDnsWrapperGoMod(String coreDnsGoMod, String version) {
        return singleModuleWrapper("coredns-build", COREDNS_MODULE, coreDnsGoMod, version);
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

    private static void copyResource(String name, Path target) throws IOException {
        try (InputStream in = GoModuleBuilder.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new BinaryException("resource io/polykube/runtime/binaries/" + name + " is missing from the classpath");
            }
            Files.copy(in, target);
        }
    }

    /** Builds polykube's pause program (shipped as Go source in this jar) into {@code outDir/pause}. */
    public Provenance buildPause(Path outDir) {
        return inWorkspace(BinarySet.PAUSE, BinarySet.PAUSE_VERSION, ws -> {
            Files.writeString(ws.module().resolve("go.mod"), "module polykube.local/pause\n\ngo 1.21\n");
            copyResource("pause/main.go", ws.module().resolve("main.go"));
            goBuild(ws, ws.what() + ": go build",
                    List.of("build", "-trimpath", "-ldflags", "-s -w", "-o", outDir.resolve("pause").toAbsolutePath().toString(), "."));
            return ws.provenance("go build of polykube's pause source", Instant.now());
        });
    }

    /**
     * Builds containerd {@code version} (e.g. {@code 2.4.2}) into {@code outDir}: {@code containerd} and {@code ctr} in one
     * {@code go build}, {@code containerd-shim-runc-v2} in a second one with the shim's extra tag; without cgo, tags
     * {@link #CONTAINERD_TAGS}. The version is stamped without a leading {@code v}, so containerd reports {@code 2.4.2}
     * (and a node's runtime reads {@code containerd://2.4.2}).
     */
    public Provenance buildContainerd(String version, Path outDir) {
        BinaryVersions.checkFormat("containerd", version, 2);
        return inWorkspace(BinarySet.CONTAINERD, version, ws -> {
            writeSingleModuleWrapper(ws, "containerd-build", CONTAINERD_MODULE, version);
            String tags = String.join(" ", CONTAINERD_TAGS);
            String ldflags = containerdLdflags(version);
            goBuild(ws, ws.what() + ": go build containerd, ctr (log " + ws.log() + ")", List.of("build", "-trimpath", "-tags",
                    tags, "-ldflags", ldflags, "-o", outDir.toAbsolutePath() + File.separator,
                    CONTAINERD_MODULE + "/cmd/containerd", CONTAINERD_MODULE + "/cmd/ctr"));
            goBuild(ws, ws.what() + ": go build containerd-shim-runc-v2", List.of("build", "-trimpath", "-tags",
                    tags + " " + SHIM_EXTRA_TAG, "-ldflags", ldflags,
                    "-o", outDir.resolve(Binary.CONTAINERD_SHIM_RUNC_V2.fileName()).toAbsolutePath().toString(),
                    CONTAINERD_MODULE + "/cmd/containerd-shim-runc-v2"));
            return ws.provenance("go build via the Go module proxy, tags " + tags + " (shim also " + SHIM_EXTRA_TAG + ")",
                    Instant.now());
        });
    }

    /** containerd's version stamp, as its Makefile sets it (no revision: a module has no git commit). */
    static String containerdLdflags(String version) {
        return "-s -w -X " + CONTAINERD_MODULE + "/version.Version=" + version + " -X " + CONTAINERD_MODULE
                + "/version.Package=" + CONTAINERD_MODULE;
    }

    /**
     * Builds runc {@code version} (e.g. {@code 1.5.3}) into {@code outDir/runc}, with cgo (runc's {@code nsenter} runs C
     * code before the Go runtime starts; without cgo {@code runc init} cannot enter namespaces) as a PIE, like runc's
     * Makefile. With the {@code seccomp} tag when pkg-config finds libseccomp ({@code libseccomp-dev}): without it runc
     * refuses every container whose spec has a seccomp section, {@code RuntimeDefault} pods included. Never with
     * {@code libpathrs} (a Rust library this host lacks; runc then uses its pure Go fallback).
     */
    public Provenance buildRunc(String version, Path outDir) {
        BinaryVersions.checkFormat("runc", version, 1);
        requireCCompiler("runc");
        boolean seccomp = libseccompAvailable();
        List<String> tags = runcTags(seccomp);
        return inWorkspace(BinarySet.RUNC, version, true, ws -> {
            writeSingleModuleWrapper(ws, "runc-build", RUNC_MODULE, version);
            String without = seccomp ? "" : " WITHOUT seccomp (libseccomp-dev or pkg-config is missing: containers with a "
                    + "seccomp profile will fail; install them and delete the cache entry to rebuild)";
            if (!seccomp) {
                LOG.warn("{}: building{}", ws.what(), without);
            }
            goBuild(ws, ws.what() + ": go build with cgo, tags " + String.join(" ", tags) + without + " (log " + ws.log() + ")",
                    List.of("build", "-trimpath", "-buildmode=pie", "-tags", String.join(" ", tags), "-ldflags", "-s -w",
                            "-o", outDir.resolve(Binary.RUNC.fileName()).toAbsolutePath().toString(), RUNC_MODULE));
            return ws.provenance("go build via the Go module proxy, cgo, tags " + String.join(" ", tags) + without,
                    Instant.now());
        });
    }

    /** runc's build tags: its Makefile's, less {@code libpathrs}, and less {@code seccomp} without libseccomp. */
    static List<String> runcTags(boolean seccomp) {
        return seccomp ? List.of("seccomp", "urfave_cli_no_docs") : List.of("urfave_cli_no_docs");
    }

    /**
     * Builds the CNI plugins {@code version} (e.g. {@code 1.10.0}) a node needs, bridge, host-local, loopback and portmap,
     * into {@code outDir} in one {@code go build}, without cgo (as upstream releases them), with the version stamped in so
     * each prints {@code CNI <name> plugin v<version>}.
     */
    public Provenance buildCniPlugins(String version, Path outDir) {
        BinaryVersions.checkFormat("cni-plugins", version, 1);
        return inWorkspace(BinarySet.CNI_PLUGINS, version, ws -> {
            writeSingleModuleWrapper(ws, "cni-plugins-build", CNI_PLUGINS_MODULE, version);
            List<String> args = new ArrayList<>(List.of("build", "-trimpath", "-ldflags", "-s -w -X " + CNI_PLUGINS_MODULE
                    + "/pkg/utils/buildversion.BuildVersion=v" + version, "-o", outDir.toAbsolutePath() + File.separator));
            CNI_PLUGIN_PACKAGES.forEach(p -> args.add(CNI_PLUGINS_MODULE + "/" + p));
            goBuild(ws, ws.what() + ": go build bridge, host-local, loopback, portmap (log " + ws.log() + ")", args);
            return ws.provenance("go build via the Go module proxy", Instant.now());
        });
    }

    /** Resolves {@code module@v<version>} through the proxy and writes the wrapper that requires it alone. */
    private void writeSingleModuleWrapper(Workspace ws, String name, String module, String version) throws IOException {
        String wrapper = Steps.run(progress, ws.what() + ": resolve " + module + "@v" + version + " via the Go module proxy",
                () -> singleModuleWrapper(name, module, downloadGoMods(ws.go(), ws.module(), ws.log(), ws.what(),
                        List.of(module + "@v" + version)).get(module), version));
        Files.writeString(ws.module().resolve("go.mod"), wrapper);
    }

    /** Fails with what to install when there is no C compiler for a cgo build of {@code what}. */
    private void requireCCompiler(String what) {
        String cc = environment.getOrDefault("CC", "gcc").trim().split("\\s+")[0];
        if (cc.contains(File.separator) ? Files.isExecutable(Path.of(cc)) : onSearchPath(cc).isPresent()) {
            return;
        }
        throw new BinaryException(what + " is built with cgo and needs a C compiler, but there is no " + cc + " on PATH ("
                + searchPath + "): install gcc, libc6-dev, libseccomp-dev and pkg-config (./polykube setup does)");
    }

    /** Whether {@code pkg-config --exists libseccomp} succeeds (false without pkg-config). */
    boolean libseccompAvailable() {
        Optional<Path> pkgConfig = onSearchPath("pkg-config");
        if (pkgConfig.isEmpty()) {
            return false;
        }
        try {
            ProcessBuilder pb = new ProcessBuilder(pkgConfig.get().toString(), "--exists", "libseccomp")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
            pb.environment().clear();
            pb.environment().putAll(goEnvironment(true));
            Process p = pb.start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            LOG.warn("cannot run {}: {}", pkgConfig.get(), e.toString());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BinaryException("interrupted while looking for libseccomp", e);
        }
    }

    private Optional<Path> onSearchPath(String name) {
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

    /**
     * One build's tools and places: the go executable and its version, the build log, a fresh module directory, and
     * whether cgo is on.
     */
    private record Workspace(String what, Path go, String goVersion, Path log, Path module, boolean cgo) {
        Provenance provenance(String how, Instant date) {
            return new Provenance(how + " (" + goVersion + ")", goVersion, date.truncatedTo(ChronoUnit.SECONDS));
        }
    }

    /** What a build does in its workspace. */
    @FunctionalInterface
    private interface BuildSteps {
        Provenance run(Workspace workspace) throws IOException;
    }

    /** Runs {@code steps} in a new workspace for {@code set}, without cgo; the workspace is removed afterwards. */
    private Provenance inWorkspace(BinarySet set, String version, BuildSteps steps) {
        return inWorkspace(set, version, false, steps);
    }

    /** Runs {@code steps} in a new workspace for {@code set}, which is removed afterwards whatever happens. */
    private Provenance inWorkspace(BinarySet set, String version, boolean cgo, BuildSteps steps) {
        String what = set.describe(version);
        Path go = goExecutable();
        Workspace ws = new Workspace(what, go, goVersion(go), newLog(set, version),
                createWorkDir("polykube-" + set.dirName(version) + "-build-"), cgo);
        try {
            return steps.run(ws);
        } catch (IOException e) {
            throw new BinaryException("building " + what + " failed: " + e, e);
        } finally {
            BinaryCache.deleteTree(ws.module());
        }
    }

    /** {@code go build -v ARGS} in the workspace as one step, with packages built / total as its progress. */
    private void goBuild(Workspace ws, String step, List<String> args) {
        Steps.run(progress, step, () -> {
            runBuild(ws, args, step);
            return null;
        });
    }

    /** The {@code go} executable on the search path, or a {@link BinaryException} that says what to do. */
    public Path goExecutable() {
        return onSearchPath("go").orElseThrow(() -> new BinaryException("Go is not installed: no `go` executable on PATH ("
                + searchPath + "). Building Kubernetes, etcd and the node runtime from source needs Go " + KnownVersions.minimumGo()
                + " or newer: install it from https://go.dev/dl/ and put its bin directory on PATH, or use another source: "
                + "a release mirror (Binaries.builder().mirror(URI)), POLYKUBE_BIN_DIR, or explicit paths"));
    }

    /** {@code go env GOVERSION}, e.g. {@code go1.26.8}. */
    String goVersion(Path go) {
        try {
            ProcessBuilder pb = new ProcessBuilder(go.toString(), "env", "GOVERSION").redirectErrorStream(true);
            pb.environment().clear();
            pb.environment().putAll(goEnvironment(false));
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new BinaryException("`" + go + " env GOVERSION` failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new BinaryException("cannot run " + go + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BinaryException("interrupted while running " + go, e);
        }
    }

    // ---- wrapper modules (pure, unit-tested) -------------------------------------------------

    /**
     * The wrapper go.mod for Kubernetes {@code version}: requires k8s.io/kubernetes and replaces
     * every {@code k8s.io/*} requirement at {@code v0.0.0} (its staging modules) with
     * {@code v0.<minor>.<patch>}. The go and godebug lines are copied from Kubernetes' go.mod.
     */
    static String kubernetesWrapperGoMod(String kubernetesGoMod, String version) {
        GoMod mod = GoMod.parse(kubernetesGoMod);
        if (!KUBERNETES_MODULE.equals(mod.module())) {
            throw new BinaryException("expected the go.mod of " + KUBERNETES_MODULE + ", got module " + mod.module());
        }
        String[] parts = BinaryVersions.checkFormat("kubernetes", version, 1).split("\\.");
        String stagingVersion = "v0." + parts[1] + "." + parts[2];
        List<String> replaces = new ArrayList<>();
        for (GoMod.Requirement r : mod.requirementsStartingWith("k8s.io/")) {
            if (r.version().equals("v0.0.0")) {
                replaces.add(r.path() + " => " + r.path() + " " + stagingVersion);
            }
        }
        if (replaces.isEmpty()) {
            throw new BinaryException("k8s.io/kubernetes v" + version + " has no k8s.io/* v0.0.0 requirements: "
                    + "its go.mod layout changed, so polykube cannot derive the wrapper module");
        }
        StringBuilder sb = new StringBuilder();
        sb.append("module polykube.local/kubernetes-build\n\n");
        sb.append("go ").append(mod.goVersion() != null ? mod.goVersion() : "1.24.0").append("\n\n");
        for (String d : mod.godebug()) {
            sb.append("godebug ").append(d).append("\n\n");
        }
        sb.append("require ").append(KUBERNETES_MODULE).append(" v").append(version).append("\n\n");
        replaces.forEach(r -> sb.append("replace ").append(r).append("\n"));
        return sb.toString();
    }

    /**
     * The wrapper go.mod for etcd {@code version} from the go.mod files of its main modules:
     * requires each main module at {@code v<version>} and pins every {@code go.etcd.io/etcd/*} module they require (which
     * etcd's own go.mod files replace with local directories) at the version they require it: {@code v<version>} for the
     * v3 modules, {@code v2.305.N} for etcd 3.5's {@code go.etcd.io/etcd/client/v2}. The go line is the highest of theirs.
     */
    static String etcdWrapperGoMod(List<String> goModTexts, String version) {
        String goLine = "1.24.0";
        Set<String> required = new LinkedHashSet<>();
        Map<String, String> pinned = new java.util.TreeMap<>();
        for (String text : goModTexts) {
            GoMod mod = GoMod.parse(text);
            if (!mod.module().startsWith("go.etcd.io/etcd/")) {
                throw new BinaryException("expected the go.mod of an etcd module, got module " + mod.module());
            }
            required.add(mod.module());
            if (mod.goVersion() != null && GoMod.compareGoVersions(mod.goVersion(), goLine) > 0) {
                goLine = mod.goVersion();
            }
            for (GoMod.Requirement r : mod.requirementsStartingWith("go.etcd.io/etcd/")) {
                String before = pinned.putIfAbsent(r.path(), r.version());
                if (before != null && !before.equals(r.version())) {
                    throw new BinaryException("etcd " + version + "'s modules disagree on " + r.path() + " (" + before + " and "
                            + r.version() + "): polykube cannot derive the wrapper module");
                }
            }
        }
        for (String main : required) {
            String before = pinned.put(main, "v" + version);
            if (before != null && !before.equals("v" + version)) {
                throw new BinaryException("etcd " + version + "'s modules require " + main + " at " + before + ", not v" + version
                        + ": polykube cannot derive the wrapper module");
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append("module polykube.local/etcd-build\n\n");
        sb.append("go ").append(goLine).append("\n\n");
        sb.append("require (\n");
        required.forEach(m -> sb.append("\t").append(m).append(" v").append(version).append("\n"));
        sb.append(")\n\n");
        pinned.forEach((m, v) -> sb.append("replace ").append(m).append(" => ").append(m).append(" ").append(v).append("\n"));
        return sb.toString();
    }

    /** The {@code -ldflags} value that stamps Kubernetes' version into component-base and client-go. */
    static String kubernetesLdflags(String version, Instant buildDate) {
        String minor = BinaryVersions.checkFormat("kubernetes", version, 1).split("\\.")[1];
        String date = DateTimeFormatter.ISO_INSTANT.format(buildDate.truncatedTo(ChronoUnit.SECONDS));
        StringBuilder sb = new StringBuilder("-s -w");
        for (String pkg : List.of("k8s.io/component-base/version", "k8s.io/client-go/pkg/version")) {
            sb.append(" -X ").append(pkg).append(".gitVersion=v").append(version);
            sb.append(" -X ").append(pkg).append(".gitMajor=1");
            sb.append(" -X ").append(pkg).append(".gitMinor=").append(minor);
            sb.append(" -X ").append(pkg).append(".gitTreeState=clean");
            sb.append(" -X ").append(pkg).append(".buildDate=").append(date);
        }
        return sb.toString();
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

    // ---- running go ----------------------------------------------------------------------------

    /** Runs {@code go mod download -json} for {@code queries}; returns module path to go.mod text. */
    private Map<String, String> downloadGoMods(Path go, Path dir, Path log, String what, List<String> queries)
            throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("mod", "download", "-json"));
        args.addAll(queries);
        Path json = dir.resolve("download.json");
        int exit = run(go, dir, args, log, json);
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
                    + notServedHint(queries) + " Check GOPROXY too (" + environment.getOrDefault("GOPROXY", "default")
                    + "); full log " + log + tail(log));
        }
        return goMods;
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
    private void runBuild(Workspace ws, List<String> buildArgs, String step) throws IOException, InterruptedException {
        Path go = ws.go();
        Path dir = ws.module();
        Path log = ws.log();
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
            output = new GoBuildOutput(packagesToBuild(ws, buildArgs, line -> {
                if (line.startsWith("go: downloading ")) {
                    downloads.incrementAndGet();
                }
            }));
            List<String> args = new ArrayList<>(buildArgs);
            args.add(1, "-v"); // prints each package as it is compiled
            long t1 = System.nanoTime();
            now.set(() -> output.progress(Duration.ofNanos(System.nanoTime() - t1)));
            exit = run(go, dir, args, log, null, output::line, ws.cgo());
        } finally {
            ticker.shutdownNow();
        }
        LOG.info("{}: compiled {} of {} packages", step, output.built(), output.total());
        failOnExit(exit, log, ws.what());
    }

    /** The packages a build would compile ({@code go list -deps}, stale ones only); empty when go list fails. */
    private Set<String> packagesToBuild(Workspace ws, List<String> buildArgs, Consumer<String> stderrLines)
            throws IOException, InterruptedException {
        Path log = ws.log();
        int o = buildArgs.indexOf("-o");
        List<String> args = new ArrayList<>(List.of("list", "-deps", "-f", "{{if .Stale}}{{.ImportPath}}{{end}}"));
        args.addAll(buildArgs.subList(1, o)); // the same flags, so staleness is judged for the same build
        args.addAll(buildArgs.subList(o + 2, buildArgs.size()));
        Path out = ws.module().resolve("deps.txt");
        int exit = run(ws.go(), ws.module(), args, log, out, stderrLines, ws.cgo());
        if (exit != 0) {
            LOG.warn("go list -deps failed (exit {}, see {}): progress is shown without a total", exit, log);
            return Set.of();
        }
        return GoBuildOutput.parseList(Files.readString(out));
    }

    private void runGo(Path go, Path dir, List<String> args, Path log, String what)
            throws IOException, InterruptedException {
        failOnExit(run(go, dir, args, log, null), log, what);
    }

    private void failOnExit(int exit, Path log, String what) {
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

    /** Runs go with output appended to {@code log} (stdout to {@code stdout} if given). */
    private int run(Path go, Path dir, List<String> args, Path log, Path stdout) throws IOException, InterruptedException {
        return run(go, dir, args, log, stdout, null, false);
    }

    /**
     * Like {@link #run(Path, Path, List, Path, Path)}, with cgo on or off; each stderr line also goes to
     * {@code stderrLines} if given.
     */
    private int run(Path go, Path dir, List<String> args, Path log, Path stdout, Consumer<String> stderrLines, boolean cgo)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(go.toString());
        command.addAll(args);
        Files.writeString(log, "$ (cd " + dir + " && CGO_ENABLED=" + (cgo ? "1" : "0") + " GOFLAGS=-mod=mod "
                + String.join(" ", command.stream().map(a -> a.contains(" ") ? "'" + a + "'" : a).toList()) + ")\n",
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        pb.environment().clear();
        pb.environment().putAll(goEnvironment(cgo));
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

    private Map<String, String> goEnvironment(boolean cgo) {
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

    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            List<String> last = lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size());
            return ". Last lines:\n  " + String.join("\n  ", last);
        } catch (IOException e) {
            return " (cannot read it: " + e.getMessage() + ")";
        }
    }

    private static Map<String, String> orderedMap(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(m);
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
