package io.polykube.conformance;

import io.polykube.runtime.binaries.BinaryException;
import io.polykube.runtime.binaries.BuildRecipe;
import io.polykube.runtime.binaries.GoModuleBuilder;
import io.polykube.runtime.binaries.GoWorkspace;
import io.polykube.runtime.binaries.KubernetesModule;
import io.polykube.runtime.binaries.Provenance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the upstream end-to-end test binary {@code e2e.test} of Kubernetes {@code binary.kubernetes()}: a {@code go test -c}
 * of {@code k8s.io/kubernetes/test/e2e} in the same wrapper module as the Kubernetes binaries, with vet off (it would double
 * a build that is long already) and the version stamped in.
 *
 * @param binary e2e.test of one Kubernetes version
 */
record E2eTestRecipe(SuiteBinary binary) implements BuildRecipe {
    private static final Logger LOG = LoggerFactory.getLogger(E2eTestRecipe.class);
    private static final Pattern REPLACE = Pattern.compile("(?m)^replace (\\S+) => \\1 (v\\S+)$");

    @Override
    public Provenance build(GoModuleBuilder go, String version, Path outDir) {
        KubernetesModule.checkVersion(version);
        if (!binary.pinned().equals(version)) {
            throw new BinaryException("e2e.test " + version + " cannot be built here: polykube builds " + binary.what());
        }
        return go.inWorkspace(binary, version, ws -> {
            KubernetesModule.writeWrapper(ws, version);
            useServedStagingModules(ws);
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

    /**
     * The staging modules the wrapper pins at {@code v0.MINOR.PATCH} that the Go module proxy does not serve (seen:
     * {@code k8s.io/sample-apiserver v0.33.13}, which only the aggregator test's API types come from) are pinned at the
     * newest earlier patch of the same minor it serves instead, and the build log says so. The binaries of the cluster
     * itself are never built this way: only the test binary.
     */
    private static void useServedStagingModules(GoWorkspace ws) throws IOException {
        Path goMod = ws.module().resolve("go.mod");
        String text = Files.readString(goMod);
        List<String> pinned = new ArrayList<>();
        Matcher m = REPLACE.matcher(text);
        while (m.find()) {
            pinned.add(m.group(1) + "@" + m.group(2));
        }
        Map<String, String> substitutes = ws.substitutesForUnserved(ws.what() + ": check the Go module proxy serves the "
                + pinned.size() + " staging modules", pinned);
        for (Map.Entry<String, String> e : substitutes.entrySet()) {
            String path = e.getKey().substring(0, e.getKey().indexOf('@'));
            String refused = e.getKey().substring(e.getKey().indexOf('@') + 1);
            text = text.replace("replace " + path + " => " + path + " " + refused + "\n",
                    "replace " + path + " => " + path + " " + e.getValue() + "\n");
            LOG.warn("{}: the Go module proxy does not serve {} {}; e2e.test uses {} instead (the newest earlier patch of that "
                    + "minor it serves)", ws.what(), path, refused, e.getValue());
        }
        Files.writeString(goMod, text);
    }
}
