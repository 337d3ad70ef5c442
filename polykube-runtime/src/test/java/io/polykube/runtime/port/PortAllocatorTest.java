package io.polykube.runtime.port;

import static org.assertj.core.api.Assertions.assertThat;

import io.polykube.files.LockFile;
import java.nio.file.Path;
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
}
