package io.polykube.api.spec;

import java.util.OptionalInt;

/** Options shared by the controller manager and the scheduler: a secure port and extra flags. */
public record ComponentOptions(OptionalInt securePort, FlagOptions flags) {
    public ComponentOptions {
        securePort.ifPresent(p -> Ports.check("securePort", p));
    }

    public static Builder builder(String component) {
        return new Builder(component);
    }

    /** Collects {@link ComponentOptions}; by default the secure port is a free one on 127.0.0.1. */
    public static final class Builder {
        private final String component;
        private Integer securePort;
        private final FlagOptions.Collector flags;

        Builder(String component) {
            this.component = component;
            this.flags = new FlagOptions.Collector(component);
        }

        public Builder securePort(int port) {
            this.securePort = Ports.check(component + " securePort", port);
            return this;
        }

        /** An extra flag, e.g. {@code flag("v", "4")}. */
        public Builder flag(String name, String value) {
            flags.flag(name, value);
            return this;
        }

        public Builder featureGate(String name, boolean enabled) {
            flags.featureGate(name, enabled);
            return this;
        }

        public ComponentOptions build() {
            return new ComponentOptions(securePort == null ? OptionalInt.empty() : OptionalInt.of(securePort), flags.build());
        }
    }
}
