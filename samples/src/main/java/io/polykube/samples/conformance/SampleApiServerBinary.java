package io.polykube.samples.conformance;

import io.polykube.api.PolykubeException;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The program of the sample-apiserver image the aggregator conformance test runs: {@code k8s.io/sample-apiserver} at the
 * staging version of the pinned Kubernetes (v0.34.4 for 1.34.4), built once with {@code go install} and CGO off (as
 * upstream's image Makefile does) into {@code <binary cache>/sample-apiserver-v<version>/}.
 */
final class SampleApiServerBinary {
    static final String MODULE = "k8s.io/sample-apiserver";
    static final String FILE = "sample-apiserver";
    private static final long BUILD_MINUTES = 30;

    private final Path binDir;
    private final String version;

    /**
     * @param binDir     the binary cache's {@code bin} directory
     * @param kubernetes the pinned Kubernetes version, e.g. {@code 1.34.4}
     */
    SampleApiServerBinary(Path binDir, String kubernetes) {
        this.binDir = Objects.requireNonNull(binDir, "binDir");
        this.version = stagingVersion(kubernetes);
    }

    /** The staging modules' version of a Kubernetes version: {@code 1.34.4} gives {@code 0.34.4}. */
    static String stagingVersion(String kubernetes) {
        if (!kubernetes.matches("1\\.\\d+\\.\\d+")) {
            throw new PolykubeException("Kubernetes version '" + kubernetes + "' is not of the form 1.MINOR.PATCH");
        }
        return "0" + kubernetes.substring(1);
    }

    /** Where the binary is (or will be) cached. */
    Path path() {
        return binDir.resolve(FILE + "-v" + version).resolve(FILE);
    }

    /** The cached binary, built first when missing (minutes; {@code say} hears what happens). */
    Path resolve(Consumer<String> say) {
        Path binary = path();
        if (Files.isExecutable(binary)) {
            return binary;
        }
        Path go = findGo();
        Path dir = binary.getParent();
        Path log = binDir.resolve("build-logs").resolve(FILE + "-v" + version + ".log");
        long t0 = System.nanoTime();
        say.accept("building " + MODULE + "@v" + version + " with go install (once; a few minutes; log " + log + ")");
        try {
            Files.createDirectories(log.getParent());
            Path tmp = Files.createTempDirectory(binDir, ".tmp-" + FILE + "-");
            try {
                ProcessBuilder pb = new ProcessBuilder(go.toString(), "install", "-trimpath", "-ldflags", "-s -w",
                        MODULE + "@v" + version).redirectErrorStream(true).redirectOutput(log.toFile());
                pb.environment().put("CGO_ENABLED", "0");
                pb.environment().put("GOBIN", tmp.toString());
                Process p = pb.start();
                p.getOutputStream().close();
                if (!p.waitFor(BUILD_MINUTES, TimeUnit.MINUTES)) {
                    p.destroyForcibly();
                    throw new PolykubeException("go install " + MODULE + " did not finish in " + BUILD_MINUTES + " minutes: see " + log);
                }
                if (p.exitValue() != 0) {
                    throw new PolykubeException("go install " + MODULE + "@v" + version + " failed (exit " + p.exitValue() + "): "
                            + tail(log) + "\nFull log: " + log + ". Skip the test with --skip 'Sample API Server' meanwhile");
                }
                Files.createDirectories(dir);
                Files.move(tmp.resolve(FILE), binary, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp.resolve(FILE));
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new PolykubeException("cannot build " + MODULE + " into " + dir + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PolykubeException("interrupted while building " + MODULE, e);
        }
        say.accept("built " + binary + " in " + TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0) + " s");
        return binary;
    }

    private static Path findGo() {
        String path = Objects.requireNonNullElse(System.getenv("PATH"), "") + File.pathSeparator + "/usr/local/go/bin";
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isBlank() && Files.isExecutable(Path.of(dir, "go"))) {
                return Path.of(dir, "go");
            }
        }
        throw new PolykubeException("go not found on PATH: the Sample API Server test needs " + MODULE + " built from source; "
                + "install Go >= 1.24, or skip the test with --skip 'Sample API Server'");
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    }
}
