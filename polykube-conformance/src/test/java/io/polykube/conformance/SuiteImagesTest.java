package io.polykube.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.polykube.api.error.PolykubeException;
import org.junit.jupiter.api.Test;

class SuiteImagesTest {
    private static final String E2E = "registry.k8s.io/e2e-test-images/";

    @Test
    void theStandInsOf1344AreTheNamesPolykubeHasAlwaysBuilt() {
        SuiteImages images = Manifests.images("1.34.4");
        assertThat(images.agnhost()).containsExactly(E2E + "agnhost:2.56");
        assertThat(images.busybox()).isEqualTo(E2E + "busybox:1.37.0-1");
        assertThat(images.pause()).isEqualTo("registry.k8s.io/pause:3.10.1");
        assertThat(images.httpd()).containsExactly(E2E + "httpd:2.4.38-4", E2E + "httpd:2.4.39-4");
        assertThat(images.nginx()).containsExactly(E2E + "nginx:1.14-4", E2E + "nginx:1.15-4");
        assertThat(images.dnsUtils()).containsExactly(E2E + "jessie-dnsutils:1.7");
        assertThat(images.nautilus()).isEqualTo(E2E + "nautilus:1.7");
        assertThat(images.kitten()).isEqualTo(E2E + "kitten:1.7");
        assertThat(images.nonewprivs()).isEqualTo(E2E + "nonewprivs:1.3");
        assertThat(images.sampleApiServer()).isEqualTo(E2E + "sample-apiserver:1.29.2");
        assertThat(images.etcd()).isEqualTo("registry.k8s.io/etcd:3.6.4-0");
        assertThat(images.all()).hasSize(13);
    }

    @Test
    void the1372StandInsAddThePreviousAgnhostAndGlibcDnsTestingAndDropHttpd() {
        SuiteImages images = Manifests.images("1.37.2");
        assertThat(images.agnhost()).containsExactly(E2E + "agnhost:2.66.1", E2E + "agnhost:2.55");
        assertThat(images.currentAgnhost()).isEqualTo(E2E + "agnhost:2.66.1");
        assertThat(images.busybox()).isEqualTo(E2E + "busybox:1.37.0-2");
        assertThat(images.pause()).isEqualTo("registry.k8s.io/pause:3.10.2");
        assertThat(images.httpd()).isEmpty();
        assertThat(images.nginx()).containsExactly(E2E + "nginx:1.27.0-2", E2E + "nginx:1.28.0-2");
        assertThat(images.dnsUtils()).containsExactly(E2E + "glibc-dns-testing:2.1.1");
        assertThat(images.nautilus()).isEqualTo(E2E + "nautilus:1.8");
        assertThat(images.kitten()).isEqualTo(E2E + "kitten:1.8");
        assertThat(images.nonewprivs()).isEqualTo(E2E + "nonewprivs:1.4");
        assertThat(images.sampleApiServer()).isEqualTo(E2E + "sample-apiserver:1.29.2");
        assertThat(images.etcd()).isEqualTo("registry.k8s.io/etcd:3.7.0-0");
        assertThat(images.all()).hasSize(12).doesNotHaveDuplicates();
    }

    @Test
    void aMissingRequiredImageIsAnErrorNamingTheFile() {
        String withoutKitten = Manifests.text("1.37.2").replaceAll("(?m)^.*configs\\[Kitten\\].*$", "");
        assertThatThrownBy(() -> SuiteImages.of(ManifestImages.parse(withoutKitten, "k/manifest.go")))
                .isInstanceOf(PolykubeException.class).hasMessageContaining("k/manifest.go has no image Kitten")
                .hasMessageContaining("update SuiteImages");
        String withoutDns = Manifests.text("1.37.2").replaceAll("(?m)^.*configs\\[GlibcDnsTesting\\].*$", "");
        assertThatThrownBy(() -> SuiteImages.of(ManifestImages.parse(withoutDns, "k/manifest.go")))
                .isInstanceOf(PolykubeException.class)
                .hasMessageContaining("k/manifest.go has neither image JessieDnsutils nor GlibcDnsTesting");
    }

    @Test
    void aPreviousAgnhostOfTheSameTagIsOneImage() {
        String same = Manifests.text("1.37.2").replace("\"agnhost\", \"2.55\"", "\"agnhost\", \"2.66.1\"");
        assertThat(SuiteImages.of(ManifestImages.parse(same, "m.go")).agnhost()).containsExactly(E2E + "agnhost:2.66.1");
    }
}
