package io.polykube.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.polykube.api.error.PolykubeException;
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
    private static final String E2E = "registry.k8s.io/e2e-test-images/";
    private static final SuiteImages V1344 = Manifests.images("1.34.4");
    private static final SuiteImages V1372 = Manifests.images("1.37.2");

    @Test
    void missingUpstreamFilesAreReportedBeforeAnythingIsBuilt(@TempDir Path empty) {
        Path busybox = Path.of("/bin/busybox");
        assertThatThrownBy(() -> new ConformanceImages(V1344, busybox, busybox, busybox, busybox, busybox,
                new KubernetesSource(empty, "1.34.4"))).isInstanceOf(PolykubeException.class)
                .hasMessageContaining(empty.resolve("test/images/nautilus/html/nautilus.jpg").toString())
                .hasMessageContaining("go mod download k8s.io/kubernetes@v1.34.4");
    }

    @Test
    void jessieDnsutilsHasDigGetentAndTheirLibrariesAndNautilusServesItsFilesWithAgnhost(@TempDir Path dir) throws IOException {
        KubernetesSource source = kubernetesSource(dir, "1.34.4");
        Path busybox = Path.of("/bin/busybox");
        Path upstream = upstreamBusybox(dir);
        Map<String, Path> tarballs = new ConformanceImages(V1344, busybox, upstream, busybox, busybox, busybox, source)
                .writeTo(dir.resolve("images"));
        assertThat(tarballs).containsOnlyKeys(V1344.all().stream()
                .filter(name -> !name.equals(V1344.sampleApiServer()) && !name.equals(V1344.etcd())).toList());
        assertThat(tarballs).containsKeys(E2E + "jessie-dnsutils:1.7", E2E + "nautilus:1.7", E2E + "kitten:1.7",
                E2E + "agnhost:2.56", E2E + "httpd:2.4.38-4", E2E + "httpd:2.4.39-4");

        Image jessie = Image.read(tarballs.get(E2E + "jessie-dnsutils:1.7"));
        assertThat(jessie.files).contains("bin/sh", "bin/seq", "usr/bin/dig", "usr/bin/getent", "etc/nsswitch.conf",
                "lib64/ld-linux-x86-64.so.2", "lib/x86_64-linux-gnu/libc.so.6");
        for (Path library : HostExecutable.of(ConformanceImages.DIG, "install bind9-dnsutils").libraries()) {
            assertThat(jessie.files).contains(library.toString().substring(1));
        }
        assertThat(jessie.config.path("Cmd").toString()).isEqualTo("[\"sh\"]");
        assertThat(Image.read(tarballs.get(E2E + "agnhost:2.56")).files).contains("agnhost", "usr/bin/dig", "usr/bin/getent",
                "usr/bin/nc", "lib/x86_64-linux-gnu/libbsd.so.0", "usr/bin/curl", "agnhost-2", "localhost.crt", "localhost.key");
        // the busybox image is the upstream build with its own ash as sh (no bash); agnhost keeps bash as sh
        Image busyboxImage = Image.read(tarballs.get(V1344.busybox()));
        assertThat(busyboxImage.links).containsEntry("bin/sh", "busybox").containsEntry("bin/env", "busybox");
        assertThat(busyboxImage.contents.get("bin/busybox")).isEqualTo(Files.readAllBytes(upstream));
        assertThat(busyboxImage.files).doesNotContain("bin/bash", "lib/x86_64-linux-gnu/libtinfo.so.6");
        assertThat(Image.read(tarballs.get(E2E + "agnhost:2.56")).links).doesNotContainKey("bin/sh");

        Image nautilus = Image.read(tarballs.get(E2E + "nautilus:1.7"));
        assertThat(nautilus.files).contains("agnhost", "nautilus.jpg", "data.json");
        assertThat(nautilus.config.path("Entrypoint").toString()).isEqualTo("[\"/agnhost\"]");
        assertThat(nautilus.config.path("Cmd").toString()).isEqualTo("[\"test-webserver\"]");
        assertThat(tarballs).doesNotContainKeys(V1344.sampleApiServer(), V1344.etcd());
    }

    @Test
    void the1372SuiteGetsBothAgnhostTagsFromOneProgramAndTheDnsImageAsGlibcDnsTesting(@TempDir Path dir) throws IOException {
        KubernetesSource source = kubernetesSource(dir, "1.37.2");
        Path busybox = Path.of("/bin/busybox");
        Path agnhost = Files.writeString(dir.resolve("agnhost"), "the agnhost of 1.37.2");
        Map<String, Path> tarballs = new ConformanceImages(V1372, busybox, busybox, agnhost, busybox, busybox, source)
                .writeTo(dir.resolve("images"));
        assertThat(tarballs).containsOnlyKeys(E2E + "agnhost:2.66.1", E2E + "agnhost:2.55", E2E + "glibc-dns-testing:2.1.1",
                E2E + "nautilus:1.8", E2E + "kitten:1.8", E2E + "busybox:1.37.0-2", "registry.k8s.io/pause:3.10.2",
                E2E + "nonewprivs:1.4", E2E + "nginx:1.27.0-2", E2E + "nginx:1.28.0-2");
        for (String tag : new String[] {"2.66.1", "2.55"}) {
            Image image = Image.read(tarballs.get(E2E + "agnhost:" + tag));
            assertThat(image.contents.get("agnhost")).isEqualTo(Files.readAllBytes(agnhost));
            assertThat(image.config.path("Cmd").toString()).isEqualTo("[\"pause\"]");
        }
        Image dns = Image.read(tarballs.get(E2E + "glibc-dns-testing:2.1.1"));
        assertThat(dns.files).contains("usr/bin/dig", "usr/bin/getent", "etc/nsswitch.conf", "bin/sh");
        assertThat(Image.read(tarballs.get(E2E + "kitten:1.8")).files).contains("agnhost", "kitten.jpg", "data.json");
        assertThat(Image.read(tarballs.get(E2E + "nginx:1.28.0-2")).files).contains("usr/share/nginx/html/index.html");
        assertThat(tarballs.values().stream().map(p -> p.getFileName().toString()).toList()).doesNotHaveDuplicates();
    }

    @Test
    void nonewprivsHasNnpSetuidRootAtUsrLocalBinAsUpstreamsChmodPlusS(@TempDir Path dir) throws IOException {
        Path busybox = Path.of("/bin/busybox");
        Map<String, Path> tarballs = new ConformanceImages(V1344, busybox, busybox, busybox, busybox, busybox,
                kubernetesSource(dir, "1.34.4")).writeTo(dir.resolve("images"));
        assertThat(tarballs).containsKey("registry.k8s.io/e2e-test-images/nonewprivs:1.3");
        Image nnp = Image.read(tarballs.get(V1344.nonewprivs()));
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
        KubernetesSource source = kubernetesSource(dir, "1.37.2");
        Path busybox = Path.of("/bin/busybox");
        ConformanceImages base = new ConformanceImages(V1372, busybox, busybox, busybox, busybox, busybox, source);
        assertThatThrownBy(() -> base.withSampleApiServer(dir.resolve("missing"), busybox)).isInstanceOf(PolykubeException.class)
                .hasMessageContaining(dir.resolve("missing") + " is missing");
        Map<String, Path> tarballs = base.withSampleApiServer(busybox, busybox).writeTo(dir.resolve("images"));
        Image sample = Image.read(tarballs.get(E2E + "sample-apiserver:1.29.2"));
        assertThat(sample.files).contains("sample-apiserver");
        assertThat(sample.config.path("Entrypoint").toString()).isEqualTo("[\"/sample-apiserver\"]");
        assertThat(Image.read(tarballs.get("registry.k8s.io/etcd:3.7.0-0")).files).contains("usr/local/bin/etcd");
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
    private static KubernetesSource kubernetesSource(Path dir, String version) throws IOException {
        Path source = dir.resolve("kubernetes@v" + version);
        for (String name : new String[] {"nautilus", "kitten"}) {
            Path html = Files.createDirectories(source.resolve("test/images/" + name + "/html"));
            Files.writeString(html.resolve(name + ".jpg"), "jpg");
            Files.writeString(html.resolve("data.json"), "{\"image\": \"" + name + ".jpg\"}");
        }
        Path porter = Files.createDirectories(source.resolve("test/images/agnhost/porter"));
        Files.writeString(porter.resolve("localhost.crt"), "crt");
        Files.writeString(porter.resolve("localhost.key"), "key");
        return new KubernetesSource(source, version);
    }
}
