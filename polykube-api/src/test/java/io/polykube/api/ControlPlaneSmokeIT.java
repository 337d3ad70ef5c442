package io.polykube.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControlPlaneSmokeIT {
    @TempDir
    Path dir;

    @Test
    void startsAndLists() {
        try (Cluster cluster = Cluster.builder().name("smoke").directory(dir).mode(Mode.CONTROL_PLANE)
                .etcd(e -> e.unsafeNoFsync(true)).build().start()) {
            assertThat(cluster.client().namespaces().list().getItems()).isNotEmpty();
        }
    }
}
