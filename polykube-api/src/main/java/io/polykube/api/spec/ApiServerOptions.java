package io.polykube.api.spec;

import io.polykube.config.audit.AuditPolicy;
import io.polykube.net.Cidr;
import io.polykube.net.ClusterNetwork;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * How kube-apiserver runs: its secure port and extra flags (as for every component), its service network, extra
 * admission plugins, encryption at rest (on: secrets) and auditing (on: {@code logs/audit.log}).
 */
public record ApiServerOptions(ComponentOptions component, Cidr serviceCidr, List<String> extraAdmissionPlugins,
        EncryptionOptions encryption, AuditOptions audit) {

    public ApiServerOptions {
        Objects.requireNonNull(component, "component");
        Objects.requireNonNull(serviceCidr, "serviceCidr");
        extraAdmissionPlugins = List.copyOf(extraAdmissionPlugins);
        Objects.requireNonNull(encryption, "encryption");
        Objects.requireNonNull(audit, "audit");
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

    /**
     * Collects {@link ApiServerOptions}; defaults: a free port on 127.0.0.1, services in
     * {@link ClusterNetwork#DEFAULT_SERVICE_CIDR} (10.96.0.0/16).
     */
    public static final class Builder {
        private final ComponentOptions.Builder component = ComponentOptions.builder("kube-apiserver");
        /** As given; parsed at {@link #build()}, unset: {@link ClusterNetwork#DEFAULT_SERVICE_CIDR}. */
        private String serviceCidr;
        private final List<String> admissionPlugins = new ArrayList<>();
        private boolean encryption = true;
        private final List<String> encrypted = new ArrayList<>();
        private boolean audit = true;
        private AuditPolicy auditPolicy = AuditPolicy.defaults();
        private Path auditPolicyFile;
        private int auditMaxSizeMb = AuditOptions.DEFAULT_MAX_SIZE_MB;
        private int auditMaxBackups = AuditOptions.DEFAULT_MAX_BACKUPS;

        /** A fixed port instead of a free one (starting fails clearly if it is in use). */
        public Builder securePort(int port) {
            component.securePort(port);
            return this;
        }

        /** The service network; its first address is the {@code kubernetes} Service, its tenth the cluster DNS. */
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

        /** Encryption of secrets at rest in etcd (on by default); {@code false} stores them as plain text. */
        public Builder encryptionAtRest(boolean enabled) {
            this.encryption = enabled;
            return this;
        }

        /** Encrypts ConfigMaps at rest too (secrets are always encrypted while encryption is on). */
        public Builder encryptConfigMaps(boolean enabled) {
            encrypted.remove("configmaps");
            if (enabled) {
                encrypted.add("configmaps");
            }
            return this;
        }

        /** Auditing on (the default) or off. */
        public Builder audit(boolean enabled) {
            this.audit = enabled;
            return this;
        }

        /** The audit policy instead of {@link AuditPolicy#defaults()}. */
        public Builder auditPolicy(AuditPolicy policy) {
            this.auditPolicy = Objects.requireNonNull(policy, "auditPolicy");
            this.auditPolicyFile = null;
            return this;
        }

        /** An audit policy file of yours ({@code audit.k8s.io/v1 Policy}) instead of polykube's. */
        public Builder auditPolicy(Path file) {
            this.auditPolicyFile = Objects.requireNonNull(file, "auditPolicy file");
            return this;
        }

        /** When the audit log rotates (default 100 MB) and how many rotated files stay (default 10). */
        public Builder auditLogLimits(int maxSizeMb, int maxBackups) {
            this.auditMaxSizeMb = maxSizeMb;
            this.auditMaxBackups = maxBackups;
            return this;
        }

        public ApiServerOptions build() {
            ComponentOptions built = component.build();
            for (String flag : built.flags().extraFlags().keySet()) {
                String name = flag.replaceFirst("^-+", "");
                if (name.startsWith("audit-") || name.equals("encryption-provider-config")) {
                    throw new IllegalArgumentException("apiServer flag --" + name + " is set by polykube: use "
                            + (name.startsWith("audit-") ? "auditPolicy(..), auditLogLimits(..) or audit(false)"
                            : "encryptionAtRest(..) and encryptConfigMaps(..)") + " instead");
                }
            }
            List<String> resources = new ArrayList<>();
            if (encryption) {
                resources.add("secrets");
            }
            resources.addAll(encrypted);
            Optional<Path> policyFile = Optional.ofNullable(auditPolicyFile).map(p -> p.toAbsolutePath().normalize());
            if (audit && policyFile.isPresent() && !Files.isReadable(policyFile.get())) {
                throw new IllegalArgumentException("apiServer auditPolicy file " + policyFile.get() + " does not exist or cannot "
                        + "be read: give an existing audit.k8s.io/v1 Policy file, or a typed AuditPolicy");
            }
            Cidr services = serviceCidr == null ? ClusterNetwork.DEFAULT_SERVICE_CIDR : Cidr.parse("apiServer serviceCidr", serviceCidr);
            return new ApiServerOptions(built, services, admissionPlugins,
                    new EncryptionOptions(encryption, encryption ? resources : encrypted),
                    new AuditOptions(audit, auditPolicy, policyFile, auditMaxSizeMb, auditMaxBackups));
        }
    }
}
