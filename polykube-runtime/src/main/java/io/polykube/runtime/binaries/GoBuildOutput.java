package io.polykube.runtime.binaries;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Counts the packages {@code go build -v} reports as it compiles them (one import path per line on stderr; cached packages
 * are not printed) against the packages {@code go list -deps} said need building. Thread-safe.
 */
final class GoBuildOutput {
    private static final Pattern IMPORT_PATH = Pattern.compile("[A-Za-z0-9._~+-]+(/[A-Za-z0-9._~+-]+)*");

    private final Set<String> toBuild;
    private final Set<String> built = new HashSet<>();

    /** {@code toBuild}: the import paths to compile; empty when unknown (then every import-path line counts). */
    GoBuildOutput(Set<String> toBuild) {
        this.toBuild = Set.copyOf(toBuild);
    }

    /** One line of the build's output; error lines, {@code go: downloading ...} and the like are ignored. */
    synchronized void line(String line) {
        String s = line.strip();
        if (s.isEmpty() || !IMPORT_PATH.matcher(s).matches()) {
            return;
        }
        if (toBuild.isEmpty() || toBuild.contains(s)) {
            built.add(s);
        }
    }

    synchronized long built() {
        return built.size();
    }

    long total() {
        return toBuild.size();
    }

    Progress progress(Duration elapsed) {
        return new Progress(built(), total(), "packages", elapsed);
    }

    /** The import paths in the output of {@code go list -deps -f '{{if .Stale}}{{.ImportPath}}{{end}}'}. */
    static Set<String> parseList(String output) {
        Set<String> paths = new HashSet<>();
        for (String line : output.split("\n")) {
            String s = line.strip();
            if (!s.isEmpty() && IMPORT_PATH.matcher(s).matches()) {
                paths.add(s);
            }
        }
        return paths;
    }
}
