package io.polykube.samples.conformance;

import io.polykube.api.PolykubeException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;

/**
 * The tests a single-node polykube cluster skips, each with its reason. The text has one entry per line,
 * {@code REGEX :: REASON}; blank lines and lines starting with {@code #} are ignored.
 */
public record SkipList(List<Entry> entries) {
    /** The list shipped in this jar. */
    public static final String RESOURCE = "conformance-skips.txt";
    static final String SEPARATOR = " :: ";

    /** One skipped pattern and why. */
    public record Entry(String regex, String reason) {
    }

    public SkipList {
        entries = List.copyOf(entries);
    }

    /** Parses the text; {@code origin} names it in errors. */
    public static SkipList parse(String text, String origin) {
        List<Entry> entries = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int at = line.lastIndexOf(SEPARATOR);
            String where = origin + " line " + (i + 1);
            if (at <= 0 || line.substring(at + SEPARATOR.length()).isBlank()) {
                throw new PolykubeException(where + ": expected 'REGEX :: REASON', got '" + line + "': give every skipped "
                        + "pattern its reason");
            }
            String regex = line.substring(0, at).strip();
            try {
                Pattern.compile(regex);
            } catch (PatternSyntaxException e) {
                throw new PolykubeException(where + ": '" + regex + "' is not a regular expression: " + e.getDescription());
            }
            entries.add(new Entry(regex, line.substring(at + SEPARATOR.length()).strip()));
        }
        return new SkipList(entries);
    }

    /** The list shipped with polykube ({@value #RESOURCE} next to this class). */
    public static SkipList defaults() {
        try (InputStream in = SkipList.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new PolykubeException("resource " + RESOURCE + " is missing from the classpath: rebuild the samples module");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), RESOURCE);
        } catch (IOException e) {
            throw new PolykubeException("cannot read resource " + RESOURCE + ": " + e.getMessage(), e);
        }
    }

    /** All patterns as one alternation for {@code --ginkgo.skip}; empty if the list is. */
    public String combined() {
        return entries.stream().map(e -> "(?:" + e.regex() + ")").collect(Collectors.joining("|"));
    }
}
