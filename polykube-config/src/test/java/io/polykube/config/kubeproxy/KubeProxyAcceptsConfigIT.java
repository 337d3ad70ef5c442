package io.polykube.config.kubeproxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.polykube.config.ItSupport;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kube-proxy loads, defaults and validates our file. {@code --write-config-to} is kube-proxy's
 * validation path: it runs Complete (load, strict decode) and Validate, writes the resolved
 * configuration and exits, without touching iptables, sysctls or the API server.
 */
class KubeProxyAcceptsConfigIT {
    @Test
    void kubeProxyValidatesAndResolvesOurConfig() throws Exception {
        Path dir = ItSupport.workDir("kube-proxy");
        for (KubeProxyConfig.Mode mode : KubeProxyConfig.Mode.values()) {
            KubeProxyConfig config = KubeProxyConfig.builder()
                    .kubeconfig(dir.resolve("kube-proxy.kubeconfig"))
                    .mode(mode)
                    .clusterCidr("10.244.0.0/16")
                    .hostnameOverride("node-1")
                    .nodePortAddress("10.244.0.1/32")
                    .localTrafficFromBridge("cni0")
                    .build();
            Path file = config.writeTo(dir.resolve("config-" + mode.value() + ".yaml"));
            Path resolved = dir.resolve("resolved-" + mode.value() + ".yaml");
            Files.deleteIfExists(resolved);
            ItSupport.Result r = run(file, resolved);
            assertThat(r.exitCode()).as("kube-proxy --config %s:\n%s", file, r.output()).isZero();
            assertThat(r.output()).doesNotContain("lenient decoding").doesNotContain("strict decoding");
            JsonNode back = new YAMLMapper().readTree(resolved.toFile());
            assertThat(back.get("mode").asText()).isEqualTo(mode.value());
            assertThat(back.get("clusterCIDR").asText()).isEqualTo("10.244.0.0/16");
            assertThat(back.at("/clientConnection/kubeconfig").asText()).isEqualTo(config.kubeconfig().toString());
            assertThat(back.get("healthzBindAddress").asText()).isEqualTo("127.0.0.1:10256");
            assertThat(back.get("metricsBindAddress").asText()).isEqualTo("127.0.0.1:10249");
            assertThat(back.get("hostnameOverride").asText()).isEqualTo("node-1");
            assertThat(back.get("nodePortAddresses").get(0).asText()).isEqualTo("10.244.0.1/32");
            assertThat(back.get("detectLocalMode").asText()).isEqualTo("BridgeInterface");
            assertThat(back.at("/detectLocal/bridgeInterface").asText()).isEqualTo("cni0");
            assertThat(back.at("/conntrack/maxPerCore").asInt(-1)).isZero();
            assertThat(back.at("/iptables/localhostNodePorts").asBoolean(true)).isFalse();
        }
    }

    @Test
    void kubeProxyRejectsABrokenFileSoTheCheckAboveMeansSomething() throws Exception {
        Path dir = ItSupport.workDir("kube-proxy");
        String yaml = KubeProxyConfig.builder().kubeconfig(dir.resolve("kube-proxy.kubeconfig")).build().render()
                .replace("127.0.0.1:10249", "127.0.0.1:99999");
        Path file = Files.writeString(dir.resolve("broken.yaml"), yaml);
        ItSupport.Result r = run(file, dir.resolve("resolved-broken.yaml"));
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.output()).contains("failed validate").containsIgnoringCase("metricsBindAddress");
    }

    private static ItSupport.Result run(Path config, Path writeTo) {
        return ItSupport.run(List.of(ItSupport.kubernetesBinary("kube-proxy").toString(),
                "--config", config.toString(), "--write-config-to", writeTo.toString()));
    }
}
