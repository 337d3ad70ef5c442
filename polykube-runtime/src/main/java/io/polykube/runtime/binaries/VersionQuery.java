package io.polykube.runtime.binaries;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a binary tells its version: run with {@code arguments}, it prints (on stdout or stderr) text in which
 * {@code pattern} finds the version as its first group.
 *
 * @param arguments the arguments, e.g. {@code --version}; none for a CNI plugin
 * @param pattern   a pattern whose group 1 is the version, e.g. {@code Kubernetes v(\d+\.\d+\.\d+\S*)}
 */
public record VersionQuery(List<String> arguments, Pattern pattern) {

    public VersionQuery {
        arguments = List.copyOf(arguments);
        Objects.requireNonNull(pattern, "pattern");
        if (pattern.matcher("").groupCount() < 1) {
            throw new IllegalArgumentException("the version pattern " + pattern + " has no group for the version");
        }
    }

    /** A query that runs the binary with {@code arguments} and finds the version with {@code regex}. */
    public static VersionQuery of(String regex, String... arguments) {
        return new VersionQuery(List.of(arguments), Pattern.compile(regex));
    }

    /** The version in {@code output}: group 1 of the pattern's first match, if it matches. */
    public Optional<String> versionIn(String output) {
        Matcher m = pattern.matcher(output);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }
}
