package io.polykube.api.spec;

import io.polykube.config.audit.AuditPolicy;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Auditing: whether kube-apiserver writes an audit log ({@code logs/audit.log} in the cluster directory, JSON lines,
 * rotated at {@code maxSizeMb} keeping {@code maxBackups} files) and with which policy: a typed {@link AuditPolicy}
 * (default {@link AuditPolicy#defaults()}) or a policy file of the user's.
 */
public record AuditOptions(boolean enabled, AuditPolicy policy, Optional<Path> policyFile, int maxSizeMb, int maxBackups) {
    public static final int DEFAULT_MAX_SIZE_MB = 100;
    public static final int DEFAULT_MAX_BACKUPS = 10;

    public AuditOptions {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(policyFile, "policyFile");
        if (maxSizeMb < 1 || maxBackups < 1) {
            throw new IllegalArgumentException("apiServer audit log limits " + maxSizeMb + " MB, " + maxBackups + " backups: "
                    + "both must be at least 1");
        }
    }
}
