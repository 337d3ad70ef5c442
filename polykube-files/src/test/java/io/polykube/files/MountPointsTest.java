package io.polykube.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class MountPointsTest {
    @Test
    void mountPointsAtOrBelowTheDirectoryDeepestFirstWithEscapesDecoded() {
        List<String> mountinfo = List.of(
                "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw",
                "30 22 0:40 / /srv/c rw - tmpfs tmpfs rw",
                "31 30 0:41 / /srv/c/node/pods/a\\040b/volumes/v rw - tmpfs tmpfs rw",
                "32 30 0:42 / /srv/c/node/shm rw - tmpfs shm rw",
                "33 22 0:43 / /srv/cluster-two rw - tmpfs tmpfs rw",
                "34 22 0:44 / /srv/c/node/shm rw - tmpfs shm rw");
        assertThat(MountPoints.under(Path.of("/srv/c"), mountinfo)).containsExactly(
                Path.of("/srv/c/node/pods/a b/volumes/v"), Path.of("/srv/c/node/shm"), Path.of("/srv/c"));
    }

    @Test
    void unescapesOnlyThreeOctalDigits() {
        assertThat(MountPoints.unescape("a\\040b\\011c\\134d\\12")).isEqualTo("a b\tc\\d\\12");
    }

    @Test
    void readsThisProcessesMountTable() throws IOException {
        assumeTrue(Files.exists(MountPoints.MOUNTINFO), "Linux only");
        assertThat(MountPoints.under(Path.of("/"))).contains(Path.of("/"));
    }
}
