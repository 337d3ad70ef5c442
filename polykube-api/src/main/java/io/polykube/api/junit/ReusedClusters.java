package io.polykube.api.junit;

import io.polykube.api.Cluster;
import io.polykube.api.error.PolykubeException;
import io.polykube.api.internal.reuse.ReuseControl;
import io.polykube.api.internal.reuse.ReuseEndpoint;
import io.polykube.api.internal.reuse.ReuseKey;
import io.polykube.api.layout.ClusterLayout;
import io.polykube.api.spec.ClusterSpec;
import io.polykube.files.LockFile;
import io.polykube.files.PrivateDirectory;
import io.polykube.files.TreeDeletion;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.LinkedHashSet;
import java.util.jar.JarFile;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Clusters reused across JVMs ({@link WithPolykube#reuse()}): whether a class gets one, and attaching to it, after starting
 * its detached owner ({@link ReusedClusterOwner}) if none runs.
 */
final class ReusedClusters {
    private static final Logger LOG = LoggerFactory.getLogger(PolykubeExtension.class);
    private static final AtomicBoolean CI_SAID = new AtomicBoolean();
    private static final Duration DEFAULT_IDLE = Duration.ofHours(1);

    private ReusedClusters() {
    }

    /** Whether {@code owner}'s cluster is to be reused; a class that asks for reuse where it cannot is refused, naming why. */
    static boolean wanted(Owner owner) {
        String parameter = owner.context().getConfigurationParameter(PolykubeExtension.REUSE_PARAMETER).orElse("")
                .trim().toLowerCase(Locale.ROOT);
        if (!List.of("", "true", "false", "force").contains(parameter)) {
            throw new ExtensionConfigurationException("configuration parameter " + PolykubeExtension.REUSE_PARAMETER + "='"
                    + parameter + "': give true, false or force");
        }
        WithPolykube annotation = owner.annotation();
        if (parameter.equals("false") || !(annotation.reuse() || parameter.equals("true") || parameter.equals("force"))) {
            return false;
        }
        Optional<String> impossible = annotation.freshCluster() ? Optional.of("freshCluster = true (a cluster of its own)")
                : annotation.webhooks().length > 0 ? Optional.of("webhooks (their server lives in this JVM)")
                : annotation.versions().length > 0 ? Optional.of("versions (a version matrix)") : Optional.empty();
        if (impossible.isPresent()) {
            if (annotation.reuse()) {
                throw new ExtensionConfigurationException("@WithPolykube(reuse = true) on " + owner.testClass().getName()
                        + " cannot go with " + impossible.get() + "; drop one of them");
            }
            return false; // the project-wide parameter skips such classes
        }
        if ("true".equalsIgnoreCase(System.getenv("CI")) && !parameter.equals("force")) {
            if (CI_SAID.compareAndSet(false, true)) {
                LOG.info("CI=true: clusters start fresh instead of being reused (configuration parameter {}=force reuses them)",
                        PolykubeExtension.REUSE_PARAMETER);
            }
            return false;
        }
        return true;
    }

    /**
     * Attaches to the reused cluster {@code request} asks for, starting its owner first if none runs; empty when another
     * live JVM holds it (the caller starts a fresh cluster then).
     */
    static Optional<ClusterResource> attach(ClusterRequest request, Owner owner) {
        String name = ReuseKey.nameFor(request.keySpec());
        ClusterSpec spec = request.specFor(name, ClusterSpec.defaultDirectory(name));
        ClusterLayout layout = new ClusterLayout(spec.directory());
        Path lockFile = spec.directory().resolveSibling(spec.directory().getFileName() + ".reuse.lock");
        long t0 = System.nanoTime();
        boolean launched = false;
        Cluster cluster;
        try {
            PrivateDirectory.ensure(spec.directory().getParent(), "the state directory " + spec.directory().getParent());
            try (LockFile lock = LockFile.lock(lockFile, spec.startTimeout().plusSeconds(60)).orElseThrow(() ->
                    new PolykubeException("another JVM holds " + lockFile + " for longer than a start takes; is it hung?"))) {
                Optional<ReuseEndpoint> endpoint = ReuseEndpoint.read(layout);
                if (endpoint.isPresent() && !endpoint.get().key().equals(ReuseKey.of(spec))) {
                    stopOwner(endpoint.get(), spec); // a directory chosen by the configurer, now with another spec
                    endpoint = Optional.empty();
                }
                if (endpoint.isEmpty()) {
                    launch(spec, owner, idleTimeout(owner));
                    launched = true;
                }
                cluster = Cluster.attach(spec);
            }
        } catch (ReuseControl.InUseException e) {
            LOG.warn("{}; {} starts a cluster of its own instead", e.getMessage(), owner.testClass().getName());
            return Optional.empty();
        } catch (IOException e) {
            throw new PolykubeException("@WithPolykube(reuse = true) on " + owner.testClass().getName() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PolykubeException("interrupted while attaching to reused cluster '" + spec.name() + "'", e);
        }
        long millis = (System.nanoTime() - t0) / 1_000_000;
        long ownerPid = ReuseEndpoint.read(layout).map(ReuseEndpoint::ownerPid).orElse(-1L);
        LOG.info("{} reused cluster '{}' ({}) in {} ms for {}: {} (owner pid {})", launched ? "Started" : "Attached to", spec.name(),
                spec.mode(), millis, owner.testClass().getName(), spec.directory(), ownerPid);
        Map<String, String> entry = new LinkedHashMap<>();
        entry.put(PolykubeExtension.REPORT_STARTED, spec.name());
        entry.put(PolykubeExtension.REPORT_DIRECTORY, spec.directory().toString());
        entry.put(PolykubeExtension.REPORT_START_MILLIS, Long.toString(millis));
        entry.put(PolykubeExtension.REPORT_REUSED_OWNER, Long.toString(ownerPid));
        owner.context().publishReportEntry(entry);
        return Optional.of(new ClusterResource(cluster, null));
    }

    private static Duration idleTimeout(Owner owner) {
        String value = owner.context().getConfigurationParameter(PolykubeExtension.REUSE_IDLE_PARAMETER).orElse("").trim();
        if (value.isEmpty()) {
            return DEFAULT_IDLE;
        }
        try {
            Duration idle = Duration.parse(value);
            if (idle.isNegative() || idle.isZero()) {
                throw new DateTimeParseException("not positive", value, 0);
            }
            return idle;
        } catch (DateTimeParseException e) {
            throw new ExtensionConfigurationException("configuration parameter " + PolykubeExtension.REUSE_IDLE_PARAMETER + "='"
                    + value + "': give a positive ISO-8601 duration such as PT1H or PT20M");
        }
    }

    /** Starts the detached owner and waits until it serves the running cluster. */
    private static void launch(ClusterSpec spec, Owner owner, Duration idle) throws IOException, InterruptedException {
        ClusterLayout layout = new ClusterLayout(spec.directory());
        PrivateDirectory.ensure(spec.directory(), "the reused cluster's directory " + spec.directory());
        Files.createDirectories(layout.supervisorLog().getParent());
        List<String> command = new ArrayList<>(List.of("setsid", Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xss512k", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("polykube.")).sorted()
                .forEach(k -> command.add("-D" + k + "=" + System.getProperty(k)));
        command.addAll(List.of("-cp", ownClasspath(spec.directory().resolve("reuse-classpath")), ReusedClusterOwner.class.getName(),
                "--test-class", owner.testClass().getName(), "--name", spec.name(), "--dir", spec.directory().toString(),
                "--key", ReuseKey.of(spec), "--spec-hash", ReuseKey.specHash(spec), "--idle", idle.toString()));
        if (owner.version() != null) {
            command.addAll(List.of("--version", owner.version()));
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(layout.supervisorLog().toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        long deadline = System.nanoTime() + spec.startTimeout().plusSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (ReuseEndpoint.read(layout).isPresent()) {
                return;
            }
            if (!process.isAlive()) {
                throw new PolykubeException("the owner of reused cluster '" + spec.name() + "' exited with " + process.exitValue()
                        + " before the cluster ran. Last lines of " + layout.supervisorLog() + ":\n  "
                        + String.join("\n  ", tail(layout.supervisorLog(), 40)));
            }
            Thread.sleep(50);
        }
        process.toHandle().destroy();
        throw new PolykubeException("the owner (pid " + process.pid() + ") of reused cluster '" + spec.name() + "' did not serve it within "
                + spec.startTimeout().plusSeconds(60) + "; stopped it. See " + layout.supervisorLog());
    }

    /**
     * The class path for the owner: this JVM's (Surefire's real one, not its manifest-only jar), with every directory and
     * every jar outside the local Maven repository copied under {@code copies}, so a {@code mvn clean} or a rebuild while
     * the owner runs does not take its classes away.
     */
    private static String ownClasspath(Path copies) throws IOException {
        if (Files.exists(copies)) {
            TreeDeletion.delete(copies); // an earlier owner's copies
        }
        Path repository = Path.of(System.getProperty("user.home"), ".m2", "repository");
        List<String> out = new ArrayList<>();
        int i = 0;
        for (Path source : classpathEntries()) {
            if (Files.isRegularFile(source) && source.startsWith(repository)) {
                out.add(source.toString());
                continue;
            }
            Path copy = copies.resolve((i++) + "-" + source.getFileName());
            copyTree(source, copy);
            out.add(copy.toString());
        }
        return String.join(File.pathSeparator, out);
    }

    /** This JVM's class path entries: Surefire's real class path, or java.class.path with manifest-only jars expanded. */
    private static List<Path> classpathEntries() throws IOException {
        String surefire = System.getProperty("surefire.test.class.path");
        Set<Path> entries = new LinkedHashSet<>();
        for (String entry : (surefire != null ? surefire : System.getProperty("java.class.path")).split(File.pathSeparator)) {
            if (entry.isBlank()) {
                continue;
            }
            Path path = Path.of(entry).toAbsolutePath().normalize();
            entries.add(path);
            if (surefire == null && path.toString().endsWith(".jar") && Files.isRegularFile(path)) {
                try (JarFile jar = new JarFile(path.toFile())) {
                    String manifestPath = jar.getManifest() == null ? null : jar.getManifest().getMainAttributes().getValue("Class-Path");
                    if (manifestPath != null) {
                        for (String url : manifestPath.trim().split("\\s+")) {
                            entries.add(Path.of(path.getParent().toUri().resolve(url)).normalize());
                        }
                    }
                }
            }
        }
        return entries.stream().filter(Files::exists).toList();
    }

    private static void copyTree(Path source, Path target) throws IOException {
        Files.createDirectories(target.getParent());
        if (Files.isRegularFile(source)) {
            Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
            return;
        }
        try (Stream<Path> walk = Files.walk(source)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Path t = target.resolve(source.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else if (Files.isRegularFile(p)) {
                    Files.copy(p, t, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    /** Asks a live owner to stop its cluster (SIGTERM) and waits until it has. */
    private static void stopOwner(ReuseEndpoint endpoint, ClusterSpec spec) throws InterruptedException {
        Optional<ProcessHandle> process = ProcessHandle.of(endpoint.ownerPid());
        if (process.isEmpty()) {
            return;
        }
        LOG.info("Stopping the reused cluster in {} (owner pid {}): it runs another spec", spec.directory(), endpoint.ownerPid());
        process.get().destroy();
        try {
            process.get().onExit().get(90, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new PolykubeException("the owner (pid " + endpoint.ownerPid() + ") of the reused cluster in " + spec.directory()
                    + " did not stop within 90 s; stop it with ./polykube down --dir " + spec.directory(), e);
        }
    }

    private static List<String> tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file);
            return all.subList(Math.max(0, all.size() - lines), all.size());
        } catch (IOException e) {
            return List.of("(cannot read " + file + ": " + e.getMessage() + ")");
        }
    }
}
