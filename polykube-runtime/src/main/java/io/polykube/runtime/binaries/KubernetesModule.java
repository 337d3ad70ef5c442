package io.polykube.runtime.binaries;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code k8s.io/kubernetes} module as polykube builds from it: the wrapper module that pins its staging modules, and
 * the version stamp. Used by the Kubernetes set's recipe and by any other set built inside the same module.
 */
public final class KubernetesModule {

    /** The module path. */
    public static final String PATH = "k8s.io/kubernetes";

    private KubernetesModule() {
    }

    /** {@code version}, trimmed, if it is a Kubernetes {@code 1.MINOR.PATCH}; else a {@link BinaryException} that says why. */
    public static String checkVersion(String version) {
        return BinaryVersions.checkFormat("kubernetes", version, 1);
    }

    /**
     * As a step of {@code ws}: resolves {@code k8s.io/kubernetes@v<version>} through the Go module proxy and writes the
     * wrapper go.mod for it ({@link #wrapperGoMod}), so the module's packages can be built at {@code version}.
     */
    public static void writeWrapper(GoWorkspace ws, String version) {
        ws.writeWrapperModule(ws.what() + ": resolve " + PATH + "@v" + version + " via the Go module proxy",
                List.of(PATH + "@v" + version), goMods -> wrapperGoMod(goMods.get(PATH), version));
    }

    /** The {@code -ldflags} value that stamps Kubernetes' version into component-base and client-go. */
    public static String ldflags(String version, Instant buildDate) {
        String minor = checkVersion(version).split("\\.")[1];
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

    /**
     * The wrapper go.mod for Kubernetes {@code version}: requires k8s.io/kubernetes and replaces
     * every {@code k8s.io/*} requirement at {@code v0.0.0} (its staging modules) with
     * {@code v0.<minor>.<patch>}. The go and godebug lines are copied from Kubernetes' go.mod.
     */
    static String wrapperGoMod(String kubernetesGoMod, String version) {
        GoMod mod = GoMod.parse(kubernetesGoMod);
        if (!PATH.equals(mod.module())) {
            throw new BinaryException("expected the go.mod of " + PATH + ", got module " + mod.module());
        }
        String[] parts = checkVersion(version).split("\\.");
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
        sb.append("require ").append(PATH).append(" v").append(version).append("\n\n");
        replaces.forEach(r -> sb.append("replace ").append(r).append("\n"));
        return sb.toString();
    }
}
