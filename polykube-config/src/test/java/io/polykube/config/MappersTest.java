package io.polykube.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.polykube.config.internal.GoDuration;
import io.polykube.config.internal.Mappers;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MappersTest {
    @Test
    void stringsThatYaml11ReadsAsOtherTypesAreQuotedAndRoundTrip() {
        List<String> tricky = List.of("on", "off", "yes", "no", "y", "true", "null", "~", "1.5", "0x1f", "012",
                "10:20", "1:30:00", "#x", "a: b", "", "127.0.0.1:10256");
        ObjectNode node = Mappers.object();
        tricky.forEach(s -> node.put("k" + node.size(), s));
        String yaml = Mappers.yaml(node);
        assertThat(yaml).contains("k11: \"10:20\"").contains("k12: \"1:30:00\"").contains("k16: 127.0.0.1:10256");
        var back = Mappers.readYaml("test", yaml);
        for (int i = 0; i < tricky.size(); i++) {
            assertThat(back.get("k" + i).isTextual()).isTrue();
            assertThat(back.get("k" + i).asText()).isEqualTo(tricky.get(i));
        }
    }

    @Test
    void durationsUseGosFormat() {
        assertThat(GoDuration.format("d", Duration.ofSeconds(90))).isEqualTo("1m30s");
        assertThat(GoDuration.format("d", Duration.ofMillis(250))).isEqualTo("250ms");
        assertThat(GoDuration.format("d", Duration.ofNanos(1500))).isEqualTo("1500ns");
        assertThat(GoDuration.format("d", Duration.ofHours(1).plusSeconds(1))).isEqualTo("1h1s");
        assertThatThrownBy(() -> GoDuration.format("x.timeout", Duration.ofSeconds(-1)))
                .hasMessageStartingWith("x.timeout: must not be negative");
    }
}
