package io.polykube.api.internal.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.polykube.api.Cluster;
import io.polykube.api.spec.ClusterSpec;
import io.polykube.api.spec.Mode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/** A full cluster whose JVM is killed with SIGKILL: the next start of the same cluster cleans up and succeeds; close leaves nothing. */
@EnabledIfSystemProperty(named = "user.name", matches = "root")
class CrashRecoveryIT {
    static final String NAME = "crashit";

    @Test
    void nextStartCleansWhatAKilledJvmLeft() throws Exception {
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "pkcrash");
        HostState.assertClean(NAME, dir, "before the test");
        // take our turn on the host (another test JVM may run a full cluster) and issue the PKI
        HostTurn.start(ClusterSpec.builder().name(NAME).directory(dir).mode(Mode.FULL).etcd(e -> e.unsafeNoFsync(true)).build()).close();
        try (ForeignChains foreign = ForeignChains.install()) {
            List<String> foreignBefore = ForeignChains.snapshot();
            startAfterACrash(dir);
            assertThat(ForeignChains.snapshot()).as("another cluster's chains after the crash and the cleanup").isEqualTo(foreignBefore);
        }
        HostState.assertClean(NAME, dir, "after close");
        HostState.deleteDirectory(dir);
    }

    private static void startAfterACrash(Path dir) throws Exception {
        killChildJvmWithACluster(dir, 1, null);
        List<String> left = HostState.leftovers(NAME, dir);
        assertThat(left).as("what the killed JVM left").anyMatch(s -> s.contains("kubelet"))
                .anyMatch(s -> s.contains("containerd-shim")).anyMatch(s -> s.contains("POLYKUBE-CRASHIT"))
                .anyMatch(s -> s.startsWith("mount "));

        ClusterSpec spec = ClusterSpec.builder().name(NAME).directory(dir).mode(Mode.FULL).etcd(e -> e.unsafeNoFsync(true))
                .startTimeout(Duration.ofMinutes(2)).build();
        long t0 = System.nanoTime();
        try (Cluster again = Cluster.start(spec)) {
            System.out.println("start after crash -> node Ready: " + (System.nanoTime() - t0) / 1_000_000 + " ms");
            assertThat(HostNetworkGuard.of(spec).isInstalled()).isTrue();
            // the pod is still in etcd: kubelet runs it again in a fresh sandbox
            var pod = again.client().pods().inNamespace("default").withName("survivor")
                    .waitUntilCondition(p -> p != null && "Running".equals(p.getStatus().getPhase())
                            && p.getStatus().getContainerStatuses().stream().allMatch(c -> Boolean.TRUE.equals(c.getReady())),
                            60, TimeUnit.SECONDS);
            assertThat(pod.getStatus().getPodIP()).startsWith("10.244.");
        }
    }

    /** Killed in the middle of {@code stop()}: the next start removes what the stop had not removed yet. */
    @Test
    void nextStartCleansWhatAJvmKilledDuringStopLeft() throws Exception {
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "pkcrash");
        HostState.assertClean(NAME, dir, "before the test");
        ClusterSpec spec = ClusterSpec.builder().name(NAME).directory(dir).mode(Mode.FULL).etcd(e -> e.unsafeNoFsync(true))
                .startTimeout(Duration.ofMinutes(2)).build();
        HostTurn.start(spec).close();
        killChildJvmWithACluster(dir, 1, Duration.ofMillis(300));
        assertThat(NodeLeftovers.needed(dir)).as("the killed stop left its record for the next start").isTrue();
        try (Cluster again = Cluster.start(spec)) {
            assertThat(HostNetworkGuard.of(spec).isInstalled()).isTrue();
            assertThat(again.client().pods().inNamespace("default").withName("survivor")
                    .waitUntilCondition(p -> p != null && "Running".equals(p.getStatus().getPhase()), 60, TimeUnit.SECONDS)
                    .getStatus().getPodIP()).startsWith("10.244.");
        }
        HostState.assertClean(NAME, dir, "after close");
        HostState.deleteDirectory(dir);
    }

    /** With three nodes: the workers' network namespaces, veths, cgroups, containers and mounts go too. */
    @Test
    void nodeResetCleansWhatAKilledJvmWithThreeNodesLeft() throws Exception {
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "pkcrash");
        HostTurn.start(ClusterSpec.builder().name(NAME).directory(dir).mode(Mode.FULL).nodes(n -> n.count(3).dns(false))
                .etcd(e -> e.unsafeNoFsync(true)).startTimeout(Duration.ofMinutes(2)).build()).close();
        killChildJvmWithACluster(dir, 3, null);
        assertThat(NodeLeftovers.needed(dir)).isTrue();
        assertThat(HostState.leftovers(NAME, dir)).anyMatch(s -> s.startsWith("netns ")).anyMatch(s -> s.startsWith("cgroup "))
                .anyMatch(s -> s.contains("kubelet"));
        assertThat(NodeLeftovers.clean(dir)).isEmpty();
        assertThat(NodeLeftovers.needed(dir)).isFalse();
        HostState.assertClean(NAME, dir, "after NodeReset.clean");
        HostState.deleteDirectory(dir);
    }

    /**
     * Starts a full cluster with a running pod in a child JVM, then kills that JVM with SIGKILL: at once, or
     * {@code intoStop} after it began to stop the cluster.
     */
    private static void killChildJvmWithACluster(Path dir, int nodes, Duration intoStop) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("polykube."))
                .forEach(k -> command.add("-D" + k + "=" + System.getProperty(k)));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), CrashChild.class.getName(), dir.toString(),
                Integer.toString(nodes), Boolean.toString(intoStop != null)));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> output = java.util.Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<String> ready = new CompletableFuture<>();
        CompletableFuture<Boolean> stopping = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    output.add(line);
                    if (line.startsWith("READY ")) {
                        ready.complete(line.substring(6));
                    } else if (line.equals(CrashChild.STOPPING)) {
                        stopping.complete(true);
                    }
                }
            } catch (IOException e) {
                // the child is gone
            }
            ready.complete(null);
            stopping.complete(false);
        }, "crash-child-output");
        reader.setDaemon(true);
        reader.start();
        try {
            String podIp = ready.get(3, TimeUnit.MINUTES);
            assertThat(podIp).as("child JVM's pod IP (see %s/logs); its output:%n%s", dir,
                    String.join("\n", output.subList(Math.max(0, output.size() - 40), output.size()))).startsWith("10.244.");
            if (intoStop != null) {
                assertThat(stopping.get(1, TimeUnit.MINUTES)).as("the child began to stop the cluster").isTrue();
                Thread.sleep(intoStop.toMillis());
                assertThat(output).as("the child was still stopping when killed").doesNotContain(CrashChild.STOPPED);
            }
        } finally {
            child.destroyForcibly(); // SIGKILL: no shutdown hook, the cluster's processes and host objects stay behind
            child.waitFor(30, TimeUnit.SECONDS);
        }
        assertThat(child.exitValue()).isEqualTo(137);
    }
}
