package io.polykube.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.polykube.api.Cluster;
import io.polykube.api.Mode;
import io.polykube.api.internal.ClusterRecord;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code up}, {@code status}, {@code kubeconfig}, {@code down}, with a second cluster running in this JVM meanwhile. */
class CommandLineIT {
    @TempDir
    Path dir;
    @TempDir
    Path other;
    private final List<String[]> started = new ArrayList<>();

    /** Clusters started with 'up' outlive this JVM by design: stop them even when a test fails. */
    @AfterEach
    void downEverythingStarted() {
        started.forEach(cluster -> Main.run(concat("down", cluster)));
    }

    @Test
    void upStatusDownWhileAnotherJvmRunsItsOwnCluster() {
        String[] cluster = {"--name", "cli-it", "--dir", dir.toString(), "--mode", "control-plane"};
        started.add(cluster);
        try (Cluster inThisJvm = Cluster.builder().name("cli-other").directory(other).mode(Mode.CONTROL_PLANE)
                .etcd(e -> e.unsafeNoFsync(true)).build().start()) {
            assertThat(Main.run(concat("up", cluster))).isZero();
            ClusterRecord record = ClusterRecord.read(dir.resolve("cluster.json")).orElseThrow();
            assertThat(record.running()).isTrue();
            assertThat(record.ownerPid()).isNotEqualTo(ProcessHandle.current().pid());
            assertThat(record.apiServerUrl()).isNotEqualTo(inThisJvm.apiServerUrl().toString());
            assertThat(Main.run(concat("up", cluster))).as("up again: already running").isZero();
            assertThat(Main.run(concat("status", cluster))).isZero();
            assertThat(Main.run(concat("kubeconfig", cluster))).isZero();

            List<Long> pids = record.components().stream().map(ClusterRecord.ComponentRecord::pid).toList();
            long owner = record.ownerPid();
            assertThat(Main.run(concat("down", cluster))).isZero();
            assertThat(ProcessHandle.of(owner).map(ProcessHandle::isAlive).orElse(false)).isFalse();
            assertThat(pids).noneMatch(p -> ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false));
            assertThat(Main.run(concat("status", cluster))).as("status of a stopped cluster").isEqualTo(3);
            assertThat(inThisJvm.client().namespaces().list().getItems()).as("the other cluster still serves").isNotEmpty();
        }
    }

    @Test
    void aKilledOwnerLeavesOrphansThatTheNextUpStopsBeforeStartingAgain() {
        String[] cluster = {"--name", "cli-crash", "--dir", dir.toString(), "--mode", "control-plane"};
        started.add(cluster);
        assertThat(Main.run(concat("up", cluster))).isZero();
        ClusterRecord first = ClusterRecord.read(dir.resolve("cluster.json")).orElseThrow();
        List<Long> orphans = first.components().stream().map(ClusterRecord.ComponentRecord::pid).toList();
        ProcessHandle owner = ProcessHandle.of(first.ownerPid()).orElseThrow();
        owner.destroyForcibly(); // kill -9: no shutdown hook runs
        owner.onExit().join();

        assertThat(Main.run(concat("up", cluster))).isZero();
        assertThat(orphans).as("the next up stopped the orphans").noneMatch(p -> ProcessHandle.of(p).map(ProcessHandle::isAlive)
                .orElse(false));
        ClusterRecord second = ClusterRecord.read(dir.resolve("cluster.json")).orElseThrow();
        assertThat(second.running()).isTrue();
        assertThat(second.apiServerUrl()).as("ports of the previous run are reused").isEqualTo(first.apiServerUrl());
        assertThat(Main.run(concat("down", cluster))).isZero();
    }

    @Test
    void badInputFailsBeforeAnythingStarts() {
        assertThat(Main.run("up", "--name", "Not_Valid", "--dir", dir.toString(), "--mode", "control-plane")).isEqualTo(2);
        assertThat(Main.run("up", "--name", "ok", "--dir", dir.toString(), "--mode", "sideways")).isEqualTo(2);
        assertThat(dir.resolve("cluster.json")).doesNotExist();
    }

    private static String[] concat(String command, String[] options) {
        String[] out = new String[options.length + 1];
        out[0] = command;
        System.arraycopy(options, 0, out, 1, options.length);
        return out;
    }
}
