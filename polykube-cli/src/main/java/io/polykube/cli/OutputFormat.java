package io.polykube.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** {@code --output}: a table for people, JSON or YAML for scripts. */
enum OutputFormat {
    TABLE, JSON, YAML;

    private static final ObjectMapper JSON_MAPPER = configure(new ObjectMapper());
    private static final ObjectMapper YAML_MAPPER = configure(new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)));

    private static ObjectMapper configure(ObjectMapper mapper) {
        return mapper.registerModule(new JavaTimeModule()).disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .enable(SerializationFeature.INDENT_OUTPUT);
    }

    /** {@code value} as JSON or YAML (never called for TABLE). */
    String write(Object value) {
        try {
            return (this == YAML ? YAML_MAPPER : JSON_MAPPER).writeValueAsString(value).stripTrailing();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value + " as " + this, e);
        }
    }
}
