package io.polykube.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.polykube.api.internal.ClusterRecord;
import io.polykube.api.node.NetworkGuard;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code quickstart} passes every time it runs, whatever an earlier run left in its directory: here first a FULL cluster
 * whose owner was killed (orphaned components, the guard, the bridge, the objects of its run), then a passed quickstart.
 */
@EnabledIfSystemProperty(named = "user.name", matches = "root")
class QuickstartAgainIT {
    private static final String NAME = "qs-again";

    @TempDir
    Path dir;

    /** Whatever happens, the cluster of this test is stopped and its host state removed. */
    @AfterEach
    void down() {
        Main.run("down", "--name", NAME, "--dir", dir.toString());
    }

    @Test
    void passesAfterAKilledRunAndAgainAfterAPassedOne() {
        String[] options = {"--name", NAME, "--dir", dir.toString()};
        assertThat(Main.run(CliRun.args("up", options, "--mode", "full"))).isZero();
        ClusterRecord killed = ClusterRecord.read(dir.resolve("cluster.json")).orElseThrow();
        List<Long> orphans = killed.components().stream().map(ClusterRecord.ComponentRecord::pid).toList();
        ProcessHandle owner = ProcessHandle.of(killed.ownerPid()).orElseThrow();
        owner.destroyForcibly(); // kill -9: no shutdown hook, everything it started is left behind
        owner.onExit().join();
        NetworkGuard guard = NetworkGuard.of(io.polykube.api.ClusterSpec.builder().name(NAME).directory(dir).build());
        assertThat(guard.isInstalled()).as("the killed run left its guard").isTrue();

        assertThat(Main.run(CliRun.args("quickstart", options))).as("quickstart after a killed run").isZero();
        assertThat(orphans).as("the killed run's components were stopped")
                .noneMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        assertThat(dir.resolve("quickstart/blue.tar")).as("the lab ran in this directory").isRegularFile();

        assertThat(Main.run(CliRun.args("quickstart", options))).as("quickstart after a passed run").isZero();
        assertThat(guard.isInstalled()).as("the guard is removed when the quickstart ends").isFalse();
        assertThat(Files.exists(dir.resolve("cluster.json"))).as("its records are kept for the logs").isTrue();
    }
}
