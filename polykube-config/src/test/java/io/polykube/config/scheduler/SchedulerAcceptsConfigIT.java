package io.polykube.config.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.polykube.config.ItSupport;
import io.polykube.config.kubeconfig.Kubeconfig;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** kube-scheduler loads and validates our file ({@code --write-config-to} writes it resolved and exits). */
class SchedulerAcceptsConfigIT {
    @Test
    void kubeSchedulerValidatesAndResolvesOurConfig() throws Exception {
        Path dir = ItSupport.workDir("kube-scheduler");
        // kube-scheduler builds its client from the kubeconfig before it writes the configuration, so
        // give it a real one (ours), with a real self-signed certificate as CA and client certificate.
        Path[] tls = ItSupport.selfSignedCertificate(dir, "scheduler");
        Path kubeconfig = Kubeconfig.forClientCertificate("polykube", URI.create("https://127.0.0.1:6443"),
                tls[0], "system:kube-scheduler", tls[0], tls[1]).writeTo(dir.resolve("scheduler.kubeconfig"));
        SchedulerConfig config = SchedulerConfig.of(kubeconfig);
        Path file = config.writeTo(dir.resolve("config.yaml"));
        Path resolved = dir.resolve("resolved.yaml");
        Files.deleteIfExists(resolved);
        ItSupport.Result r = ItSupport.run(List.of(ItSupport.kubernetesBinary("kube-scheduler").toString(),
                "--config", file.toString(), "--write-config-to", resolved.toString()));
        assertThat(r.exitCode()).as("kube-scheduler --config %s:\n%s", file, r.output()).isZero();
        assertThat(r.output()).doesNotContain("strict decoding");
        JsonNode back = new YAMLMapper().readTree(resolved.toFile());
        assertThat(back.at("/clientConnection/kubeconfig").asText()).isEqualTo(config.kubeconfig().toString());
        assertThat(back.at("/leaderElection/leaderElect").asBoolean(true)).isFalse();
    }
}
