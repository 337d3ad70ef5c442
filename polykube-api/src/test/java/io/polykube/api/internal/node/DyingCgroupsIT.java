package io.polykube.api.internal.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.polykube.api.NodeReset;
import io.polykube.api.layout.ClusterLayout;
import io.polykube.api.layout.NodeDirectories;
import io.polykube.api.spec.ClusterHostNames;
import io.polykube.files.PrivateDirectory;
import io.polykube.files.TreeDeletion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * A removed v1 memory cgroup that still has page cache charged to it stays in the kernel as a dying cgroup until memory
 * runs short; a day of test runs left 1,168 of them. The cleanup empties each cgroup before it removes it, the node's
 * root last, which also frees the dying cgroups of the pods kubelet deleted while the cluster ran.
 */
@EnabledIfSystemProperty(named = "user.name", matches = "root")
class DyingCgroupsIT {
    private static final Path MEMORY = Path.of("/sys/fs/cgroup/memory");
    private static final int PODS = 10;

    @Test
    void theCleanupLeavesNoDyingMemoryCgroupsBehindThePodsItStoppedOrKubeletDeleted() throws Exception {
        Path clusterDir = Files.createTempDirectory(Path.of("/tmp"), "pkcgroups");
        Path written = Files.createTempDirectory(Path.of("/tmp"), "pkcharged"); // kept until after the check: its cache stays
        ClusterHostNames names = ClusterHostNames.of("cgroupit");
        Path root = MEMORY.resolve(names.cgroupRoot("polykube-node").substring(1));
        try {
            PrivateDirectory.ensure(clusterDir.resolve("cluster"), "the cluster directory");
            NodeDirectories dirs = new ClusterLayout(clusterDir.resolve("cluster")).node();
            new NodeRecord("cgroupit", dirs.root().toString(), dirs.containerdSocket().toString(), dirs.runcRoot().toString(),
                    names.bridge(), names.chain(), "10.96.0.0/16", "10.244.0.0/16", "10.244.0.0/24", "1.37.2", "1", true,
                    "polykube-node", names.netns("polykube-node"), names.veth("polykube-node"), List.of()).write();
            int before = memoryCgroups();
            for (int i = 0; i < PODS; i++) {
                Path pod = Files.createDirectories(root.resolve("kubepods/besteffort/pod" + i));
                chargeTo(pod, written.resolve("file" + i));
            }
            for (int i = 0; i < PODS / 2; i++) {
                Files.delete(root.resolve("kubepods/besteffort/pod" + i)); // deleted during the cluster's life, as kubelet does
            }
            assertThat(memoryCgroups()).as("memory cgroups, the dying ones of the deleted pods included")
                    .isGreaterThanOrEqualTo(before + PODS);

            List<String> problems = NodeReset.clean(clusterDir.resolve("cluster"));

            assertThat(problems).isEmpty();
            assertThat(root).doesNotExist();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (memoryCgroups() > before && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(memoryCgroups()).as("memory cgroups the kernel still holds (dying ones included) after the cleanup")
                    .isLessThanOrEqualTo(before);
        } finally {
            removeTree(root);
            TreeDeletion.delete(written);
            TreeDeletion.delete(clusterDir);
        }
    }

    /** Runs a process inside {@code cgroup} that writes a file, so that the file's page cache is charged to it. */
    private static void chargeTo(Path cgroup, Path file) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("sh", "-c", "echo $$ > " + cgroup.resolve("cgroup.procs") + " && exec dd if=/dev/zero of="
                + file + " bs=64k count=16 status=none").redirectErrorStream(true).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("the writer finished").isTrue();
        assertThat(p.exitValue()).as("the writer's exit code: " + new String(p.getInputStream().readAllBytes())).isZero();
    }

    /** The memory cgroups the kernel holds, dying ones included (the third column of /proc/cgroups). */
    private static int memoryCgroups() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/cgroups"))) {
            String[] f = line.split("\\s+");
            if (f[0].equals("memory")) {
                return Integer.parseInt(f[2]);
            }
        }
        throw new IOException("/proc/cgroups has no memory line");
    }

    private static void removeTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        List<Path> dirs = new ArrayList<>();
        try (var walk = Files.walk(root)) {
            walk.filter(Files::isDirectory).forEach(dirs::add);
        }
        dirs.sort(Comparator.comparingInt(Path::getNameCount).reversed());
        for (Path d : dirs) {
            Files.deleteIfExists(d);
        }
    }
}
