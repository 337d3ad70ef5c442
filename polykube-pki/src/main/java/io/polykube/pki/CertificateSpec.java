package io.polykube.pki;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * What a leaf certificate says: subject (CN and O list), DNS and IP subject alternative names,
 * usage, validity, backdate for clock skew, and the algorithm of its new key. Immutable; build it
 * with {@link #builder(String)}.
 */
public final class CertificateSpec {

    /** Default validity of a leaf certificate. */
    public static final Duration DEFAULT_VALIDITY = Duration.ofDays(365);
    /** Default backdate of notBefore, so that a slightly late clock accepts a fresh certificate. */
    public static final Duration DEFAULT_BACKDATE = Duration.ofMinutes(5);

    private final String commonName;
    private final List<String> organizations;
    private final List<String> dnsNames;
    private final List<InetAddress> ipAddresses;
    private final CertificateUsage usage;
    private final Duration validity;
    private final Duration backdate;
    private final KeyAlgorithm keyAlgorithm;

    private CertificateSpec(Builder b) {
        this.commonName = b.commonName;
        this.organizations = List.copyOf(b.organizations);
        this.dnsNames = List.copyOf(b.dnsNames);
        this.ipAddresses = List.copyOf(b.ipAddresses);
        this.usage = b.usage;
        this.validity = b.validity;
        this.backdate = b.backdate;
        this.keyAlgorithm = b.keyAlgorithm;
    }

    /** Starts a spec for the given subject common name. */
    public static Builder builder(String commonName) {
        return new Builder(commonName);
    }

    public String commonName() {
        return commonName;
    }

    public List<String> organizations() {
        return organizations;
    }

    public List<String> dnsNames() {
        return dnsNames;
    }

    public List<InetAddress> ipAddresses() {
        return ipAddresses;
    }

    public CertificateUsage usage() {
        return usage;
    }

    public Duration validity() {
        return validity;
    }

    public Duration backdate() {
        return backdate;
    }

    public KeyAlgorithm keyAlgorithm() {
        return keyAlgorithm;
    }

    @Override
    public String toString() {
        return "CertificateSpec[CN=" + commonName + ", O=" + organizations + ", DNS=" + dnsNames
                + ", IP=" + ipAddresses + ", " + usage + ", " + validity + ", " + keyAlgorithm + "]";
    }

    /** Builder; {@link #build()} validates and names the field that is wrong. */
    public static final class Builder {
        private final String commonName;
        private final List<String> organizations = new ArrayList<>();
        private final List<String> dnsNames = new ArrayList<>();
        private final List<InetAddress> ipAddresses = new ArrayList<>();
        private CertificateUsage usage;
        private Duration validity = DEFAULT_VALIDITY;
        private Duration backdate = DEFAULT_BACKDATE;
        private KeyAlgorithm keyAlgorithm = KeyAlgorithm.ECDSA_P256;

        private Builder(String commonName) {
            this.commonName = commonName;
        }

        /** Adds subject organizations (O); Kubernetes reads them as the user's groups. */
        public Builder organizations(String... organizations) {
            return organizations(Arrays.asList(organizations));
        }

        public Builder organizations(Collection<String> organizations) {
            this.organizations.addAll(organizations);
            return this;
        }

        /** Adds DNS subject alternative names (a leading "*." wildcard is allowed). */
        public Builder dnsNames(String... dnsNames) {
            return dnsNames(Arrays.asList(dnsNames));
        }

        public Builder dnsNames(Collection<String> dnsNames) {
            this.dnsNames.addAll(dnsNames);
            return this;
        }

        /** Adds IP subject alternative names. */
        public Builder ipAddresses(InetAddress... ipAddresses) {
            return ipAddresses(Arrays.asList(ipAddresses));
        }

        public Builder ipAddresses(Collection<InetAddress> ipAddresses) {
            this.ipAddresses.addAll(ipAddresses);
            return this;
        }

        /** Adds a subject alternative name given as text: an IP literal or a DNS name. */
        public Builder subjectAltName(String dnsNameOrIp) {
            HostNames.parseIp(dnsNameOrIp).ifPresentOrElse(ipAddresses::add, () -> dnsNames.add(dnsNameOrIp));
            return this;
        }

        public Builder usage(CertificateUsage usage) {
            this.usage = usage;
            return this;
        }

        /** Shorthand for {@code usage(CertificateUsage.CLIENT)}. */
        public Builder client() {
            return usage(CertificateUsage.CLIENT);
        }

        /** Shorthand for {@code usage(CertificateUsage.SERVER)}. */
        public Builder server() {
            return usage(CertificateUsage.SERVER);
        }

        /** Shorthand for {@code usage(CertificateUsage.CLIENT_AND_SERVER)}. */
        public Builder clientAndServer() {
            return usage(CertificateUsage.CLIENT_AND_SERVER);
        }

        /** How long the certificate is valid from now; default 365 days. */
        public Builder validity(Duration validity) {
            this.validity = validity;
            return this;
        }

        /** How far notBefore lies in the past; default 5 minutes. */
        public Builder backdate(Duration backdate) {
            this.backdate = backdate;
            return this;
        }

        public Builder keyAlgorithm(KeyAlgorithm keyAlgorithm) {
            this.keyAlgorithm = keyAlgorithm;
            return this;
        }

        /** Validates and builds; throws {@link PkiException} naming the wrong field. */
        public CertificateSpec build() {
            List<String> errors = new ArrayList<>();
            if (commonName == null || commonName.isBlank()) {
                errors.add("commonName must not be blank");
            }
            if (organizations.stream().anyMatch(o -> o == null || o.isBlank())) {
                errors.add("organizations must not contain blank entries, got " + organizations);
            }
            for (String dns : dnsNames) {
                if (HostNames.parseIp(dns).isPresent()) {
                    errors.add("dnsNames: '" + dns + "' is an IP address: add it with ipAddresses(...) "
                            + "or subjectAltName(...)");
                } else if (!HostNames.isDnsName(dns)) {
                    errors.add("dnsNames: '" + dns + "' is not a valid DNS name (" + HostNames.dnsNameRule() + ")");
                }
            }
            if (ipAddresses.contains(null)) {
                errors.add("ipAddresses must not contain null");
            }
            if (usage == null) {
                errors.add("usage is missing: call client(), server() or clientAndServer()");
            } else if (usage.server() && dnsNames.isEmpty() && ipAddresses.isEmpty()) {
                errors.add("a server certificate needs at least one DNS name or IP address, "
                        + "otherwise no client can verify its host name");
            }
            if (validity == null || validity.isNegative() || validity.isZero()) {
                errors.add("validity must be positive, got " + validity);
            }
            if (backdate == null || backdate.isNegative()) {
                errors.add("backdate must be zero or positive, got " + backdate);
            }
            if (keyAlgorithm == null) {
                errors.add("keyAlgorithm must not be null");
            }
            if (!errors.isEmpty()) {
                throw new PkiException("Invalid certificate spec for CN=" + commonName + ": " + String.join("; ", errors));
            }
            return new CertificateSpec(this);
        }
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof CertificateSpec)) {
            return false;
        }
        CertificateSpec s = (CertificateSpec) o;
        return commonName.equals(s.commonName) && organizations.equals(s.organizations)
                && dnsNames.equals(s.dnsNames) && ipAddresses.equals(s.ipAddresses) && usage == s.usage
                && validity.equals(s.validity) && backdate.equals(s.backdate) && keyAlgorithm == s.keyAlgorithm;
    }

    @Override
    public int hashCode() {
        return Objects.hash(commonName, organizations, dnsNames, ipAddresses, usage, validity, backdate, keyAlgorithm);
    }
}
