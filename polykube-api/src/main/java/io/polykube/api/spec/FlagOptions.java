package io.polykube.api.spec;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/** Extra command-line flags and feature gates for one component, in the order they were given. */
public record FlagOptions(Map<String, String> extraFlags, Map<String, Boolean> featureGates) {
    private static final Pattern FLAG_NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");
    private static final Pattern GATE_NAME = Pattern.compile("[A-Z][A-Za-z0-9]*");

    public FlagOptions {
        extraFlags = Collections.unmodifiableMap(new LinkedHashMap<>(extraFlags));
        featureGates = Collections.unmodifiableMap(new LinkedHashMap<>(featureGates));
    }

    public static FlagOptions none() {
        return new FlagOptions(Map.of(), Map.of());
    }

    /** Collects flags and gates for a component's builder. */
    public static final class Collector {
        private final String component;
        private final Map<String, String> flags = new LinkedHashMap<>();
        private final Map<String, Boolean> gates = new LinkedHashMap<>();

        public Collector(String component) {
            this.component = component;
        }

        public void flag(String name, String value) {
            String bare = name.startsWith("--") ? name.substring(2) : name;
            if (!FLAG_NAME.matcher(bare).matches()) {
                throw new IllegalArgumentException(component + " flag name '" + name
                        + "' is not a flag name: give it like \"v\" or \"--v\" (lower case, digits, dashes)");
            }
            if (value == null) {
                throw new IllegalArgumentException(component + " flag --" + bare + " needs a value (use \"true\" for a switch)");
            }
            if (flags.putIfAbsent(bare, value) != null) {
                throw new IllegalArgumentException(component + " flag --" + bare + " is set twice ('"
                        + flags.get(bare) + "' and '" + value + "'): set it once");
            }
        }

        public void featureGate(String name, boolean enabled) {
            if (!GATE_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException(component + " feature gate '" + name
                        + "' is not a feature gate name (like \"InPlacePodVerticalScaling\")");
            }
            gates.put(name, enabled);
        }

        public FlagOptions build() {
            return new FlagOptions(flags, gates);
        }
    }
}
