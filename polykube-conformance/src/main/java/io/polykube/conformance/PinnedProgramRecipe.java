package io.polykube.conformance;

import io.polykube.runtime.binaries.BinaryException;
import io.polykube.runtime.binaries.BuildRecipe;
import io.polykube.runtime.binaries.GoModuleBuilder;
import io.polykube.runtime.binaries.KubernetesModule;
import io.polykube.runtime.binaries.Provenance;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * Builds the one program {@code binary} of its own set from package {@code pkg} inside the wrapper module of the Kubernetes
 * version it serves (so its dependencies, ginkgo's own version included, are the ones that Kubernetes requires), at
 * {@code binary}'s pinned version alone.
 *
 * @param binary  the program and its set
 * @param ldflags the {@code -ldflags} value (a version stamp, if the program has one)
 * @param pkg     the main package
 */
record PinnedProgramRecipe(SuiteBinary binary, String ldflags, String pkg) implements BuildRecipe {

    @Override
    public Provenance build(GoModuleBuilder go, String version, Path outDir) {
        if (!binary.pinned().equals(version)) {
            throw new BinaryException(binary.fileName() + " " + version + " cannot be built here: polykube builds "
                    + binary.fileName() + " " + binary.pinned() + ", " + binary.what());
        }
        return go.inWorkspace(binary, version, ws -> {
            KubernetesModule.writeWrapper(ws, binary.kubernetes());
            ws.goBuild(ws.what() + ": go build " + pkg + " (log " + ws.log() + ")", List.of("build", "-trimpath", "-ldflags",
                    ldflags, "-o", outDir.resolve(binary.fileName()).toAbsolutePath().toString(), pkg));
            return ws.provenance("go build in k8s.io/kubernetes@v" + binary.kubernetes() + " via the Go module proxy",
                    Instant.now());
        });
    }
}
