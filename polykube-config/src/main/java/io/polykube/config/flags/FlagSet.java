package io.polykube.config.flags;

import io.polykube.config.ConfigException;
import io.polykube.config.internal.Check;
import io.polykube.config.internal.GoDuration;

import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The command-line flags of one component, in the order they were set, rendered as
 * {@code --name=value} arguments by {@link #toArgs()}. Setting a flag twice is an error that names
 * the flag, whether it came from a typed setter or from {@link Builder#extra(String, String)}.
 */
public final class FlagSet {
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");

    private final String component;
    private final Map<String, String> flags;

    private FlagSet(String component, Map<String, String> flags) {
        this.component = component;
        this.flags = flags;
    }

    /** A builder for the flags of {@code component} (used in error messages, e.g. {@code kube-apiserver}). */
    public static Builder builder(String component) {
        return new Builder(component);
    }

    public String component() {
        return component;
    }

    /** The value of flag {@code name} (without dashes), if set. */
    public Optional<String> get(String name) {
        return Optional.ofNullable(flags.get(name));
    }

    /** Flag names and values in the order they were set. */
    public Map<String, String> asMap() {
        return flags;
    }

    /** {@code --name=value} for every flag, in the order they were set. */
    public List<String> toArgs() {
        return flags.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toList();
    }

    @Override
    public String toString() {
        return component + " " + String.join(" ", toArgs());
    }

    /** Collects flags; every setter rejects a flag that is already set. */
    public static final class Builder {
        private final String component;
        private final LinkedHashMap<String, String> flags = new LinkedHashMap<>();

        private Builder(String component) {
            this.component = Check.notBlank("component", component);
        }

        /** Sets a flag given as text; {@code name} has no leading dashes. */
        public Builder set(String name, String value) {
            String field = component + " --" + name;
            if (name == null || !NAME.matcher(name).matches()) {
                throw new ConfigException(component + " flag", "'" + name
                        + "' is not a flag name: lower-case letters, digits and '-', without leading dashes");
            }
            if (value == null) {
                throw new ConfigException(field, "has no value");
            }
            if (value.indexOf('\n') >= 0 || value.indexOf('\0') >= 0) {
                throw new ConfigException(field, "the value must be one line");
            }
            String previous = flags.get(name);
            if (previous != null) {
                throw new ConfigException(field, "is set twice: first '" + previous + "', then '" + value
                        + "'; set each flag once");
            }
            flags.put(name, value);
            return this;
        }

        public Builder set(String name, boolean value) {
            return set(name, Boolean.toString(value));
        }

        public Builder set(String name, long value) {
            return set(name, Long.toString(value));
        }

        /** A port, checked to be 1..65535. */
        public Builder port(String name, int port) {
            return set(name, Check.port(component + " --" + name, port));
        }

        /** A duration in Go's format, e.g. {@code 1m30s}. */
        public Builder set(String name, Duration value) {
            return set(name, GoDuration.format(component + " --" + name, value));
        }

        /** An absolute path. */
        public Builder set(String name, Path value) {
            return set(name, Check.absolute(component + " --" + name, value).toString());
        }

        public Builder set(String name, URI value) {
            return set(name, Check.required(component + " --" + name, value).toString());
        }

        public Builder set(String name, InetAddress value) {
            return set(name, Check.required(component + " --" + name, value).getHostAddress());
        }

        /** A comma-separated list. */
        public Builder set(String name, List<?> values) {
            Check.required(component + " --" + name, values);
            if (values.isEmpty()) {
                throw new ConfigException(component + " --" + name, "the list is empty; leave the flag out instead");
            }
            return set(name, values.stream().map(FlagSet::text).collect(Collectors.joining(",")));
        }

        /** {@code key=value} pairs, comma-separated, sorted by key (e.g. feature gates). */
        public Builder set(String name, Map<String, ?> values) {
            Check.required(component + " --" + name, values);
            return set(name, new TreeMap<>(values).entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(",")));
        }

        /**
         * A flag the typed setters do not cover, e.g. from the user; {@code name} may start with
         * {@code --}. Checked for duplicates like any other.
         */
        public Builder extra(String name, String value) {
            return set(name != null && name.startsWith("--") ? name.substring(2) : name, value);
        }

        /** Adds {@code --name=value} arguments given as a list (e.g. from a user's configuration). */
        public Builder extraArgs(List<String> args) {
            for (String arg : args) {
                int eq = arg.indexOf('=');
                if (!arg.startsWith("--") || eq < 0) {
                    throw new ConfigException(component + " flag", "'" + arg + "' is not of the form --name=value");
                }
                extra(arg.substring(0, eq), arg.substring(eq + 1));
            }
            return this;
        }

        public boolean isSet(String name) {
            return flags.containsKey(name);
        }

        public FlagSet build() {
            return new FlagSet(component, java.util.Collections.unmodifiableMap(new LinkedHashMap<>(flags)));
        }
    }

    private static String text(Object value) {
        if (value instanceof InetAddress a) {
            return a.getHostAddress();
        }
        return String.valueOf(value);
    }

}
