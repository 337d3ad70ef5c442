package io.polykube.runtime.binaries;

import java.io.File;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds kube-apiserver, kube-controller-manager, kube-scheduler, kubelet, kube-proxy and kubectl of Kubernetes
 * {@code version} (e.g. {@code 1.34.4}) in one {@code go build}, with the version stamped in so each reports
 * {@code v<version>}.
 */
final class KubernetesRecipe implements BuildRecipe {

    static final List<String> COMMANDS = List.of("kube-apiserver", "kube-controller-manager", "kube-scheduler", "kubelet",
            "kube-proxy", "kubectl");

    @Override
    public Provenance build(GoModuleBuilder go, String version, Path outDir) {
        KubernetesModule.checkVersion(version);
        return go.inWorkspace(ClusterBinarySet.KUBERNETES, version, ws -> {
            KubernetesModule.writeWrapper(ws, version);
            Instant date = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            List<String> args = new ArrayList<>(List.of("build", "-trimpath", "-ldflags", KubernetesModule.ldflags(version, date),
                    "-o", outDir.toAbsolutePath() + File.separator));
            COMMANDS.forEach(c -> args.add(KubernetesModule.PATH + "/cmd/" + c));
            ws.goBuild(ws.what() + ": go build " + String.join(", ", COMMANDS) + " (cold: many minutes; log " + ws.log() + ")",
                    args);
            return ws.provenance("go build via the Go module proxy", date);
        });
    }
}
