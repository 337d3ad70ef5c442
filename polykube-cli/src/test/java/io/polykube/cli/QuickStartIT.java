package io.polykube.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.polykube.api.Cluster;
import io.polykube.api.Mode;
import io.polykube.api.node.NetworkGuard;
import io.polykube.files.TreeDeletion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/** The seed's lab end to end on a fresh FULL cluster (root only). */
@EnabledIfSystemProperty(named = "user.name", matches = "root")
class QuickStartIT {

    @Test
    void theLabRunsEndToEnd() throws Exception {
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "pkfull-qs");
        long t0 = System.nanoTime();
        NetworkGuard guard;
        try (Cluster cluster = Cluster.builder().name("quickstart").directory(dir).mode(Mode.FULL)
                .etcd(e -> e.unsafeNoFsync(true)).startTimeout(Duration.ofMinutes(2)).build().start()) {
            long ready = System.nanoTime();
            guard = NetworkGuard.of(cluster.spec());
            assertThat(guard.isInstalled()).isTrue();
            QuickStart.QuickStartReport report = QuickStart.run(cluster, System.out);
            Duration toFirstPod = Duration.ofNanos(ready - t0).plus(report.took("image " + QuickStart.IMAGE + " built and loaded"))
                    .plus(report.took("deployment blue created")).plus(report.took("replicaset made by the controller manager"))
                    .plus(report.took("pod scheduled and Running"));
            System.out.printf("start -> node Ready %d ms; start -> first pod Running %d ms (incl. image build/load)%n",
                    Duration.ofNanos(ready - t0).toMillis(), toFirstPod.toMillis());
            assertThat(report.podsReached()).hasSize(3);
            assertThat(report.podIp()).startsWith("10.244.0.");
            assertThat(guard.serviceCidr().contains(java.net.InetAddress.getByName(report.clusterIp()))).isTrue();
            assertThat(report.requests()).isLessThanOrEqualTo(100);
        }
        assertThat(guard.isInstalled()).as("guard removed at close").isFalse();
        TreeDeletion.delete(dir); // kept when the test fails, for its logs
    }
}
