package io.polykube.config.kubelet;

import io.polykube.config.ItSupport;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kubelet loads and validates our file. After validation kubelet's first step is to take its
 * {@code --lock-file}; a lock file in a directory that does not exist makes it exit right there,
 * with an error that is not about the configuration, before it touches cgroups, mounts, iptables
 * or the container runtime. Everything it may write ({@code --root-dir}, {@code --cert-dir}) is
 * under target/.
 */
class KubeletAcceptsConfigIT {
    static final String VALIDATION_FAILED = "failed to validate kubelet configuration";

    @Test
    void kubeletGetsPastConfigValidation() throws Exception {
        Path dir = ItSupport.workDir("kubelet");
        Path[] tls = ItSupport.selfSignedCertificate(dir, "kubelet");
        KubeletConfig config = KubeletConfig.builder()
                .clientCaFile(tls[0])
                .tls(tls[0], tls[1])
                .containerRuntimeEndpoint(dir.resolve("no-containerd.sock"))
                .clusterDns(List.of(InetAddress.getByAddress(new byte[] {10, 96, 0, 10})))
                .clusterDomain("cluster.local")
                .podCidr("10.244.0.0/24")
                .staticPodPath(dir.resolve("manifests"))
                .volumePluginDir(dir.resolve("volume-plugins"))
                .healthz(InetAddress.getLoopbackAddress(), 20248)
                .port(20250)
                .build();
        ItSupport.Result r = run(dir, config.writeTo(dir.resolve("kubelet.yaml")));
        assertThat(r.output()).as("kubelet output").doesNotContain(VALIDATION_FAILED)
                .doesNotContain("lenient decoding").doesNotContain("strict decoding")
                .contains("\"Kubelet version\"").contains("unable to acquire file lock");
        assertThat(r.exitCode()).isNotZero();
        assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).doesNotContain(dir.toString());
    }

    @Test
    void kubeletRejectsABrokenFileSoTheCheckAboveMeansSomething() throws Exception {
        Path dir = ItSupport.workDir("kubelet");
        String yaml = KubeletConfig.builder().clientCaFile(dir.resolve("ca.crt"))
                .containerRuntimeEndpoint(dir.resolve("no-containerd.sock")).build().render()
                .replace("healthzPort: 10248", "healthzPort: 70000");
        ItSupport.Result r = run(dir, Files.writeString(dir.resolve("broken.yaml"), yaml));
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.output()).contains(VALIDATION_FAILED).contains("healthzPort");
    }

    private static ItSupport.Result run(Path dir, Path config) {
        return ItSupport.run(List.of(ItSupport.kubernetesBinary("kubelet").toString(),
                "--config", config.toString(),
                "--root-dir", dir.resolve("root").toString(),
                "--cert-dir", dir.resolve("pki").toString(),
                "--lock-file", dir.resolve("no-such-dir/kubelet.lock").toString()),
                Map.of(), null, Duration.ofSeconds(60));
    }
}
