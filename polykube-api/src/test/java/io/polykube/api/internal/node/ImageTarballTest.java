package io.polykube.api.internal.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.polykube.api.error.PolykubeException;
import io.polykube.api.images.Images;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageTarballTest {

    @Test
    void anOciLayoutNamesItsImageByTheContainerdAnnotation(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("hello");
        Files.writeString(file, "hi");
        Path tar = Images.fromFiles("polykube.local/hello:1").file(file, "/hello", 0755).entrypoint("/hello").writeTo(dir.resolve("hello.tar"));
        assertThat(ImageTarball.names(tar)).containsExactly("polykube.local/hello:1");
    }

    @Test
    void aDockerSaveArchiveNamesItsTagsAsContainerdDoes(@TempDir Path dir) throws IOException {
        Path tar = dir.resolve("docker.tar");
        byte[] manifest = "[{\"Config\":\"c.json\",\"RepoTags\":[\"busybox:1\",\"me/tool:2\",\"localhost:5000/x:3\"],\"Layers\":[]}]"
                .getBytes(StandardCharsets.UTF_8);
        try (OutputStream out = Files.newOutputStream(tar); TarArchiveOutputStream t = new TarArchiveOutputStream(out)) {
            TarArchiveEntry entry = new TarArchiveEntry("manifest.json");
            entry.setSize(manifest.length);
            t.putArchiveEntry(entry);
            t.write(manifest);
            t.closeArchiveEntry();
        }
        assertThat(ImageTarball.names(tar)).containsExactly("docker.io/library/busybox:1", "docker.io/me/tool:2",
                "localhost:5000/x:3");
    }

    @Test
    void aFileThatIsNoTarIsRefusedSayingWhatIsExpected(@TempDir Path dir) throws IOException {
        Path notTar = Files.writeString(dir.resolve("x.tar"), "not a tar at all, just some text that is long enough");
        assertThat(ImageTarball.names(notTar)).isEmpty();
        assertThatThrownBy(() -> ImageTarball.names(dir.resolve("missing.tar"))).isInstanceOf(PolykubeException.class)
                .hasMessageContaining("OCI layout");
    }
}
