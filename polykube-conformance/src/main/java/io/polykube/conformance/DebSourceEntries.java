package io.polykube.conformance;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code deb-src} entries matching the host's own {@code deb} entries, so that {@code apt-get source} asks the very
 * archives, suites and components the host installs its packages from (with their {@code Signed-By} keys). Pure text
 * transforms of apt's two formats: one-line ({@code sources.list}, {@code *.list}) and deb822 ({@code *.sources}).
 */
final class DebSourceEntries {
    private DebSourceEntries() {
    }

    /**
     * A one-line file's {@code deb [options] uri suite components} lines as {@code deb-src} lines; comments, blank lines
     * and existing {@code deb-src} lines are left out. Returns the new file's text (empty when there was no {@code deb}).
     */
    static String fromOneLine(String list) {
        StringBuilder out = new StringBuilder();
        for (String line : list.split("\n")) {
            String l = line.strip();
            if (l.startsWith("deb ") || l.startsWith("deb\t")) {
                out.append("deb-src").append(l.substring(3)).append('\n');
            }
        }
        return out.toString();
    }

    /**
     * A deb822 file's stanzas whose {@code Types} include {@code deb}, with {@code Types: deb-src}; every other field kept
     * as it is, comments dropped, stanzas with {@code Enabled: no} or without {@code deb} left out. Returns the new file's
     * text (empty when no stanza was kept).
     */
    static String fromDeb822(String sources) {
        List<String> kept = new ArrayList<>();
        List<String> stanza = new ArrayList<>();
        for (String line : (sources + "\n\n").split("\n", -1)) {
            if (line.isBlank()) {
                if (!stanza.isEmpty()) {
                    String converted = stanza(stanza);
                    if (!converted.isEmpty()) {
                        kept.add(converted);
                    }
                    stanza.clear();
                }
            } else if (!line.startsWith("#")) {
                stanza.add(line);
            }
        }
        return String.join("\n", kept);
    }

    /** One stanza converted, or empty when it has no enabled {@code deb} type. */
    private static String stanza(List<String> lines) {
        StringBuilder out = new StringBuilder();
        boolean deb = false;
        for (String line : lines) {
            int colon = line.indexOf(':');
            boolean field = colon > 0 && !Character.isWhitespace(line.charAt(0));
            String key = field ? line.substring(0, colon).strip().toLowerCase(Locale.ROOT) : "";
            String value = colon > 0 ? line.substring(colon + 1).strip() : "";
            if (key.equals("enabled") && value.equalsIgnoreCase("no")) {
                return "";
            }
            if (key.equals("types")) {
                deb = List.of(value.split("\\s+")).contains("deb");
                out.append("Types: deb-src\n");
            } else {
                out.append(line).append('\n');
            }
        }
        return deb ? out.toString() : "";
    }
}
