package io.polykube.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.polykube.api.PolykubeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UpstreamBusyboxTest {

    @Test
    void theUpstreamVersionComesFromTheOrigTarballOnly() {
        assertThat(UpstreamBusybox.upstreamVersion("busybox_1.35.0.orig.tar.bz2")).contains("1.35.0");
        assertThat(UpstreamBusybox.upstreamVersion("busybox_1.37.0.orig.tar.xz")).contains("1.37.0");
        assertThat(UpstreamBusybox.upstreamVersion("busybox_1.35.0-4+deb12u1.debian.tar.xz")).isEmpty();
        assertThat(UpstreamBusybox.upstreamVersion("busybox_1.35.0-4+deb12u1.dsc")).isEmpty();
    }

    @Test
    void theCachedBuildOfTheHighestVersionIsUsedAndHalfBuiltOnesAreNot(@TempDir Path bin) throws IOException {
        UpstreamBusybox busybox = new UpstreamBusybox(bin);
        assertThat(busybox.cached()).isEmpty();
        for (String version : new String[] {"1.9.0", "1.35.0", "1.100.1"}) {
            Path file = Files.createDirectories(bin.resolve("busybox-v" + version)).resolve("busybox");
            Files.writeString(file, "");
            file.toFile().setExecutable(!version.equals("1.100.1"));
        }
        Files.createDirectories(bin.resolve(".tmp-busybox-1"));
        assertThat(busybox.cached()).contains(bin.resolve("busybox-v1.35.0/busybox"));
    }

    @Test
    void theDefconfigIsMadeStatic() {
        assertThat(UpstreamBusybox.staticConfig("CONFIG_A=y\n# CONFIG_STATIC is not set\nCONFIG_PIE=y\n"))
                .isEqualTo("CONFIG_A=y\nCONFIG_STATIC=y\n# CONFIG_PIE is not set\n");
    }

    @Test
    void theHostsDebEntriesOfBothFormatsAreWrittenAsDebSrcAndOtherFilesAreIgnored(@TempDir Path dir) throws IOException {
        Path etc = aptEtc(dir, "deb http://archive.example/debian stable main\n", Map.of(
                "debian.sources", "Types: deb\nURIs: http://archive.example/debian\nSuites: stable\n",
                "other.list.disabled", "deb http://archive.example/off stable main\n",
                "sources-only.list", "deb-src http://archive.example/debian stable main\n"));
        Path out = Files.createDirectories(dir.resolve("out"));
        assertThat(new UpstreamBusybox(dir.resolve("bin"), etc).writeSourceEntries(out)).isEqualTo(2);
        assertThat(out.resolve("host-sources.list")).hasContent("deb-src http://archive.example/debian stable main");
        assertThat(out.resolve("host-debian.sources")).hasContent("Types: deb-src\nURIs: http://archive.example/debian\nSuites: stable");
        assertThat(out).isDirectoryNotContaining("glob:**/host-other.list.disabled").isDirectoryNotContaining("glob:**/host-sources-only.list");
    }

    @Test
    void withoutAnyDebEntryTheHostIsToldToConfigureApt(@TempDir Path dir) throws IOException {
        Path etc = aptEtc(dir, "# none\n", Map.of("x.sources", "Types: deb\nURIs: http://archive.example/\nEnabled: no\n"));
        Path out = Files.createDirectories(dir.resolve("out"));
        assertThatThrownBy(() -> new UpstreamBusybox(dir.resolve("bin"), etc).writeSourceEntries(out))
                .isInstanceOf(PolykubeException.class).hasMessageContaining("no 'deb' entry in " + etc.resolve("sources.list"))
                .hasMessageContaining("Configure apt");
        assertThat(out).isEmptyDirectory();
    }

    /** A stand-in for /etc/apt: {@code sources.list} and the named files of {@code sources.list.d}. */
    private static Path aptEtc(Path dir, String sourcesList, Map<String, String> parts) throws IOException {
        Path etc = Files.createDirectories(dir.resolve("etc/apt"));
        Path partsDir = Files.createDirectories(etc.resolve("sources.list.d"));
        Files.writeString(etc.resolve("sources.list"), sourcesList);
        for (Map.Entry<String, String> part : parts.entrySet()) {
            Files.writeString(partsDir.resolve(part.getKey()), part.getValue());
        }
        return etc;
    }
}
