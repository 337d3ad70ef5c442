package io.polykube.conformance;

import io.polykube.runtime.binaries.BinaryException;
import io.polykube.runtime.binaries.BinaryVersions;
import io.polykube.runtime.binaries.BuildRecipe;
import io.polykube.runtime.binaries.GoModuleBuilder;
import io.polykube.runtime.binaries.KubernetesModule;
import io.polykube.runtime.binaries.Provenance;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * Builds the one program {@code binary} of its own set from package {@code pkg} inside the pinned Kubernetes' wrapper module
 * (so its dependencies are the ones Kubernetes requires), at {@code pinned} alone.
 *
 * @param binary    the program and its set
 * @param pinned    the only version built
 * @param whyPinned why, for the message that refuses another version
 * @param ldflags   the {@code -ldflags} value (a version stamp, if the program has one)
 * @param pkg       the main package
 */
record PinnedProgramRecipe(SuiteBinary binary, String pinned, String whyPinned, String ldflags, String pkg)
        implements BuildRecipe {

    @Override
    public Provenance build(GoModuleBuilder go, String version, Path outDir) {
        if (!pinned.equals(version)) {
            throw new BinaryException(binary.fileName() + " " + version + " cannot be built: polykube builds only "
                    + binary.fileName() + " " + pinned + ", " + whyPinned);
        }
        String kubernetes = BinaryVersions.defaults().kubernetes();
        return go.inWorkspace(binary, version, ws -> {
            KubernetesModule.writeWrapper(ws, kubernetes);
            ws.goBuild(ws.what() + ": go build " + pkg + " (log " + ws.log() + ")", List.of("build", "-trimpath", "-ldflags",
                    ldflags, "-o", outDir.resolve(binary.fileName()).toAbsolutePath().toString(), pkg));
            return ws.provenance("go build via the Go module proxy", Instant.now());
        });
    }
}
