package io.polykube.cli;

import io.polykube.api.spec.ClusterSpec;
import io.polykube.api.status.ClusterRecord;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Starts a cluster owned by a detached {@code supervise} process and returns once it is ready. */
@Command(name = "up", description = "Start a cluster in the background and wait until it is ready.")
final class UpCommand implements Callable<Integer> {
    @Mixin
    ClusterOptions cluster;

    @Option(names = "--fresh", description = "start from an empty directory: stop the cluster if it runs and remove its "
            + "directory (PKI, etcd data, logs) first")
    boolean fresh;

    @Override
    public Integer call() throws Exception {
        ClusterSpec spec = cluster.spec(); // bad input fails here, before anything starts
        ClusterFiles files = new ClusterFiles(spec.directory());
        if (fresh && !new ClusterTeardown(files, spec.name(), new PrintWriter(System.out, true)).clearForFreshStart("start fresh")) {
            return 1;
        }
        if (files.running()) {
            System.out.println("[polykube] cluster '" + spec.name() + "' is already running");
            printUsage(files);
            return 0;
        }
        Files.createDirectories(files.supervisorLog().getParent());
        long t0 = System.nanoTime();
        Process owner = spawnSupervisor(spec, files.supervisorLog());
        System.out.println("[polykube] starting cluster '" + spec.name() + "' (" + spec.mode() + ", Kubernetes "
                + spec.kubernetesVersion() + ") in " + spec.directory()
                + ", owner pid " + owner.pid());
        Set<String> reported = new HashSet<>();
        long deadline = t0 + spec.startTimeout().plusSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            Optional<ClusterRecord> record = readQuietly(files);
            if (record.isPresent() && record.get().ownerPid() != null && record.get().ownerPid() == owner.pid()) {
                for (ClusterRecord.ComponentRecord c : record.get().components()) {
                    if ("READY".equals(c.state()) && reported.add(c.name())) {
                        System.out.printf("[polykube]   %-24s ready after %5d ms (pid %d%s)%n", c.name(), millisSince(t0), c.pid(),
                                c.port() == null ? "" : ", port " + c.port());
                    }
                }
                if ("RUNNING".equals(record.get().state())) {
                    System.out.println("[polykube] cluster '" + spec.name() + "' ready in " + millisSince(t0) + " ms");
                    printUsage(files);
                    return 0;
                }
            }
            if (!owner.isAlive()) {
                System.err.println("[polykube] error: cluster '" + spec.name() + "' did not start (owner exited with "
                        + owner.exitValue() + "). Last lines of " + files.supervisorLog() + ":");
                tail(files.supervisorLog(), 40).forEach(l -> System.err.println("  " + l));
                return 1;
            }
            Thread.sleep(100);
        }
        System.err.println("[polykube] error: cluster '" + spec.name() + "' not ready after " + spec.startTimeout().plusSeconds(30)
                + "; it keeps trying (owner pid " + owner.pid() + "). See " + files.supervisorLog() + " and ./polykube down");
        return 1;
    }

    private Process spawnSupervisor(ClusterSpec spec, Path log) throws IOException {
        List<String> command = new ArrayList<>(List.of("setsid", Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xss512k", "-XX:+UseSerialGC", "-Dpolykube.log.level=INFO", "-cp", System.getProperty("java.class.path"), Main.class.getName(), "supervise",
                "--name", spec.name(), "--dir", spec.directory().toString(), "--mode",
                spec.mode().name().toLowerCase().replace('_', '-'), "--nodes", Integer.toString(spec.node().count()),
                "--kubernetes-version", spec.kubernetesVersion()));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
    }

    private static Optional<ClusterRecord> readQuietly(ClusterFiles files) {
        try {
            return files.record();
        } catch (RuntimeException e) {
            return Optional.empty(); // being rewritten
        }
    }

    static void printUsage(ClusterFiles files) {
        System.out.println("[polykube] kubeconfig: " + files.adminKubeconfig());
        System.out.println("export KUBECONFIG=" + files.adminKubeconfig());
    }

    static List<String> tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file);
            return all.subList(Math.max(0, all.size() - lines), all.size());
        } catch (IOException e) {
            return List.of("(cannot read " + file + ": " + e.getMessage() + ")");
        }
    }

    private static long millisSince(long t0) {
        return Duration.ofNanos(System.nanoTime() - t0).toMillis();
    }
}
