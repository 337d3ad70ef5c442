package io.polykube.config;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Finds the real binaries and runs them for the integration tests. */
public final class ItSupport {
    private ItSupport() {
    }

    /** The Kubernetes binaries: POLYKUBE_BIN_DIR wins, then the property the parent pom passes. */
    public static Path kubernetesBinary(String name) {
        String dir = System.getenv("POLYKUBE_BIN_DIR");
        if (dir == null || dir.isBlank()) {
            dir = System.getProperty("polykube.kubernetes.bin.dir");
        }
        assertThat(dir).as("polykube.kubernetes.bin.dir is not set: run through Maven or set POLYKUBE_BIN_DIR").isNotBlank();
        Path binary = Path.of(dir, name);
        assertThat(Files.isExecutable(binary))
                .as("%s is not an executable: run ./polykube setup, or set POLYKUBE_BIN_DIR to the directory of the built binaries", binary)
                .isTrue();
        return binary;
    }

    /**
     * A binary of the node runtime polykube builds ({@code ./polykube setup}): {@code property} names its directory in the
     * cache, as the parent pom passes it ({@code polykube.containerd.bin.dir}, {@code polykube.cni.bin.dir}, ...).
     */
    public static Path nodeRuntimeBinary(String property, String name) {
        String dir = System.getProperty(property);
        assertThat(dir).as(property + " is not set: run through Maven").isNotBlank();
        Path binary = Path.of(dir, name);
        assertThat(Files.isExecutable(binary)).as("%s is not an executable: run ./polykube setup", binary).isTrue();
        return binary;
    }

    /** A directory under target/ for this test's files. */
    public static Path workDir(String name) {
        Path dir = Path.of(System.getProperty("polykube.it.dir", "target/it")).toAbsolutePath().resolve(name);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    public static void assumeRootForHostChanges() {
        assertThat(System.getProperty("user.name")).as("this integration test changes network namespaces: run as root").isEqualTo("root");
    }

    /** What a finished process left. */
    public record Result(int exitCode, String output) {
    }

    /**
     * Runs {@code command} with extra environment, feeding {@code stdin}, collecting stdout and
     * stderr together, and kills it (by its own PID) if it outlives {@code timeout}.
     */
    public static Result run(List<String> command, Map<String, String> env, String stdin, Duration timeout) {
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
            pb.environment().putAll(env);
            Process p = pb.start();
            try (OutputStream in = p.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Thread pump = new Thread(() -> copy(p.getInputStream(), out), "pump-" + p.pid());
            pump.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
                pump.join(5000);
                throw new AssertionError(command.get(0) + " (pid " + p.pid() + ") did not finish within " + timeout
                        + "; output:\n" + out.toString(StandardCharsets.UTF_8));
            }
            pump.join(5000);
            return new Result(p.exitValue(), out.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + command, e);
        }
    }

    public static Result run(List<String> command) {
        return run(command, Map.of(), null, Duration.ofSeconds(60));
    }

    /** A self-signed EC certificate and its PKCS#8 key made with openssl: {@code [cert, key]}. */
    public static Path[] selfSignedCertificate(Path dir, String name) {
        Path cert = dir.resolve(name + ".crt");
        Path key = dir.resolve(name + ".key");
        Result r = run(List.of("openssl", "req", "-x509", "-newkey", "ec",
                "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-subj", "/CN=polykube-it", "-days", "1",
                "-keyout", key.toString(), "-out", cert.toString()));
        assertThat(r.exitCode()).as("openssl:\n%s", r.output()).isZero();
        return new Path[] {cert, key};
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        try (in) {
            in.transferTo(out);
        } catch (IOException ignored) {
            // the process ended; what was read is kept
        }
    }
}
