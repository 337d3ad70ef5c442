package io.polykube.runtime.binaries;

import java.io.File;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * Builds containerd {@code version} (e.g. {@code 2.4.2}): {@code containerd} and {@code ctr} in one {@code go build},
 * {@code containerd-shim-runc-v2} in a second one with the shim's extra tag; without cgo, tags {@link #TAGS}. The version
 * is stamped without a leading {@code v}, so containerd reports {@code 2.4.2} (and a node's runtime reads
 * {@code containerd://2.4.2}).
 */
final class ContainerdRecipe implements BuildRecipe {

    static final String MODULE = "github.com/containerd/containerd/v2";
    /**
     * containerd's build tags: the Makefile's {@code urfave_cli_no_docs}, and no btrfs, devmapper or zfs snapshotter (the
     * configuration disables them; without cgo btrfs is left out anyway).
     */
    static final List<String> TAGS = List.of("urfave_cli_no_docs", "no_btrfs", "no_devmapper", "no_zfs");
    /** The shim also leaves out the gRPC stubs of containerd's API (the Makefile's {@code SHIM_GO_BUILDTAGS}). */
    static final String SHIM_EXTRA_TAG = "no_grpc";

    @Override
    public Provenance build(GoModuleBuilder go, String version, Path outDir) {
        BinaryVersions.checkFormat("containerd", version, 2);
        return go.inWorkspace(ClusterBinarySet.CONTAINERD, version, ws -> {
            ws.writeSingleModuleWrapper("containerd-build", MODULE, version);
            String tags = String.join(" ", TAGS);
            String ldflags = ldflags(version);
            ws.goBuild(ws.what() + ": go build containerd, ctr (log " + ws.log() + ")", List.of("build", "-trimpath", "-tags",
                    tags, "-ldflags", ldflags, "-o", outDir.toAbsolutePath() + File.separator,
                    MODULE + "/cmd/containerd", MODULE + "/cmd/ctr"));
            ws.goBuild(ws.what() + ": go build containerd-shim-runc-v2", List.of("build", "-trimpath", "-tags",
                    tags + " " + SHIM_EXTRA_TAG, "-ldflags", ldflags,
                    "-o", outDir.resolve(ClusterBinary.CONTAINERD_SHIM_RUNC_V2.fileName()).toAbsolutePath().toString(),
                    MODULE + "/cmd/containerd-shim-runc-v2"));
            return ws.provenance("go build via the Go module proxy, tags " + tags + " (shim also " + SHIM_EXTRA_TAG + ")",
                    Instant.now());
        });
    }

    /** containerd's version stamp, as its Makefile sets it (no revision: a module has no git commit). */
    static String ldflags(String version) {
        return "-s -w -X " + MODULE + "/version.Version=" + version + " -X " + MODULE + "/version.Package=" + MODULE;
    }
}
