package io.polykube.runtime.binaries;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * Builds polykube's pause program (shipped as Go source in this jar) into {@code outDir/pause}; its version is
 * {@link ClusterBinarySet#PAUSE_VERSION}, whatever version is asked.
 */
final class PauseRecipe implements BuildRecipe {

    @Override
    public Provenance build(GoModuleBuilder go, String version, Path outDir) {
        return go.inWorkspace(ClusterBinarySet.PAUSE, ClusterBinarySet.PAUSE_VERSION, ws -> {
            ws.writeFile("go.mod", "module polykube.local/pause\n\ngo 1.21\n");
            ws.copyResource("pause/main.go", "main.go");
            ws.goBuild(ws.what() + ": go build", List.of("build", "-trimpath", "-ldflags", "-s -w",
                    "-o", outDir.resolve(ClusterBinary.PAUSE.fileName()).toAbsolutePath().toString(), "."));
            return ws.provenance("go build of polykube's pause source", Instant.now());
        });
    }
}
