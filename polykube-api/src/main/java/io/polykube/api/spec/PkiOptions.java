package io.polykube.api.spec;

import io.polykube.pki.KeyAlgorithm;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** How the cluster's certificates are issued. */
public record PkiOptions(Duration validity, Duration renewBefore, KeyAlgorithm keyAlgorithm, List<String> extraSans) {
    public PkiOptions {
        Objects.requireNonNull(keyAlgorithm, "keyAlgorithm");
        if (validity.isZero() || validity.isNegative()) {
            throw new IllegalArgumentException("pki validity must be positive, got " + validity);
        }
        if (renewBefore.isNegative() || renewBefore.compareTo(validity) >= 0) {
            throw new IllegalArgumentException("pki renewBefore (" + renewBefore + ") must be at least zero and shorter than the validity ("
                    + validity + ")");
        }
        extraSans = List.copyOf(extraSans);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Collects {@link PkiOptions}; defaults: valid 365 days, renewed 1 day before expiry, ECDSA P-256. */
    public static final class Builder {
        private Duration validity = Duration.ofDays(365);
        private Duration renewBefore = Duration.ofDays(1);
        private KeyAlgorithm keyAlgorithm = KeyAlgorithm.ECDSA_P256;
        private final List<String> extraSans = new ArrayList<>();

        public Builder validity(Duration validity) {
            this.validity = Objects.requireNonNull(validity, "validity");
            return this;
        }

        /** A certificate expiring within this window is re-issued at start instead of being used. */
        public Builder renewBefore(Duration renewBefore) {
            this.renewBefore = Objects.requireNonNull(renewBefore, "renewBefore");
            return this;
        }

        public Builder keyAlgorithm(KeyAlgorithm keyAlgorithm) {
            this.keyAlgorithm = Objects.requireNonNull(keyAlgorithm, "keyAlgorithm");
            return this;
        }

        /** Extra DNS names or IP addresses for the API server's serving certificate. */
        public Builder extraSan(String dnsNameOrIp) {
            extraSans.add(Objects.requireNonNull(dnsNameOrIp, "dnsNameOrIp"));
            return this;
        }

        public PkiOptions build() {
            return new PkiOptions(validity, renewBefore, keyAlgorithm, extraSans);
        }
    }
}
