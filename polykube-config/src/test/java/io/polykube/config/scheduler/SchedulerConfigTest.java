package io.polykube.config.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.polykube.config.ConfigException;
import io.polykube.config.Golden;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SchedulerConfigTest {
    @Test
    void rendersLikeTheGoldenFileAndReadsBack() throws Exception {
        SchedulerConfig c = SchedulerConfig.of(Path.of("/srv/polykube/kubeconfig/scheduler.conf"));
        Golden.assertMatches("kube-scheduler-config.yaml", c.render());
        JsonNode root = new YAMLMapper().readTree(c.render());
        assertThat(root.get("apiVersion").asText()).isEqualTo("kubescheduler.config.k8s.io/v1");
        assertThat(root.at("/clientConnection/kubeconfig").asText()).isEqualTo(c.kubeconfig().toString());
        assertThat(root.at("/leaderElection/leaderElect").asBoolean(true)).isFalse();
    }

    @Test
    void relativeKubeconfigIsRejected() {
        assertThatThrownBy(() -> SchedulerConfig.of(Path.of("scheduler.conf")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("scheduler.clientConnection.kubeconfig: must be an absolute path");
    }
}
