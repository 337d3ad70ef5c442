package io.polykube.cli;

import io.polykube.api.error.PolykubeException;
import io.polykube.api.spec.ClusterSpec;
import io.polykube.api.spec.Mode;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options every command takes to name a cluster. */
final class ClusterOptions {
    @Option(names = "--name", description = "the cluster's name (default: ${DEFAULT-VALUE})", defaultValue = "polykube")
    String name;

    @Option(names = "--dir", description = "the cluster's directory (default: ~/.local/state/polykube/NAME)")
    Path directory;

    @Option(names = "--mode", description = "control-plane or full (default: full as root, else control-plane)")
    String mode;

    @Option(names = "--nodes", description = "how many nodes a full cluster runs: the first plus workers in network "
            + "namespaces (default 1; used by up, quickstart and conformance)")
    Integer nodes;

    @Option(names = "--kubernetes-version", paramLabel = "VERSION", description = "a known minor (1.36: its pinned patch), an "
            + "exact patch of one, or default (the newest; see --version); built on first use (used by up, quickstart and "
            + "conformance)")
    String kubernetesVersion;

    ClusterSpec.Builder<ClusterSpec> builder() {
        ClusterSpec.Builder<ClusterSpec> b = ClusterSpec.builder().name(name);
        if (nodes != null) {
            b.nodes(n -> n.count(nodes));
        }
        if (directory != null) {
            b.directory(directory.toAbsolutePath());
        }
        if (mode != null) {
            b.mode(parseMode(mode));
        }
        if (kubernetesVersion != null) {
            b.kubernetesVersion(kubernetesVersion);
        }
        return b;
    }

    /** The validated spec; bad input is a usage error (exit code 2): build() only validates, nothing has started. */
    ClusterSpec spec() {
        return validated(builder());
    }

    static ClusterSpec validated(ClusterSpec.Builder<ClusterSpec> builder) {
        try {
            return builder.build();
        } catch (PolykubeException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** The directory the cluster uses, as the spec would resolve it. */
    Path resolvedDirectory() {
        return directory != null ? directory.toAbsolutePath().normalize() : ClusterSpec.defaultDirectory(name);
    }

    static Mode parseMode(String text) {
        switch (text.toLowerCase().replace('_', '-')) {
            case "control-plane":
                return Mode.CONTROL_PLANE;
            case "full":
                return Mode.FULL;
            default:
                throw new IllegalArgumentException("--mode must be control-plane or full, got '" + text + "'");
        }
    }
}
