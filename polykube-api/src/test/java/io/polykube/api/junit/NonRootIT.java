package io.polykube.api.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.polykube.api.spec.Mode;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code @WithPolykube(mode = FULL)} as a non-root user: a clear failure with the fix by default, a skip with the reason
 * when asked. As root, the fixtures run in a child JVM as user nobody (setpriv), from a copy of the classpath nobody can
 * read.
 */
class NonRootIT {
    private static final String NOBODY = "65534";

    @TempDir
    Path work;

    @Test
    void fullModeFailsWithTheFixOrSkipsForANonRootUser() throws Exception {
        String output = HostCheck.root() ? runAsNobody() : runHere();

        assertThat(output).contains("user: " + (HostCheck.root() ? "nobody" : System.getProperty("user.name")));
        assertThat(output).contains("failed FullFails: @WithPolykube(mode = Mode.FULL) on io.polykube.api.junit.Fixtures$FullFails"
                + " needs root (kubelet, containerd and iptables do), but this JVM runs as user '");
        assertThat(output).contains("Run the tests as root, use @WithPolykube(mode = Mode.CONTROL_PLANE) if they need no "
                + "running pods, or add onUnsuitableHost = OnUnsuitableHost.SKIP to skip them on such hosts");
        assertThat(output).contains("skipped FullSkips: polykube cannot run here (onUnsuitableHost = SKIP): "
                + "@WithPolykube(mode = Mode.FULL) on io.polykube.api.junit.Fixtures$FullSkips needs root");
        assertThat(output).contains("starts: 0", "tests started: 0", "cluster directories: 0");
        assertThat(Mode.defaultForCurrentUser()).isEqualTo(HostCheck.root() ? Mode.FULL : Mode.CONTROL_PLANE);
    }

    private static String runHere() throws Exception {
        var out = new java.io.ByteArrayOutputStream();
        var previous = System.out;
        System.setOut(new java.io.PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            NonRootProbe.main(new String[0]);
        } finally {
            System.setOut(previous);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private String runAsNobody() throws Exception {
        Path setpriv = Stream.of("/usr/bin/setpriv", "/bin/setpriv").map(Path::of).filter(Files::isExecutable).findFirst()
                .orElseThrow(() -> new AssertionError("setpriv (util-linux) is needed to run as nobody"));
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
        String classpath = String.join(File.pathSeparator, copyReadable(classpath(), work.resolve("cp")));
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process process = new ProcessBuilder(setpriv.toString(), "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups",
                java, "-Djava.io.tmpdir=/tmp", "-cp", classpath, NonRootProbe.class.getName())
                .directory(work.toFile()).redirectErrorStream(true).start();
        process.getOutputStream().close();
        byte[] output;
        try (var in = process.getInputStream()) {
            output = in.readAllBytes(); // the probe ends by itself; the timeout below guards a hung exit
        }
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("the probe JVM did not exit");
        }
        String text = new String(output, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(text).isZero();
        return text;
    }

    /** This JVM's classpath, with the Class-Path of a manifest-only jar (as failsafe starts tests) expanded. */
    private static List<Path> classpath() throws IOException {
        Set<Path> entries = new LinkedHashSet<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path path = Path.of(entry).toAbsolutePath();
            entries.add(path);
            if (path.toString().endsWith(".jar") && Files.isRegularFile(path)) {
                try (JarFile jar = new JarFile(path.toFile())) {
                    String manifestPath = jar.getManifest() == null ? null
                            : jar.getManifest().getMainAttributes().getValue("Class-Path");
                    if (manifestPath != null) {
                        for (String url : manifestPath.trim().split("\\s+")) {
                            entries.add(Path.of(path.getParent().toUri().resolve(url)));
                        }
                    }
                }
            }
        }
        return entries.stream().filter(Files::exists).toList();
    }

    /** Copies every entry to {@code target} with world-readable permissions; returns the new classpath. */
    private static List<String> copyReadable(List<Path> entries, Path target) throws IOException {
        Files.createDirectories(target);
        List<String> out = new ArrayList<>();
        int i = 0;
        for (Path entry : entries) {
            Path copy = target.resolve(i++ + (Files.isDirectory(entry) ? "" : ".jar"));
            if (Files.isDirectory(entry)) {
                try (Stream<Path> files = Files.walk(entry)) {
                    for (Path file : (Iterable<Path>) files::iterator) {
                        Path dest = copy.resolve(entry.relativize(file).toString());
                        if (Files.isDirectory(file)) {
                            Files.createDirectories(dest);
                        } else {
                            Files.copy(file, dest, StandardCopyOption.REPLACE_EXISTING);
                        }
                    }
                }
            } else {
                Files.copy(entry, copy);
            }
            out.add(copy.toString());
        }
        try (Stream<Path> all = Files.walk(target)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
        return out;
    }
}
