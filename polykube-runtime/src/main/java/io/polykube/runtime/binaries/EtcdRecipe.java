package io.polykube.runtime.binaries;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Builds etcd (from {@code go.etcd.io/etcd/server/v3}, renamed {@code etcd}), etcdctl and etcdutl of etcd {@code version}
 * (e.g. {@code 3.6.16}, {@code 3.5.33}) in one {@code go build}. etcd reports its version from a constant of its api
 * module, so no version flags are needed. See {@link #wrapperGoMod} for the module versions (etcd 3.5's
 * {@code client/v2} is {@code v2.305.N}).
 */
final class EtcdRecipe implements BuildRecipe {

    /** etcd's main packages (3.5 to 3.7), each the root of its own module, and the file each becomes. */
    static final Map<String, String> MAINS = mains();

    @Override
    public Provenance build(GoModuleBuilder go, String version, Path outDir) {
        BinaryVersions.checkFormat("etcd", version, 3);
        return go.inWorkspace(ClusterBinarySet.ETCD, version, ws -> {
            ws.writeWrapperModule(ws.what() + ": resolve etcd modules via the Go module proxy",
                    MAINS.keySet().stream().map(m -> m + "@v" + version).toList(),
                    goMods -> wrapperGoMod(List.copyOf(goMods.values()), version));
            List<String> args = new ArrayList<>(List.of("build", "-trimpath", "-ldflags", "-s -w",
                    "-o", outDir.toAbsolutePath() + File.separator));
            args.addAll(MAINS.keySet());
            ws.goBuild(ws.what() + ": go build etcd, etcdctl, etcdutl (log " + ws.log() + ")", args);
            for (Map.Entry<String, String> main : MAINS.entrySet()) {
                Path built = outDir.resolve(GoWorkspace.defaultExecutableName(main.getKey()));
                Path wanted = outDir.resolve(main.getValue());
                if (!built.equals(wanted)) {
                    Files.move(built, wanted);
                }
            }
            return ws.provenance("go build via the Go module proxy", Instant.now());
        });
    }

    /**
     * The wrapper go.mod for etcd {@code version} from the go.mod files of its main modules:
     * requires each main module at {@code v<version>} and pins every {@code go.etcd.io/etcd/*} module they require (which
     * etcd's own go.mod files replace with local directories) at the version they require it: {@code v<version>} for the
     * v3 modules, {@code v2.305.N} for etcd 3.5's {@code go.etcd.io/etcd/client/v2}. The go line is the highest of theirs.
     */
    static String wrapperGoMod(List<String> goModTexts, String version) {
        String goLine = "1.24.0";
        Set<String> required = new LinkedHashSet<>();
        Map<String, String> pinned = new TreeMap<>();
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

    private static Map<String, String> mains() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("go.etcd.io/etcd/server/v3", "etcd");
        m.put("go.etcd.io/etcd/etcdctl/v3", "etcdctl");
        m.put("go.etcd.io/etcd/etcdutl/v3", "etcdutl");
        return Collections.unmodifiableMap(m);
    }
}
