package io.polykube.runtime.binaries;

import java.io.File;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the CNI plugins {@code version} (e.g. {@code 1.10.0}) a node needs, bridge, host-local, loopback and portmap, in
 * one {@code go build}, without cgo (as upstream releases them), with the version stamped in so each prints
 * {@code CNI <name> plugin v<version>}.
 */
final class CniPluginsRecipe implements BuildRecipe {

    static final String MODULE = "github.com/containernetworking/plugins";
    /** The CNI plugins a node needs, by package; each builds into the file named after its last path element. */
    static final List<String> PACKAGES = List.of("plugins/main/bridge", "plugins/ipam/host-local", "plugins/main/loopback",
            "plugins/meta/portmap");

    @Override
    public Provenance build(GoModuleBuilder go, String version, Path outDir) {
        BinaryVersions.checkFormat("cni-plugins", version, 1);
        return go.inWorkspace(ClusterBinarySet.CNI_PLUGINS, version, ws -> {
            ws.writeSingleModuleWrapper("cni-plugins-build", MODULE, version);
            List<String> args = new ArrayList<>(List.of("build", "-trimpath", "-ldflags", "-s -w -X " + MODULE
                    + "/pkg/utils/buildversion.BuildVersion=v" + version, "-o", outDir.toAbsolutePath() + File.separator));
            PACKAGES.forEach(p -> args.add(MODULE + "/" + p));
            ws.goBuild(ws.what() + ": go build bridge, host-local, loopback, portmap (log " + ws.log() + ")", args);
            return ws.provenance("go build via the Go module proxy", Instant.now());
        });
    }
}
