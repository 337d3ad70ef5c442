package io.polykube.runtime.port;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.polykube.files.LockFile;
import io.polykube.files.PrivateDirectory;
import io.polykube.runtime.ProcessException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PortAllocatorTest {
    @TempDir
    Path locks;

    @Test
    void aReservedPortIsNotHandedOutAgainInThisJvmUntilReleased() throws Exception {
        PortAllocator first = PortAllocator.builder().lockDirectory(locks).range(26100, 26199).build();
        PortAllocator second = PortAllocator.builder().lockDirectory(locks).range(26100, 26199).build();
        try (ReservedPort port = first.allocate()) {
            assertThat(port.isReserved()).isTrue();
            assertThat(second.tryReserve(port.port())).as("held by the first allocator").isEmpty();
            assertThat(first.tryReserve(port.port())).as("a second try must not drop the lock").isEmpty();
            // read through LockFile: opening and closing the held file here would drop the lock (POSIX)
            assertThat(LockFile.readNote(locks.resolve(port.port() + ".lock"))).hasValue("pid " + ProcessHandle.current().pid() + "\n");
            try (ReservedPort other = second.allocate()) {
                assertThat(other.port()).isNotEqualTo(port.port());
            }
            port.close();
            assertThat(port.isReserved()).isFalse();
            try (ReservedPort again = second.tryReserve(port.port()).orElseThrow()) {
                assertThat(again.port()).isEqualTo(port.port());
            }
        }
    }

    @Test
    void refusesALockDirectoryOthersCanWriteInAsTheOldSharedOneWas() throws Exception {
        Path shared = Files.createDirectory(locks.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));

        assertThatThrownBy(() -> PortAllocator.builder().lockDirectory(shared).build())
                .isInstanceOf(ProcessException.class)
                .hasMessageContaining("the port lock directory is writable by its group and others");
    }

    @Test
    void theDefaultLockDirectoryIsThisUsersOwn() throws Exception {
        Path dir = PortAllocator.defaultLockDirectory();

        if (PrivateDirectory.currentUid() == 0) {
            assertThat(dir).isEqualTo(Path.of("/run/polykube/ports"));
        } else {
            assertThat(dir.getFileName().toString()).startsWith("polykube-ports-").isNotEqualTo("polykube-ports");
        }
        PortAllocator allocator = PortAllocator.builder().range(26200, 26299).build();
        assertThat(allocator.lockDirectory()).isEqualTo(dir);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        assertThat(Files.getAttribute(dir, "unix:uid")).isEqualTo(PrivateDirectory.currentUid());
    }
}
