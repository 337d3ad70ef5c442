package io.polykube.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.polykube.api.PolykubeException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class HostExecutableTest {

    @Test
    void lddOutputGivesTheLibrariesAndTheLoaderButNotTheVdso() {
        String out = "\tlinux-vdso.so.1 (0x00007ffd1c5f3000)\n"
                + "\tlibjemalloc.so.2 => /lib/x86_64-linux-gnu/libjemalloc.so.2 (0x00007f55bb000000)\n"
                + "\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f3b22a2d000)\n"
                + "\t/lib64/ld-linux-x86-64.so.2 (0x00007f3b22c2b000)\n";
        assertThat(HostExecutable.parseLdd(out, Path.of("/usr/bin/dig"))).containsExactly(
                Path.of("/lib/x86_64-linux-gnu/libjemalloc.so.2"), Path.of("/lib/x86_64-linux-gnu/libc.so.6"),
                Path.of("/lib64/ld-linux-x86-64.so.2"));
        assertThat(HostExecutable.parseLdd("\tnot a dynamic executable\n", Path.of("/bin/busybox"))).isEmpty();
    }

    @Test
    void aLibraryLddCannotFindIsAnErrorNamingIt() {
        assertThatThrownBy(() -> HostExecutable.parseLdd("\tlibc.so.6 => /lib/libc.so.6 (0x1)\n\tlibisc.so => not found\n",
                Path.of("/usr/bin/dig"))).isInstanceOf(PolykubeException.class)
                .hasMessageContaining("/usr/bin/dig needs libisc.so").hasMessageContaining("install the Debian package");
    }

    @Test
    void aMissingExecutableIsAnErrorWithTheGivenFix() {
        assertThatThrownBy(() -> HostExecutable.of(Path.of("/nonexistent/dig"), "install bind9-dnsutils"))
                .isInstanceOf(PolykubeException.class).hasMessage("/nonexistent/dig is missing or not executable: install bind9-dnsutils");
    }

    @Test
    void theHostsGetentNeedsLibcAndTheLoader() {
        // getent comes with libc-bin, present on every Debian host
        HostExecutable getent = HostExecutable.of(Path.of("/usr/bin/getent"), "install libc-bin");
        assertThat(getent.libraries()).anySatisfy(p -> assertThat(p.getFileName().toString()).startsWith("libc.so"))
                .anySatisfy(p -> assertThat(p.getFileName().toString()).startsWith("ld-linux"))
                .allSatisfy(p -> assertThat(Files.isRegularFile(p)).isTrue());
    }
}
