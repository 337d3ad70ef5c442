package io.polykube.api.spec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One manifest file (or resource) a cluster applies at start: its origin (for messages) and its YAML text, one or more
 * documents separated by {@code ---}. Read and checked when the spec is built, so a missing file or broken YAML fails
 * before anything starts.
 *
 * @param origin  where it came from, e.g. a path or {@code classpath:crds/widget.yaml}
 * @param content the YAML text
 */
public record Manifest(String origin, String content) {
    private static final YAMLMapper YAML = new YAMLMapper(new YAMLFactory());

    public Manifest {
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(content, "content");
    }

    /** Reads a manifest file. */
    public static Manifest read(Path file) {
        Objects.requireNonNull(file, "file");
        try {
            return new Manifest(file.toAbsolutePath().normalize().toString(), Files.readString(file));
        } catch (IOException e) {
            throw new IllegalArgumentException("manifest " + file + " cannot be read (" + e + "): give the path of a readable "
                    + "YAML file", e);
        }
    }

    /** One object of a manifest: its 1-based document number in the file, and the object. */
    public record Document(Manifest manifest, int index, JsonNode object) {
        public String kind() {
            return object.path("kind").asText();
        }

        public String name() {
            return object.path("metadata").path("name").asText();
        }

        /** {@code <origin>, document <index> (<kind> <name>)}. */
        public String describe() {
            return manifest.origin() + ", document " + index + " (" + kind() + " " + name() + ")";
        }
    }

    /**
     * The objects, in order; empty documents are skipped (they still count for the numbering).
     *
     * @throws IllegalArgumentException naming the manifest and document that is not YAML or lacks apiVersion, kind or name
     */
    public List<Document> documents() {
        List<Document> out = new ArrayList<>();
        int index = 0;
        try (JsonParser parser = YAML.getFactory().createParser(content);
             MappingIterator<JsonNode> it = YAML.readValues(parser, JsonNode.class)) {
            while (true) {
                index++;
                boolean more;
                try {
                    more = it.hasNextValue();
                } catch (IOException | RuntimeException e) {
                    throw new IllegalArgumentException("manifest " + origin + ", document " + index + " is not valid YAML: "
                            + firstLine(e.getMessage()), e);
                }
                if (!more) {
                    break;
                }
                JsonNode node;
                try {
                    node = it.nextValue();
                } catch (IOException | RuntimeException e) {
                    throw new IllegalArgumentException("manifest " + origin + ", document " + index + " is not valid YAML: "
                            + firstLine(e.getMessage()), e);
                }
                if (node == null || node.isNull() || node.isMissingNode() || (node.isObject() && node.isEmpty())) {
                    continue;
                }
                Document doc = new Document(this, index, node);
                if (!node.isObject() || doc.kind().isBlank() || node.path("apiVersion").asText().isBlank() || doc.name().isBlank()) {
                    throw new IllegalArgumentException("manifest " + origin + ", document " + index
                            + " is not a Kubernetes object: it needs apiVersion, kind and metadata.name");
                }
                out.add(doc);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("manifest " + origin + " cannot be parsed: " + firstLine(e.getMessage()), e);
        }
        return out;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    @Override
    public String toString() {
        return "Manifest[" + origin + ", " + content.length() + " chars, hash " + Integer.toHexString(content.hashCode()) + "]";
    }
}
