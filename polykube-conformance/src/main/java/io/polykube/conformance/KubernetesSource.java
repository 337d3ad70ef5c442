package io.polykube.conformance;

import io.polykube.api.error.PolykubeException;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The source tree of the k8s.io/kubernetes module at one version, as the Go module cache holds it (downloaded by the
 * e2e.test build), and what the conformance run reads from it: the e2e suite's image table, the ginkgo version its go.mod
 * requires, upstream files the test images carry.
 *
 * @param dir     the module's directory, e.g. {@code ~/go/pkg/mod/k8s.io/kubernetes@v1.37.2}
 * @param version its Kubernetes version, e.g. {@code 1.37.2}
 */
record KubernetesSource(Path dir, String version) {
    /** The ginkgo module whose command line must match the library e2e.test is compiled with. */
    static final String GINKGO_MODULE = "github.com/onsi/ginkgo/v2";
    private static final Pattern GO_LINE = Pattern.compile("(?m)^go\\s+(\\d+\\.\\d+(?:\\.\\d+)?)\\s*$");

    KubernetesSource {
        Objects.requireNonNull(dir, "dir");
        if (version == null || !version.matches("1\\.\\d+\\.\\d+")) {
            throw new PolykubeException("Kubernetes version '" + version + "' is not of the form 1.MINOR.PATCH");
        }
    }

    /**
     * The module at {@code version} in the Go module cache: {@code $GOMODCACHE}, else the first {@code $GOPATH} entry's
     * {@code pkg/mod}, else {@code ~/go/pkg/mod}, as {@code go env GOMODCACHE}.
     */
    static KubernetesSource inModuleCache(Map<String, String> env, Path home, String version) {
        String cache = env.getOrDefault("GOMODCACHE", "");
        Path root;
        if (!cache.isBlank()) {
            root = Path.of(cache);
        } else {
            String gopath = env.getOrDefault("GOPATH", "");
            String first = gopath.split(File.pathSeparator, -1)[0];
            root = (first.isBlank() ? home.resolve("go") : Path.of(first)).resolve("pkg/mod");
        }
        return new KubernetesSource(root.resolve("k8s.io").resolve("kubernetes@v" + version), version);
    }

    /** {@code relative} (e.g. {@code test/images/kitten/html}) in the module. */
    Path resolve(String relative) {
        return dir.resolve(relative);
    }

    /** How to get the source when a file of it is missing. */
    String fix() {
        return "it comes with the k8s.io/kubernetes module source (building e2e.test downloads it): run 'go mod download "
                + "k8s.io/kubernetes@v" + version + "'";
    }

    /** The images of the e2e suite polykube builds stand-ins for, from {@value ManifestImages#FILE}. */
    SuiteImages images() {
        return SuiteImages.of(ManifestImages.read(existing(ManifestImages.FILE)));
    }

    /** The ginkgo version this Kubernetes' go.mod requires (e.g. {@code 2.32.0}), without the {@code v}. */
    String ginkgoVersion() {
        Path goMod = existing("go.mod");
        return requiredVersion(read(goMod), GINKGO_MODULE).orElseThrow(() -> new PolykubeException(goMod + " does not "
                + "require " + GINKGO_MODULE + ": polykube builds the ginkgo command line at the version e2e.test is compiled "
                + "with; run with --parallel 1 (e2e.test alone) meanwhile"));
    }

    /** The {@code go} line of this Kubernetes' go.mod (e.g. {@code 1.26.0}): the least Go that builds it, if readable. */
    Optional<String> goVersion() {
        Path goMod = resolve("go.mod");
        if (!Files.isRegularFile(goMod)) {
            return Optional.empty();
        }
        Matcher m = GO_LINE.matcher(read(goMod));
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /**
     * The version {@code goMod} requires of {@code module}, without the {@code v}: a {@code require} line or an entry of a
     * {@code require (...)} block; replace and exclude entries do not count.
     */
    static Optional<String> requiredVersion(String goMod, String module) {
        String block = "";
        for (String raw : goMod.split("\n")) {
            String line = raw.replaceFirst("//.*", "").strip();
            if (line.endsWith("(")) {
                block = line.substring(0, line.length() - 1).strip();
                continue;
            }
            if (line.equals(")")) {
                block = "";
                continue;
            }
            String entry = block.isEmpty() ? (line.startsWith("require ") ? line.substring("require ".length()) : "")
                    : block.equals("require") ? line : "";
            String[] parts = entry.strip().split("\\s+");
            if (parts.length >= 2 && parts[0].equals(module) && parts[1].startsWith("v")) {
                return Optional.of(parts[1].substring(1));
            }
        }
        return Optional.empty();
    }

    private Path existing(String relative) {
        Path file = resolve(relative);
        if (!Files.isRegularFile(file)) {
            throw new PolykubeException(file + " is missing: " + fix());
        }
        return file;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new PolykubeException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
