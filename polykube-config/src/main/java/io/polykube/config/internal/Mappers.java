package io.polykube.config.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.util.StringQuotingChecker;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.polykube.config.ConfigException;

import java.util.regex.Pattern;

/** The shared, thread-safe Jackson mappers and their fixed output style. Not public API. */
public final class Mappers {
    public static final YAMLMapper YAML = YAMLMapper.builder(YAMLFactory.builder()
                    .stringQuotingChecker(new Yaml11QuotingChecker()).build())
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .disable(YAMLGenerator.Feature.SPLIT_LINES)
            .build();
    public static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
    public static final TomlMapper TOML = new TomlMapper();

    private static final DefaultPrettyPrinter PRETTY = new DefaultPrettyPrinter()
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withArrayIndenter(new DefaultIndenter("  ", "\n"));

    private Mappers() {
    }

    public static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    public static String yaml(JsonNode node) {
        return write(YAML, node);
    }

    /** Pretty JSON with two-space indentation and a final newline. */
    public static String json(JsonNode node) {
        try {
            return JSON.writer(PRETTY).writeValueAsString(node).replace(" : ", ": ") + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render JSON: " + e.getOriginalMessage(), e);
        }
    }

    public static String toml(JsonNode node) {
        return write(TOML, node);
    }

    public static JsonNode readYaml(String what, String text) {
        return read(YAML, what, text);
    }

    public static JsonNode readJson(String what, String text) {
        return read(JSON, what, text);
    }

    public static JsonNode readToml(String what, String text) {
        return read(TOML, what, text);
    }

    private static String write(ObjectMapper mapper, JsonNode node) {
        try {
            return mapper.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render: " + e.getOriginalMessage(), e);
        }
    }

    private static JsonNode read(ObjectMapper mapper, String what, String text) {
        try {
            JsonNode node = mapper.readTree(text);
            if (node == null || node.isMissingNode()) {
                return object();
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new ConfigException(what, "cannot parse: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Kubernetes reads YAML with go-yaml, which follows YAML 1.1: besides the words Jackson already
     * quotes, {@code 10:20} is a base-60 number there. Quote such strings too.
     */
    private static final class Yaml11QuotingChecker extends StringQuotingChecker.Default {
        private static final long serialVersionUID = 1L;
        private static final Pattern SEXAGESIMAL = Pattern.compile("[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\\.[0-9_]*)?");

        @Override
        public boolean needToQuoteValue(String value) {
            return super.needToQuoteValue(value) || SEXAGESIMAL.matcher(value).matches();
        }
    }
}
