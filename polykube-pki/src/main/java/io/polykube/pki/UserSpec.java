package io.polykube.pki;

import java.util.List;
import java.util.regex.Pattern;

/**
 * An extra client identity: user name (certificate CN) and groups (O). The name also names the
 * files {@code users/<name>.crt} and {@code .key}, so it may hold letters, digits and
 * {@code . _ - : @} and must not start with a dot.
 */
public record UserSpec(String name, List<String> groups) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_:@-][A-Za-z0-9._:@-]{0,252}");

    public UserSpec {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new PkiException("User name '" + name + "' is not allowed: use 1-253 letters, digits and "
                    + "'. _ - : @', not starting with '.'");
        }
        if (groups == null || groups.stream().anyMatch(g -> g == null || g.isBlank())) {
            throw new PkiException("Groups of user '" + name + "' must not be null or blank, got " + groups);
        }
        groups = List.copyOf(groups);
    }

    public static UserSpec of(String name, String... groups) {
        return new UserSpec(name, groups == null ? null : java.util.Arrays.asList(groups));
    }
}
