package io.polykube.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.polykube.api.error.PolykubeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestImagesTest {
    private static final String E2E = "registry.k8s.io/e2e-test-images/";

    @Test
    void everyImageOf1344IsItsRegistryNameAndTagAsGetE2eImageMakesIt() {
        ManifestImages m = Manifests.manifest("1.34.4");
        assertThat(m.images()).hasSize(29);
        assertThat(m.images()).containsEntry("Agnhost", E2E + "agnhost:2.56")
                .containsEntry("Pause", "registry.k8s.io/pause:3.10.1")
                .containsEntry("Etcd", "registry.k8s.io/etcd:3.6.4-0")
                .containsEntry("JessieDnsutils", E2E + "jessie-dnsutils:1.7")
                .containsEntry("HttpdNew", E2E + "httpd:2.4.39-4")
                .containsEntry("AuthenticatedAlpine", "gcr.io/authenticated-image-pulling/alpine:3.7")
                .containsEntry("NFSProvisioner", "registry.k8s.io/sig-storage/nfs-provisioner:v4.0.8")
                .containsEntry("NodePerfNpbEp", E2E + "node-perf/npb-ep:1.2");
        assertThat(m.images().keySet()).startsWith("Agnhost", "AgnhostPrivate").doesNotContain("AgnhostPrev");
        assertThat(m.find("GlibcDnsTesting")).isEmpty();
    }

    @Test
    void everyImageOf1372IncludingThePreviousAgnhostAndGlibcDnsTesting() {
        ManifestImages m = Manifests.manifest("1.37.2");
        assertThat(m.images()).hasSize(28);
        assertThat(m.images()).containsEntry("AgnhostPrev", E2E + "agnhost:2.55")
                .containsEntry("Agnhost", E2E + "agnhost:2.66.1")
                .containsEntry("GlibcDnsTesting", E2E + "glibc-dns-testing:2.1.1")
                .containsEntry("Pause", "registry.k8s.io/pause:3.10.2")
                .containsEntry("Etcd", "registry.k8s.io/etcd:3.7.0-0")
                .containsEntry("SampleDevicePlugin", E2E + "sample-device-plugin:1.7")
                .doesNotContainKeys("Httpd", "HttpdNew", "JessieDnsutils", "AuthenticatedAlpine");
        assertThat(m.require("APIServer")).isEqualTo(E2E + "sample-apiserver:1.29.2");
    }

    @Test
    void aMissingImageIsAnErrorNamingTheFileAndTheImageId() {
        assertThatThrownBy(() -> Manifests.manifest("1.37.2").require("Httpd")).isInstanceOf(PolykubeException.class)
                .hasMessageContaining("manifest-v1.37.2.go.txt has no image Httpd");
    }

    @Test
    void aChangedLayoutIsAnErrorNotAnEmptyTable() {
        assertThatThrownBy(() -> ManifestImages.parse("package image\n", "m.go")).isInstanceOf(PolykubeException.class)
                .hasMessageContaining("m.go has no 'initRegistry = RegistryList{...}' block");
        String registries = "initRegistry = RegistryList{\n\tGcRegistry: \"registry.k8s.io\",\n}\n";
        assertThatThrownBy(() -> ManifestImages.parse(registries, "m.go")).isInstanceOf(PolykubeException.class)
                .hasMessageContaining("m.go has no 'configs[ID] = Config{list.R, \"name\", \"tag\"}' line");
        assertThatThrownBy(() -> ManifestImages.parse(registries + "configs[Pause] = Config{list.Other, \"pause\", \"3.10\"}\n",
                "m.go")).isInstanceOf(PolykubeException.class)
                .hasMessageContaining("image Pause names registry list.Other, which initRegistry does not define");
        assertThat(ManifestImages.parse(registries + "configs[Pause] = Config{list.GcRegistry, \"pause\", \"3.10\"}\n", "m.go")
                .images()).containsExactly(Map.entry("Pause", "registry.k8s.io/pause:3.10"));
    }

    @Test
    void readNamesAnUnreadableFile(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("manifest.go"), Manifests.text("1.34.4"));
        assertThat(ManifestImages.read(file).origin()).isEqualTo(file.toString());
        assertThatThrownBy(() -> ManifestImages.read(dir.resolve("missing.go"))).isInstanceOf(PolykubeException.class)
                .hasMessageContaining("cannot read " + dir.resolve("missing.go"));
    }
}
