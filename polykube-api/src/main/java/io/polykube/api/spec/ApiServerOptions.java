package io.polykube.api.spec;

import io.polykube.net.Cidr;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * How kube-apiserver runs: its secure port and extra flags (as for every component), its service network and extra
 * admission plugins.
 */
public record ApiServerOptions(ComponentOptions component, Cidr serviceCidr, List<String> extraAdmissionPlugins) {
    /** The default service network; its first address is the {@code kubernetes} Service. */
    public static final String DEFAULT_SERVICE_CIDR = "10.96.0.0/16";

    public ApiServerOptions {
        Objects.requireNonNull(component, "component");
        Objects.requireNonNull(serviceCidr, "serviceCidr");
        extraAdmissionPlugins = List.copyOf(extraAdmissionPlugins);
    }

    public OptionalInt securePort() {
        return component.securePort();
    }

    public FlagOptions flags() {
        return component.flags();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Collects {@link ApiServerOptions}; defaults: a free port on 127.0.0.1, services in 10.96.0.0/16. */
    public static final class Builder {
        private final ComponentOptions.Builder component = ComponentOptions.builder("kube-apiserver");
        private String serviceCidr = DEFAULT_SERVICE_CIDR;
        private final List<String> admissionPlugins = new ArrayList<>();

        /** A fixed port instead of a free one (starting fails clearly if it is in use). */
        public Builder securePort(int port) {
            component.securePort(port);
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
            component.flag(name, value);
            return this;
        }

        public Builder featureGate(String name, boolean enabled) {
            component.featureGate(name, enabled);
            return this;
        }

        public ApiServerOptions build() {
            return new ApiServerOptions(component.build(), Cidr.parse("apiServer serviceCidr", serviceCidr), admissionPlugins);
        }
    }
}
