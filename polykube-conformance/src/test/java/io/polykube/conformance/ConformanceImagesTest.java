package io.polykube.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.polykube.api.PolykubeException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConformanceImagesTest {

    @Test
    void theKubernetesSourceIsFoundInTheGoModuleCacheLikeGoEnvGomodcache() {
        Path home = Path.of("/home/u");
        assertThat(ConformanceImages.kubernetesSource(Map.of(), home, "1.34.4"))
                .isEqualTo(Path.of("/home/u/go/pkg/mod/k8s.io/kubernetes@v1.34.4"));
        assertThat(ConformanceImages.kubernetesSource(Map.of("GOPATH", "/gp:/other"), home, "1.34.4"))
                .isEqualTo(Path.of("/gp/pkg/mod/k8s.io/kubernetes@v1.34.4"));
        assertThat(ConformanceImages.kubernetesSource(Map.of("GOPATH", "/gp", "GOMODCACHE", "/mc"), home, "1.34.4"))
                .isEqualTo(Path.of("/mc/k8s.io/kubernetes@v1.34.4"));
    }

    @Test
    void missingUpstreamFilesAreReportedBeforeAnythingIsBuilt(@TempDir Path empty) {
        assertThatThrownBy(() -> new ConformanceImages(Path.of("/bin/busybox"), Path.of("/bin/busybox"), Path.of("/bin/busybox"),
                Path.of("/bin/busybox"), Path.of("/bin/busybox"), empty)).isInstanceOf(PolykubeException.class)
                .hasMessageContaining(empty.resolve("test/images/nautilus/html/nautilus.jpg").toString())
                .hasMessageContaining("go mod download k8s.io/" + empty.getFileName());
    }

    @Test
    void jessieDnsutilsHasDigGetentAndTheirLibrariesAndNautilusServesItsFilesWithAgnhost(@TempDir Path dir) throws IOException {
        Path source = kubernetesSource(dir);
        Path busybox = Path.of("/bin/busybox");
        Path upstream = upstreamBusybox(dir);
        Map<String, Path> tarballs = new ConformanceImages(busybox, upstream, busybox, busybox, busybox, source)
                .writeTo(dir.resolve("images"));
        assertThat(tarballs).containsKeys(ConformanceImages.JESSIE_DNSUTILS, ConformanceImages.NAUTILUS, ConformanceImages.KITTEN,
                ConformanceImages.AGNHOST);

        Image jessie = Image.read(tarballs.get(ConformanceImages.JESSIE_DNSUTILS));
        assertThat(jessie.files).contains("bin/sh", "bin/seq", "usr/bin/dig", "usr/bin/getent", "etc/nsswitch.conf",
                "lib64/ld-linux-x86-64.so.2", "lib/x86_64-linux-gnu/libc.so.6");
        for (Path library : HostExecutable.of(ConformanceImages.DIG, "install bind9-dnsutils").libraries()) {
            assertThat(jessie.files).contains(library.toString().substring(1));
        }
        assertThat(jessie.config.path("Cmd").toString()).isEqualTo("[\"sh\"]");
        assertThat(Image.read(tarballs.get(ConformanceImages.AGNHOST)).files).contains("agnhost", "usr/bin/dig", "usr/bin/getent",
                "usr/bin/nc", "lib/x86_64-linux-gnu/libbsd.so.0", "usr/bin/curl", "agnhost-2", "localhost.crt", "localhost.key");
        // the busybox image is the upstream build with its own ash as sh (no bash); agnhost keeps bash as sh
        Image busyboxImage = Image.read(tarballs.get(ConformanceImages.BUSYBOX));
        assertThat(busyboxImage.links).containsEntry("bin/sh", "busybox").containsEntry("bin/env", "busybox");
        assertThat(busyboxImage.contents.get("bin/busybox")).isEqualTo(Files.readAllBytes(upstream));
        assertThat(busyboxImage.files).doesNotContain("bin/bash", "lib/x86_64-linux-gnu/libtinfo.so.6");
        assertThat(Image.read(tarballs.get(ConformanceImages.AGNHOST)).links).doesNotContainKey("bin/sh");

        Image nautilus = Image.read(tarballs.get(ConformanceImages.NAUTILUS));
        assertThat(nautilus.files).contains("agnhost", "nautilus.jpg", "data.json");
        assertThat(nautilus.config.path("Entrypoint").toString()).isEqualTo("[\"/agnhost\"]");
        assertThat(nautilus.config.path("Cmd").toString()).isEqualTo("[\"test-webserver\"]");
        assertThat(tarballs).doesNotContainKeys(ConformanceImages.SAMPLE_API_SERVER, ConformanceImages.ETCD);
    }

    @Test
    void nonewprivsHasNnpSetuidRootAtUsrLocalBinAsUpstreamsChmodPlusS(@TempDir Path dir) throws IOException {
        Path busybox = Path.of("/bin/busybox");
        Map<String, Path> tarballs = new ConformanceImages(busybox, busybox, busybox, busybox, busybox, kubernetesSource(dir))
                .writeTo(dir.resolve("images"));
        assertThat(tarballs).containsKey("registry.k8s.io/e2e-test-images/nonewprivs:1.3");
        Image nnp = Image.read(tarballs.get(ConformanceImages.NONEWPRIVS));
        assertThat(nnp.files).contains("usr/local/bin/nnp", "bin/sh", "tmp/.keep");
        TarArchiveEntry program = nnp.entries.get("usr/local/bin/nnp");
        assertThat(program.getMode()).as("regular file, setuid, rwxr-xr-x").isEqualTo(0104755);
        assertThat(program.getLongUserId()).isZero();
        assertThat(program.getLongGroupId()).isZero();
        assertThat(nnp.config.path("Cmd").toString()).isEqualTo("[\"nnp\"]");
        assertThat(nnp.config.has("Entrypoint")).as("no entrypoint, as upstream's alpine base").isFalse();
        assertThat(nnp.config.path("Env").toString()).contains("/usr/local/bin");
    }

    @Test
    void withTheSampleApiServerTheAggregatorImagesAreAddedWithEtcdAtUsrLocalBin(@TempDir Path dir) throws IOException {
        Path source = kubernetesSource(dir);
        Path busybox = Path.of("/bin/busybox");
        ConformanceImages base = new ConformanceImages(busybox, busybox, busybox, busybox, busybox, source);
        assertThatThrownBy(() -> base.withSampleApiServer(dir.resolve("missing"), busybox)).isInstanceOf(PolykubeException.class)
                .hasMessageContaining(dir.resolve("missing") + " is missing");
        Map<String, Path> tarballs = base.withSampleApiServer(busybox, busybox).writeTo(dir.resolve("images"));
        Image sample = Image.read(tarballs.get(ConformanceImages.SAMPLE_API_SERVER));
        assertThat(sample.files).contains("sample-apiserver");
        assertThat(sample.config.path("Entrypoint").toString()).isEqualTo("[\"/sample-apiserver\"]");
        assertThat(Image.read(tarballs.get(ConformanceImages.ETCD)).files).contains("usr/local/bin/etcd");
    }

    /** An OCI tarball's single layer (file names, entries, symbolic links' targets, files' bytes) and its config. */
    private record Image(Set<String> files, Map<String, TarArchiveEntry> entries, Map<String, String> links,
            Map<String, byte[]> contents, JsonNode config) {
        static Image read(Path tarball) throws IOException {
            Map<String, byte[]> blobs = new HashMap<>();
            try (TarArchiveInputStream tar = new TarArchiveInputStream(Files.newInputStream(tarball))) {
                for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                    if (e.isFile()) {
                        blobs.put(e.getName(), tar.readAllBytes());
                    }
                }
            }
            ObjectMapper json = new ObjectMapper();
            String manifest = json.readTree(blobs.get("index.json")).path("manifests").get(0).path("digest").asText();
            JsonNode m = json.readTree(blobs.get(blob(manifest)));
            JsonNode config = json.readTree(blobs.get(blob(m.path("config").path("digest").asText()))).path("config");
            Set<String> files = new HashSet<>();
            Map<String, TarArchiveEntry> entries = new HashMap<>();
            Map<String, String> links = new HashMap<>();
            Map<String, byte[]> contents = new HashMap<>();
            byte[] layer = blobs.get(blob(m.path("layers").get(0).path("digest").asText()));
            try (InputStream in = new ByteArrayInputStream(layer); TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
                for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                    files.add(e.getName());
                    entries.put(e.getName(), e);
                    if (e.isSymbolicLink()) {
                        links.put(e.getName(), e.getLinkName());
                    } else if (e.isFile()) {
                        contents.put(e.getName(), tar.readAllBytes());
                    }
                }
            }
            return new Image(files, entries, links, contents, config);
        }

        private static String blob(String digest) {
            return "blobs/sha256/" + digest.substring("sha256:".length());
        }
    }

    /** A stand-in for the upstream busybox build: a script that lists three applets. */
    private static Path upstreamBusybox(Path dir) throws IOException {
        Path script = Files.writeString(dir.resolve("upstream-busybox"), "#!/bin/sh\nprintf 'busybox\\nsh\\nenv\\ncat\\n'\n");
        script.toFile().setExecutable(true);
        return script;
    }

    /** A stand-in for the k8s.io/kubernetes module source: the html files of nautilus and kitten, agnhost's certificate. */
    private static Path kubernetesSource(Path dir) throws IOException {
        Path source = dir.resolve("kubernetes");
        for (String name : new String[] {"nautilus", "kitten"}) {
            Path html = Files.createDirectories(source.resolve("test/images/" + name + "/html"));
            Files.writeString(html.resolve(name + ".jpg"), "jpg");
            Files.writeString(html.resolve("data.json"), "{\"image\": \"" + name + ".jpg\"}");
        }
        Path porter = Files.createDirectories(source.resolve("test/images/agnhost/porter"));
        Files.writeString(porter.resolve("localhost.crt"), "crt");
        Files.writeString(porter.resolve("localhost.key"), "key");
        return source;
    }
}
