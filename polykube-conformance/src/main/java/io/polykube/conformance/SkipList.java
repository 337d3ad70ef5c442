package io.polykube.conformance;

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
 * The tests a polykube cluster skips, each with its reason. The text has one entry per line, {@code REGEX :: REASON};
 * an entry that starts with {@value #SINGLE_NODE} applies only to a cluster of one node (a test that needs two schedulable
 * nodes runs when the cluster has them). Blank lines and lines starting with {@code #} are ignored.
 */
public record SkipList(List<Entry> entries) {
    /** The list shipped in this jar. */
    public static final String RESOURCE = "conformance-skips.txt";
    static final String SEPARATOR = " :: ";
    /** The tag of an entry that only a one-node cluster skips. */
    static final String SINGLE_NODE = "@single-node ";

    /** One skipped pattern and why; {@code singleNodeOnly} when a cluster of two or more nodes runs it. */
    public record Entry(String regex, String reason, boolean singleNodeOnly) {
        public Entry(String regex, String reason) {
            this(regex, reason, false);
        }
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
            boolean singleNodeOnly = regex.startsWith(SINGLE_NODE);
            if (singleNodeOnly) {
                regex = regex.substring(SINGLE_NODE.length()).strip();
            }
            try {
                Pattern.compile(regex);
            } catch (PatternSyntaxException e) {
                throw new PolykubeException(where + ": '" + regex + "' is not a regular expression: " + e.getDescription());
            }
            entries.add(new Entry(regex, line.substring(at + SEPARATOR.length()).strip(), singleNodeOnly));
        }
        return new SkipList(entries);
    }

    /** The list shipped with polykube ({@value #RESOURCE} next to this class). */
    public static SkipList defaults() {
        try (InputStream in = SkipList.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new PolykubeException("resource " + RESOURCE + " is missing from the classpath: rebuild the polykube-conformance module");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), RESOURCE);
        } catch (IOException e) {
            throw new PolykubeException("cannot read resource " + RESOURCE + ": " + e.getMessage(), e);
        }
    }

    /** All patterns as one alternation for {@code --ginkgo.skip}; empty if the list is. */
    public String combined() {
        return combined(1);
    }

    /** The patterns that apply to a cluster of {@code nodes} nodes, as one alternation; empty if none does. */
    public String combined(int nodes) {
        return entries.stream().filter(e -> nodes < 2 || !e.singleNodeOnly()).map(e -> "(?:" + e.regex() + ")")
                .collect(Collectors.joining("|"));
    }
}
