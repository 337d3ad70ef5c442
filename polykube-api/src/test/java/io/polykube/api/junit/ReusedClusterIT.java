package io.polykube.api.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.polykube.files.TreeDeletion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code @WithPolykube(reuse = true)} across JVMs: each run is a child JVM ({@link ReuseProbe}) with its own state
 * directory ({@code XDG_STATE_HOME}) and without {@code CI}, as on a developer's machine. The owners the runs leave are
 * stopped (SIGTERM, by pid) after the class.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReusedClusterIT {
    private static Path state;
    private static final Set<Long> OWNERS = new LinkedHashSet<>();
    private static Map<String, String> first;

    @BeforeAll
    static void stateDirectory() throws IOException {
        state = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "reuse-state-");
    }

    @Test
    @Order(1)
    void aSecondJvmAttachesToTheClusterTheFirstLeftAndSeesItReset() throws Exception {
        first = run(ReuseFixtures.Reused.class, false);
        assertThat(first.get("attached")).isEqualTo("true");
        assertThat(first.get("left")).isEqualTo("0");
        long owner = Long.parseLong(first.get(PolykubeExtension.REPORT_REUSED_OWNER));
        assertThat(owner).as("the owner is a process of its own").isNotEqualTo(Long.parseLong(first.get("pid")));
        assertThat(ProcessHandle.of(owner).map(ProcessHandle::isAlive)).as("the owner outlives the first JVM").contains(true);

        Map<String, String> second = run(ReuseFixtures.Reused.class, false);

        assertThat(second.get(PolykubeExtension.REPORT_REUSED_OWNER)).as("the same owner").isEqualTo(Long.toString(owner));
        assertThat(second.get("apiServer")).isEqualTo(first.get("apiServer"));
        assertThat(second.get("directory")).isEqualTo(first.get("directory"));
        assertThat(second.get("left")).as("the first run's config map is gone: the cluster was reset").isEqualTo("0");
        System.out.printf("[reuse] first JVM: JUnit start to first test %d ms (owner started); second JVM: %d ms (attached in %s ms)%n",
                Long.parseLong(first.get("firstTestNanos")) / 1_000_000, Long.parseLong(second.get("firstTestNanos")) / 1_000_000,
                second.get(PolykubeExtension.REPORT_START_MILLIS));
    }

    @Test
    @Order(2)
    void aChangedSpecStartsAnotherCluster() throws Exception {
        Map<String, String> other = run(ReuseFixtures.ReusedWithAnotherSpec.class, false);

        assertThat(other.get("attached")).isEqualTo("true");
        assertThat(other.get(PolykubeExtension.REPORT_REUSED_OWNER)).isNotEqualTo(first.get(PolykubeExtension.REPORT_REUSED_OWNER));
        assertThat(other.get("directory")).isNotEqualTo(first.get("directory"));
        assertThat(other.get("apiServer")).isNotEqualTo(first.get("apiServer"));
    }

    @Test
    @Order(3)
    void withCiTrueTheRunStartsAFreshCluster() throws Exception {
        Map<String, String> ci = run(ReuseFixtures.Reused.class, true);

        assertThat(ci.get("attached")).isEqualTo("false");
        assertThat(ci).doesNotContainKey(PolykubeExtension.REPORT_REUSED_OWNER);
        assertThat(ci.get("directory")).isNotEqualTo(first.get("directory"));
        assertThat(ci.get("left")).isEqualTo("0");
    }

    @AfterAll
    static void stopTheOwners() throws Exception {
        for (long pid : OWNERS) {
            ProcessHandle.of(pid).ifPresent(p -> {
                p.destroy(); // SIGTERM: the owner's shutdown hook stops its cluster
                p.onExit().orTimeout(90, TimeUnit.SECONDS).join();
            });
        }
        if (state != null) {
            try (var children = Files.list(state.resolve("polykube"))) { // $XDG_STATE_HOME/polykube/reuse-<hash>
                for (Path dir : children.filter(Files::isDirectory).toList()) {
                    assertThat(Files.readString(dir.resolve("cluster.json"))).as("stopped by its owner").contains("\"STOPPED\"");
                }
            }
            TreeDeletion.delete(state);
        }
    }

    /** Runs {@code fixture} in a child JVM; what it recorded, as a map (the last value of each key). */
    private static Map<String, String> run(Class<?> fixture, boolean ci) throws Exception {
        Path out = Files.createTempFile(state, "out-", ".txt");
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "-D" + ReuseFixtures.OUT + "=" + out, "-cp", classpath, ReuseProbe.class.getName(), fixture.getName()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(state.resolve(fixture.getSimpleName() + "-" + System.nanoTime() + ".log").toFile());
        builder.environment().put("XDG_STATE_HOME", state.toString());
        if (ci) {
            builder.environment().put("CI", "true");
        } else {
            builder.environment().remove("CI");
        }
        Process process = builder.start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("the test JVM did not end within 5 minutes");
        }
        Map<String, String> values = new HashMap<>();
        for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                values.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        if (values.containsKey(PolykubeExtension.REPORT_REUSED_OWNER)) {
            OWNERS.add(Long.parseLong(values.get(PolykubeExtension.REPORT_REUSED_OWNER)));
        }
        assertThat(values).as("what %s recorded (exit %d)", fixture.getSimpleName(), process.exitValue()).doesNotContainKey("failed")
                .containsKey("passed");
        return values;
    }
}
