package io.polykube.conformance;

import io.polykube.runtime.binaries.BinaryException;
import io.polykube.runtime.binaries.BuildRecipe;
import io.polykube.runtime.binaries.GoModuleBuilder;
import io.polykube.runtime.binaries.KubernetesModule;
import io.polykube.runtime.binaries.Provenance;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Builds the upstream end-to-end test binary {@code e2e.test} of Kubernetes {@code binary.kubernetes()}: a {@code go test -c}
 * of {@code k8s.io/kubernetes/test/e2e} in the same wrapper module as the Kubernetes binaries, with vet off (it would double
 * a build that is long already) and the version stamped in.
 *
 * @param binary e2e.test of one Kubernetes version
 */
record E2eTestRecipe(SuiteBinary binary) implements BuildRecipe {

    @Override
    public Provenance build(GoModuleBuilder go, String version, Path outDir) {
        KubernetesModule.checkVersion(version);
        if (!binary.pinned().equals(version)) {
            throw new BinaryException("e2e.test " + version + " cannot be built here: polykube builds " + binary.what());
        }
        return go.inWorkspace(binary, version, ws -> {
            KubernetesModule.writeWrapper(ws, version);
            Instant date = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            List<String> args = List.of("test", "-c", "-vet=off", "-trimpath", "-ldflags", KubernetesModule.ldflags(version, date),
                    "-o", outDir.resolve(binary.fileName()).toAbsolutePath().toString(),
                    KubernetesModule.PATH + "/test/e2e");
            // go test -c has no -v package list to count: no package progress, only the step's own lines
            ws.go(ws.what() + ": go test -c " + KubernetesModule.PATH + "/test/e2e (cold: 10+ minutes; log " + ws.log() + ")",
                    args);
            return ws.provenance("go test -c via the Go module proxy", date);
        });
    }
}
