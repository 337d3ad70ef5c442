package io.polykube.api.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.polykube.api.PolykubeException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageBuilderTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void writesAnOciLayoutWhoseDigestsMatch() throws IOException {
        Path bin = Files.writeString(dir.resolve("tool"), "#!/bin/sh\necho hi\n");
        Path tar = Images.fromFiles("polykube.local/web:1").file(bin, "/usr/bin/tool", 0755).symlink("/bin/sh", "busybox")
                .content("/www/index.html", "hello", 0644).entrypoint("/usr/bin/tool").env("A", "b").writeTo(dir.resolve("i.tar"));
        Map<String, byte[]> files = read(Files.readAllBytes(tar));
        assertThat(files).containsKeys("oci-layout", "index.json");
        JsonNode index = JSON.readTree(files.get("index.json"));
        JsonNode m = index.get("manifests").get(0);
        assertThat(m.at("/annotations/io.containerd.image.name").asText()).isEqualTo("polykube.local/web:1");
        byte[] manifestBytes = blob(files, m.get("digest").asText());
        assertThat(manifestBytes).hasSize(m.get("size").asInt());
        JsonNode manifest = JSON.readTree(manifestBytes);
        byte[] config = blob(files, manifest.at("/config/digest").asText());
        byte[] layer = blob(files, manifest.get("layers").get(0).get("digest").asText());
        JsonNode cfg = JSON.readTree(config);
        assertThat(cfg.at("/rootfs/diff_ids/0").asText()).isEqualTo("sha256:" + ImageBuilder.sha256(layer));
        assertThat(cfg.at("/config/Entrypoint/0").asText()).isEqualTo("/usr/bin/tool");
        assertThat(cfg.at("/config/Env").toString()).contains("A=b");

        Map<String, TarArchiveEntry> entries = new HashMap<>();
        Map<String, byte[]> content = new HashMap<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(layer))) {
            TarArchiveEntry e;
            while ((e = in.getNextEntry()) != null) {
                entries.put(e.getName(), e);
                content.put(e.getName(), in.readAllBytes());
            }
        }
        assertThat(entries).containsKeys("usr/", "usr/bin/", "usr/bin/tool", "bin/", "bin/sh", "www/", "www/index.html");
        assertThat(entries.get("usr/bin/tool").getMode() & 0777).isEqualTo(0755);
        assertThat(entries.get("bin/sh").isSymbolicLink()).isTrue();
        assertThat(entries.get("bin/sh").getLinkName()).isEqualTo("busybox");
        assertThat(new String(content.get("www/index.html"), StandardCharsets.UTF_8)).isEqualTo("hello");
    }

    @Test
    void setuidSetgidAndStickyBitsAreKeptInTheLayer() throws IOException {
        Path bin = Files.writeString(dir.resolve("nnp"), "binary");
        Path tar = Images.fromFiles("polykube.local/nnp:1").file(bin, "/usr/local/bin/nnp", 04755)
                .content("/usr/bin/wall", "x", 02755).content("/shared/.keep", "", 01777).cmd("nnp").writeTo(dir.resolve("n.tar"));
        Map<String, byte[]> files = read(Files.readAllBytes(tar));
        JsonNode manifest = JSON.readTree(blob(files, JSON.readTree(files.get("index.json")).at("/manifests/0/digest").asText()));
        Map<String, TarArchiveEntry> entries = new HashMap<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(
                blob(files, manifest.at("/layers/0/digest").asText())))) {
            for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                entries.put(e.getName(), e);
            }
        }
        assertThat(entries.get("usr/local/bin/nnp").getMode()).isEqualTo(0104755);
        assertThat(entries.get("usr/local/bin/nnp").isFile()).isTrue();
        assertThat(entries.get("usr/bin/wall").getMode()).isEqualTo(0102755);
        assertThat(entries.get("shared/.keep").getMode()).isEqualTo(0101777);
    }

    @Test
    void sameInputSameDigest() throws IOException {
        Path a = Images.fromFiles("polykube.local/x:1").content("/a", "1", 0644).cmd("/a").writeTo(dir.resolve("a.tar"));
        Path b = Images.fromFiles("polykube.local/x:1").content("/a", "1", 0644).cmd("/a").writeTo(dir.resolve("b.tar"));
        assertThat(Files.readAllBytes(a)).isEqualTo(Files.readAllBytes(b));
    }

    @Test
    void rejectsBadInput() {
        assertThatThrownBy(() -> Images.fromFiles("web")).isInstanceOf(PolykubeException.class).hasMessageContaining("tag");
        assertThatThrownBy(() -> Images.fromFiles("polykube.local/x:1").content("rel/path", "x", 0644))
                .hasMessageContaining("absolute");
        assertThatThrownBy(() -> Images.fromFiles("polykube.local/x:1").file(dir.resolve("nope"), "/nope", 0644))
                .hasMessageContaining("not a regular file");
        assertThatThrownBy(() -> Images.fromFiles("polykube.local/x:1").content("/a", "x", 0644).writeTo(dir.resolve("x.tar")))
                .hasMessageContaining("entrypoint");
        assertThatThrownBy(() -> Images.fromFiles("polykube.local/x:1").content("/a", "x", 0100755))
                .isInstanceOf(PolykubeException.class).hasMessageContaining("mode 0100755 of /a").hasMessageContaining("07777");
    }

    @Test
    void splitsIptablesRulesIntoWords() {
        assertThat(NodeCleaner.shellWords("-A OUTPUT -m comment --comment \"a b\" -j X")).containsExactly("-A", "OUTPUT", "-m",
                "comment", "--comment", "a b", "-j", "X");
    }

    private static byte[] blob(Map<String, byte[]> files, String digest) {
        byte[] bytes = files.get("blobs/sha256/" + digest.substring("sha256:".length()));
        assertThat(bytes).as(digest).isNotNull();
        assertThat("sha256:" + ImageBuilder.sha256(bytes)).isEqualTo(digest);
        return bytes;
    }

    private static Map<String, byte[]> read(byte[] tar) throws IOException {
        Map<String, byte[]> out = new HashMap<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
            TarArchiveEntry e;
            while ((e = in.getNextEntry()) != null) {
                if (!e.isDirectory()) {
                    out.put(e.getName(), in.readAllBytes());
                }
            }
        }
        return out;
    }
}
