package io.polykube.api.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.polykube.api.error.PolykubeException;
import io.polykube.api.spec.ClusterSpec;
import io.polykube.api.spec.Mode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/** How annotations become specs and cluster keys; no cluster starts. */
class ClusterRequestTest {

    @WithPolykube
    static class A {
    }

    @WithPolykube(namespacePerTest = true, keepDirectory = KeepDirectory.ALWAYS)
    static class B {
    }

    public static class Gate implements PolykubeConfigurer {
        @Override
        public void configure(ClusterSpec.Builder<?> cluster) {
            cluster.apiServer(a -> a.featureGate("InPlacePodVerticalScaling", true));
        }
    }

    @WithPolykube(configurer = Gate.class)
    static class C {
    }

    public static class Named implements PolykubeConfigurer {
        @Override
        public void configure(ClusterSpec.Builder<?> cluster) {
            cluster.name("mine").directory(Path.of("/tmp/mine"));
        }
    }

    @WithPolykube(configurer = Named.class)
    static class D {
    }

    @WithPolykube(version = "1.32")
    static class OldVersion {
    }

    @WithPolykube(dns = false)
    static class NoDns {
    }

    @WithPolykube(nodes = 3)
    static class ThreeNodesWithoutFull {
    }

    public abstract static class AbstractConfigurer implements PolykubeConfigurer {
    }

    @WithPolykube(configurer = AbstractConfigurer.class)
    static class AbstractAsConfigurer {
    }

    @WithPolykube(webhooks = "classpath:webhooks/gadgets.yaml")
    static class WebhooksWithoutServer {
    }

    private static ClusterRequest request(Class<?> c) {
        return ClusterRequest.of(c, c.getAnnotation(WithPolykube.class));
    }

    @Test
    void classesAskingForTheSameClusterShareAKeyWhateverTheirTestOptions() {
        assertThat(request(A.class).keySpec()).isEqualTo(request(B.class).keySpec());
        assertThat(request(A.class).derivedName("")).isEqualTo(request(B.class).derivedName("")).matches("pk-[0-9a-f]{8}");
        assertThat(request(C.class).keySpec()).isNotEqualTo(request(A.class).keySpec());
        assertThat(request(C.class).derivedName("")).isNotEqualTo(request(A.class).derivedName(""));
    }

    @Test
    void defaultsAreControlPlaneWithoutFsyncAndTheExtensionPicksNameAndDirectory() {
        ClusterRequest a = request(A.class);
        assertThat(a.keySpec().mode()).isEqualTo(Mode.CONTROL_PLANE);
        assertThat(a.keySpec().etcd().unsafeNoFsync()).isTrue();
        ClusterSpec spec = a.specFor("pk-12345678", Path.of("/tmp/x"));
        assertThat(spec.name()).isEqualTo("pk-12345678");
        assertThat(spec.directory()).isEqualTo(Path.of("/tmp/x"));
        assertThat(spec.etcd()).isEqualTo(a.keySpec().etcd());
        assertThat(spec.node().dns()).isTrue();
    }

    @Test
    void dnsFalseLeavesTheClusterDnsOutAndIsAnotherCluster() {
        assertThat(request(NoDns.class).keySpec().node().dns()).isFalse();
        assertThat(request(NoDns.class).keySpec()).isNotEqualTo(request(A.class).keySpec());
    }

    @Test
    void nodesAsksForWorkersAndNeedsModeFull() {
        assertThatThrownBy(() -> request(ThreeNodesWithoutFull.class)).hasMessageContaining("3 nodes need mode FULL");
    }

    @Test
    void aConfigurerMayChooseNameAndDirectory() {
        ClusterSpec spec = request(D.class).specFor("pk-12345678", Path.of("/tmp/x"));
        assertThat(spec.name()).isEqualTo("mine");
        assertThat(spec.directory()).isEqualTo(Path.of("/tmp/mine"));
    }

    @Test
    void badInputNamesTheClass() {
        assertThatThrownBy(() -> request(OldVersion.class)).isInstanceOf(PolykubeException.class)
                .hasMessageStartingWith("@WithPolykube on " + OldVersion.class.getName() + ": invalid cluster spec: Kubernetes 1.32 is not a version polykube knows");
        assertThatThrownBy(() -> request(AbstractAsConfigurer.class)).isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("is abstract; name a concrete class that implements PolykubeConfigurer");
        assertThatThrownBy(() -> request(WebhooksWithoutServer.class)).isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("webhooks need a webhookServer = YourServer.class");
    }

    @Test
    void namespaceNamesAreValidLabelsNamedAfterTheTest() {
        assertThat(Namespaces.name("createsAConfigMap")).matches("creates-aconfig-map-[a-z0-9]{5}");
        assertThat(Namespaces.name("test_with__underscores[1]")).matches("test-with-underscores-1-[a-z0-9]{5}");
        assertThat(Namespaces.name("aVeryLongTestMethodNameThatGoesOnAndOnAndOnForeverAndEver"))
                .hasSizeLessThanOrEqualTo(46).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
        assertThat(Namespaces.name("___")).matches("test-[a-z0-9]{5}");
    }
}
