package io.polykube.config.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.polykube.config.ConfigException;
import io.polykube.config.audit.AuditPolicy.Level;
import io.polykube.config.audit.AuditPolicy.Rule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditPolicyTest {
    @Test
    void defaultsDropTheComponentsNoiseAndKeepEverythingElseAtMetadata() throws Exception {
        JsonNode root = new YAMLMapper().readTree(AuditPolicy.defaults().render());
        assertThat(root.get("apiVersion").asText()).isEqualTo("audit.k8s.io/v1");
        assertThat(root.get("kind").asText()).isEqualTo("Policy");
        assertThat(root.at("/omitStages/0").asText()).isEqualTo("RequestReceived");
        JsonNode rules = root.get("rules");
        assertThat(rules.get(rules.size() - 1).toString()).isEqualTo("{\"level\":\"Metadata\"}");
        assertThat(root.toString()).contains("\"leases\"", "\"nodes/status\"", "\"events\"", "/readyz*");
        for (int i = 0; i < rules.size() - 1; i++) {
            assertThat(rules.get(i).get("level").asText()).isEqualTo("None");
        }
    }

    @Test
    void aTypedPolicyRendersEachMatcher() throws Exception {
        AuditPolicy policy = AuditPolicy.of(Rule.level(Level.REQUEST_RESPONSE).users("alice").userGroups("devs").verbs("create")
                .resources("apps", "deployments", "deployments/scale").namespaces("demo"), Rule.level(Level.NONE));
        JsonNode rule = new YAMLMapper().readTree(policy.render()).at("/rules/0");
        assertThat(rule.get("level").asText()).isEqualTo("RequestResponse");
        assertThat(rule.at("/users/0").asText()).isEqualTo("alice");
        assertThat(rule.at("/userGroups/0").asText()).isEqualTo("devs");
        assertThat(rule.at("/verbs/0").asText()).isEqualTo("create");
        assertThat(rule.at("/resources/0/group").asText()).isEqualTo("apps");
        assertThat(rule.at("/resources/0/resources/1").asText()).isEqualTo("deployments/scale");
        assertThat(rule.at("/namespaces/0").asText()).isEqualTo("demo");
    }

    @Test
    void badPoliciesAreRefusedWithTheFix() {
        assertThatThrownBy(AuditPolicy::of).isInstanceOf(ConfigException.class).hasMessageContaining("no rules");
        assertThatThrownBy(() -> Rule.level(Level.NONE).resources("", "pods").nonResourceUrls("/healthz"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("split it");
    }

    @Test
    void isWrittenPrivately(@TempDir Path dir) throws Exception {
        Path file = AuditPolicy.defaults().writeTo(dir.resolve("audit-policy.yaml"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }
}
