package io.polykube.runtime.binaries;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code manifest.json} of a cached set: what it is and the SHA-256 of each file.
 *
 * @param set       the set's {@link BinarySet#id() id}: {@code kubernetes}, {@code etcd}, {@code pause}, ...
 * @param version   e.g. {@code 1.34.4}
 * @param goVersion Go toolchain that built it, or {@code null} (downloaded)
 * @param buildDate ISO-8601 UTC instant
 * @param source    how it was made (built, downloaded from where)
 * @param files     file name to lower-case hex SHA-256
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"set", "version", "goVersion", "buildDate", "source", "files"})
public record Manifest(String set, String version, String goVersion, String buildDate, String source,
                       Map<String, String> files) {

    /** The file name inside each set directory. */
    public static final String FILE_NAME = "manifest.json";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public Manifest {
        if (set == null || version == null || files == null) {
            throw new BinaryException("manifest needs set, version and files (got set=" + set + ", version=" + version
                    + ", files=" + files + ")");
        }
        files = Collections.unmodifiableMap(new TreeMap<>(files));
    }

    /** Reads {@code file}; a missing or malformed manifest is a {@link BinaryException}. */
    public static Manifest read(Path file) {
        try {
            return JSON.readValue(file.toFile(), Manifest.class);
        } catch (IOException | RuntimeException e) {
            throw new BinaryException("cannot read manifest " + file + ": " + e.getMessage(), e);
        }
    }

    /** Writes this manifest to {@code file}. */
    public void write(Path file) throws IOException {
        Files.write(file, JSON.writeValueAsBytes(this));
    }

    /**
     * Checks this manifest against the set directory {@code dir}: set, version, that every
     * expected binary is listed, and that every listed file exists with the recorded SHA-256.
     *
     * @return the problems found; empty when the directory is valid
     */
    public List<String> verify(Path dir, BinarySet expectedSet, String expectedVersion) throws IOException {
        List<String> problems = new ArrayList<>();
        if (!expectedSet.id().equals(set) || !expectedVersion.equals(version)) {
            problems.add("manifest is for " + set + " " + version + ", expected " + expectedSet.id() + " " + expectedVersion);
        }
        for (Binary binary : expectedSet.binaries()) {
            if (!files.containsKey(binary.fileName())) {
                problems.add("manifest does not list " + binary.fileName());
            }
        }
        for (Map.Entry<String, String> entry : files.entrySet()) {
            Path file = dir.resolve(entry.getKey());
            if (!file.normalize().getParent().equals(dir.normalize())) {
                problems.add("manifest lists a file outside the set directory: " + entry.getKey());
            } else if (!Files.isRegularFile(file)) {
                problems.add(entry.getKey() + " is missing");
            } else {
                String actual = Sha256.of(file);
                if (!actual.equals(entry.getValue())) {
                    problems.add(entry.getKey() + " has sha256 " + actual + ", manifest says " + entry.getValue());
                } else if (!Files.isExecutable(file)) {
                    problems.add(entry.getKey() + " is not executable");
                }
            }
        }
        return problems;
    }
}
