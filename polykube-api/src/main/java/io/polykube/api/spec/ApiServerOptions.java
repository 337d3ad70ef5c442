package io.polykube.api.spec;

import io.polykube.config.Cidr;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/** How kube-apiserver runs. */
public record ApiServerOptions(OptionalInt securePort, Cidr serviceCidr, List<String> extraAdmissionPlugins, FlagOptions flags) {
    /** The default service network; its first address is the {@code kubernetes} Service. */
    public static final String DEFAULT_SERVICE_CIDR = "10.96.0.0/16";

    public ApiServerOptions {
        securePort.ifPresent(p -> Ports.check("apiServer securePort", p));
        Objects.requireNonNull(serviceCidr, "serviceCidr");
        extraAdmissionPlugins = List.copyOf(extraAdmissionPlugins);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Collects {@link ApiServerOptions}; defaults: a free port on 127.0.0.1, services in 10.96.0.0/16. */
    public static final class Builder {
        private Integer securePort;
        private String serviceCidr = DEFAULT_SERVICE_CIDR;
        private final List<String> admissionPlugins = new ArrayList<>();
        private final FlagOptions.Collector flags = new FlagOptions.Collector("kube-apiserver");

        /** A fixed port instead of a free one (starting fails clearly if it is in use). */
        public Builder securePort(int port) {
            this.securePort = Ports.check("apiServer securePort", port);
            return this;
        }

        public Builder serviceCidr(String cidr) {
            this.serviceCidr = Objects.requireNonNull(cidr, "serviceCidr");
            return this;
        }

        /** An admission plugin to enable besides the defaults and NodeRestriction. */
        public Builder enableAdmissionPlugin(String name) {
            admissionPlugins.add(Objects.requireNonNull(name, "name"));
            return this;
        }

        public Builder flag(String name, String value) {
            flags.flag(name, value);
            return this;
        }

        public Builder featureGate(String name, boolean enabled) {
            flags.featureGate(name, enabled);
            return this;
        }

        public ApiServerOptions build() {
            return new ApiServerOptions(securePort == null ? OptionalInt.empty() : OptionalInt.of(securePort),
                    Cidr.parse("apiServer serviceCidr", serviceCidr), admissionPlugins, flags.build());
        }
    }
}
