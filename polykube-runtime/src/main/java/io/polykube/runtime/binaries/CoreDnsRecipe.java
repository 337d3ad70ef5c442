package io.polykube.runtime.binaries;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * Builds CoreDNS {@code version} (e.g. {@code 1.14.1}) into {@code outDir/coredns}: a wrapper module whose main (shipped in
 * this jar) registers only the plugins a cluster's DNS needs, with the dependencies CoreDNS's own go.mod asks for (the
 * Kubernetes client libraries of its release), as in an upstream CoreDNS build.
 */
final class CoreDnsRecipe implements BuildRecipe {

    static final String MODULE = "github.com/coredns/coredns";

    @Override
    public Provenance build(GoModuleBuilder go, String version, Path outDir) {
        if (!version.matches("\\d+\\.\\d+\\.\\d+")) {
            throw new BinaryException("invalid CoreDNS version '" + version + "': expected MAJOR.MINOR.PATCH such as "
                    + ClusterBinarySet.COREDNS_VERSION);
        }
        return go.inWorkspace(ClusterBinarySet.COREDNS, version, ws -> {
            ws.writeSingleModuleWrapper("coredns-build", MODULE, version);
            ws.copyResource("coredns/main.go", "main.go");
            ws.goBuild(ws.what() + ": go build with the kubernetes, template, cache and health plugins (log " + ws.log() + ")",
                    List.of("build", "-trimpath", "-ldflags", "-s -w",
                            "-o", outDir.resolve(ClusterBinary.COREDNS.fileName()).toAbsolutePath().toString(), "."));
            return ws.provenance("go build via the Go module proxy", Instant.now());
        });
    }

    /**
     * The wrapper go.mod for CoreDNS {@code version}, from CoreDNS's own go.mod: requires CoreDNS alone (so its
     * dependencies are at the versions it asks for) with its go line.
     */
    static String wrapperGoMod(String coreDnsGoMod, String version) {
        return GoWorkspace.singleModuleWrapper("coredns-build", MODULE, coreDnsGoMod, version);
    }
}
