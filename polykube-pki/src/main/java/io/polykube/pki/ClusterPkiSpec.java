package io.polykube.pki;

import io.polykube.net.Cidr;
import io.polykube.net.CidrException;
import io.polykube.net.ClusterNetwork;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;

/**
 * What a single-node cluster's PKI is made from. Immutable; build it with {@link #builder()}.
 * Required: clusterName and nodeName. Defaults: serviceCidr and clusterDomain of
 * {@link ClusterNetwork#defaults()} (10.96.0.0/16, cluster.local), validity 365 days, CA validity 10 years, renewBefore a
 * third of the validity, ECDSA P-256 keys, {@code ::1} among the loopback SANs.
 */
public final class ClusterPkiSpec {

    public static final Duration DEFAULT_VALIDITY = Duration.ofDays(365);
    public static final Duration DEFAULT_CA_VALIDITY = Duration.ofDays(3650);

    private final String clusterName;
    private final String nodeName;
    private final Cidr serviceCidr;
    private final String clusterDomain;
    private final List<InetAddress> advertiseAddresses;
    private final List<String> extraSans;
    private final boolean ipv6Loopback;
    private final Duration validity;
    private final Duration caValidity;
    private final Duration renewBefore;
    private final KeyAlgorithm keyAlgorithm;
    private final List<UserSpec> users;

    private ClusterPkiSpec(Builder b, Cidr serviceCidr, Duration renewBefore) {
        this.clusterName = b.clusterName;
        this.nodeName = b.nodeName;
        this.serviceCidr = serviceCidr;
        this.clusterDomain = b.clusterDomain;
        this.advertiseAddresses = List.copyOf(b.advertiseAddresses);
        this.extraSans = List.copyOf(b.extraSans);
        this.ipv6Loopback = b.ipv6Loopback;
        this.validity = b.validity;
        this.caValidity = b.caValidity;
        this.renewBefore = renewBefore;
        this.keyAlgorithm = b.keyAlgorithm;
        this.users = List.copyOf(b.users);
    }

    public static Builder builder() {
        return new Builder();
    }

    public String clusterName() {
        return clusterName;
    }

    public String nodeName() {
        return nodeName;
    }

    public Cidr serviceCidr() {
        return serviceCidr;
    }

    public String clusterDomain() {
        return clusterDomain;
    }

    public List<InetAddress> advertiseAddresses() {
        return advertiseAddresses;
    }

    /** Extra SANs of the apiserver certificate, DNS names or IP literals. */
    public List<String> extraSans() {
        return extraSans;
    }

    public boolean ipv6Loopback() {
        return ipv6Loopback;
    }

    /** Validity of every leaf certificate. */
    public Duration validity() {
        return validity;
    }

    public Duration caValidity() {
        return caValidity;
    }

    /** A certificate expiring within this time is renewed rather than reused. */
    public Duration renewBefore() {
        return renewBefore;
    }

    public KeyAlgorithm keyAlgorithm() {
        return keyAlgorithm;
    }

    /** Extra client identities issued into {@code users/}. */
    public List<UserSpec> users() {
        return users;
    }

    /**
     * SHA-256 over everything that shapes the certificates (not renewBefore, not users, which are
     * checked one by one). A stored PKI is reused only when its fingerprint equals this.
     */
    public String fingerprint() {
        StringBuilder text = new StringBuilder("polykube-pki/1\n")
                .append(clusterName).append('\n').append(nodeName).append('\n')
                .append(serviceCidr).append('\n').append(clusterDomain).append('\n');
        advertiseAddresses.forEach(a -> text.append("advertise ").append(a.getHostAddress()).append('\n'));
        extraSans.forEach(s -> text.append("san ").append(s).append('\n'));
        text.append(ipv6Loopback).append('\n').append(validity).append('\n').append(caValidity).append('\n')
                .append(keyAlgorithm).append('\n');
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    @Override
    public String toString() {
        return "ClusterPkiSpec[cluster=" + clusterName + ", node=" + nodeName + ", serviceCidr=" + serviceCidr
                + ", domain=" + clusterDomain + ", advertise=" + advertiseAddresses + ", extraSans=" + extraSans
                + ", validity=" + validity + ", caValidity=" + caValidity + ", renewBefore=" + renewBefore
                + ", " + keyAlgorithm + ", users=" + users + "]";
    }

    /** Builder; {@link #build()} validates every field and names each one that is wrong. */
    public static final class Builder {
        private String clusterName;
        private String nodeName;
        private Cidr serviceCidr = ClusterNetwork.DEFAULT_SERVICE_CIDR;
        /** Set by {@link #serviceCidr(String)}: parsed at {@link #build()}, which names it when it is wrong. */
        private String serviceCidrText;
        private String clusterDomain = ClusterNetwork.DEFAULT_CLUSTER_DOMAIN;
        private final List<InetAddress> advertiseAddresses = new ArrayList<>();
        private final List<String> extraSans = new ArrayList<>();
        private boolean ipv6Loopback = true;
        private Duration validity = DEFAULT_VALIDITY;
        private Duration caValidity = DEFAULT_CA_VALIDITY;
        private Duration renewBefore;
        private KeyAlgorithm keyAlgorithm = KeyAlgorithm.ECDSA_P256;
        private final List<UserSpec> users = new ArrayList<>();

        private Builder() {
        }

        public Builder clusterName(String clusterName) {
            this.clusterName = clusterName;
            return this;
        }

        /** The node name: a lowercase DNS subdomain, as Kubernetes requires. */
        public Builder nodeName(String nodeName) {
            this.nodeName = nodeName;
            return this;
        }

        /** The service CIDR; its first address becomes an apiserver SAN. Default {@link ClusterNetwork#DEFAULT_SERVICE_CIDR}. */
        public Builder serviceCidr(String serviceCidr) {
            this.serviceCidrText = serviceCidr;
            this.serviceCidr = null;
            return this;
        }

        /** The service CIDR as a typed value, for example {@link ClusterNetwork#serviceCidr()}. */
        public Builder serviceCidr(Cidr serviceCidr) {
            this.serviceCidr = serviceCidr;
            this.serviceCidrText = null;
            return this;
        }

        public Builder clusterDomain(String clusterDomain) {
            this.clusterDomain = clusterDomain;
            return this;
        }

        /** Adds addresses the apiserver is reached on, besides loopback. */
        public Builder advertiseAddresses(InetAddress... addresses) {
            return advertiseAddresses(Arrays.asList(addresses));
        }

        public Builder advertiseAddresses(Collection<InetAddress> addresses) {
            this.advertiseAddresses.addAll(addresses);
            return this;
        }

        /** Adds apiserver SANs: DNS names or IP literals. */
        public Builder extraSans(String... sans) {
            return extraSans(Arrays.asList(sans));
        }

        public Builder extraSans(Collection<String> sans) {
            this.extraSans.addAll(sans);
            return this;
        }

        /** Whether {@code ::1} is a SAN of the serving certificates; default true. */
        public Builder ipv6Loopback(boolean ipv6Loopback) {
            this.ipv6Loopback = ipv6Loopback;
            return this;
        }

        public Builder validity(Duration validity) {
            this.validity = validity;
            return this;
        }

        public Builder caValidity(Duration caValidity) {
            this.caValidity = caValidity;
            return this;
        }

        /** Renew a certificate that expires within this time; default a third of the validity. */
        public Builder renewBefore(Duration renewBefore) {
            this.renewBefore = renewBefore;
            return this;
        }

        public Builder keyAlgorithm(KeyAlgorithm keyAlgorithm) {
            this.keyAlgorithm = keyAlgorithm;
            return this;
        }

        /** Adds an extra client identity issued into {@code users/<name>.crt}. */
        public Builder user(String name, String... groups) {
            this.users.add(UserSpec.of(name, groups));
            return this;
        }

        public ClusterPkiSpec build() {
            List<String> errors = new ArrayList<>();
            if (clusterName == null || clusterName.isBlank()) {
                errors.add("clusterName is required");
            }
            if (!HostNames.isSubdomain(nodeName)) {
                errors.add("nodeName '" + nodeName + "' is not a lowercase DNS subdomain (" + HostNames.dnsNameRule()
                        + "); Kubernetes requires this of node names");
            }
            Cidr cidr = null;
            try {
                cidr = serviceCidrText != null ? Cidr.parse("serviceCidr", serviceCidrText) : serviceCidr;
                if (cidr == null) {
                    errors.add("serviceCidr must not be null");
                } else {
                    cidr.firstAddress();
                }
            } catch (CidrException e) {
                errors.add("serviceCidr: " + e.getMessage().substring(e.field().length() + 2));
            }
            if (!HostNames.isSubdomain(clusterDomain)) {
                errors.add("clusterDomain '" + clusterDomain + "' is not a lowercase DNS name");
            }
            if (advertiseAddresses.contains(null)) {
                errors.add("advertiseAddresses must not contain null");
            }
            for (String san : extraSans) {
                if (HostNames.parseIp(san).isEmpty() && !HostNames.isDnsName(san)) {
                    errors.add("extraSans: '" + san + "' is neither an IP literal nor a valid DNS name ("
                            + HostNames.dnsNameRule() + ")");
                }
            }
            if (!positive(validity)) {
                errors.add("validity must be positive, got " + validity);
            }
            if (!positive(caValidity)) {
                errors.add("caValidity must be positive, got " + caValidity);
            } else if (positive(validity) && caValidity.compareTo(validity) < 0) {
                errors.add("caValidity (" + caValidity + ") must be at least validity (" + validity + ")");
            }
            Duration renew = renewBefore != null ? renewBefore : positive(validity) ? validity.dividedBy(3) : null;
            if (renew == null || renew.isNegative()) {
                errors.add("renewBefore must be zero or positive, got " + renewBefore);
            } else if (positive(validity) && renew.compareTo(validity) >= 0) {
                errors.add("renewBefore (" + renew + ") must be shorter than validity (" + validity
                        + "), otherwise every certificate is renewed at once");
            }
            if (keyAlgorithm == null) {
                errors.add("keyAlgorithm must not be null");
            }
            if (users.stream().map(UserSpec::name).distinct().count() != users.size()) {
                errors.add("users must have distinct names, got " + users);
            }
            if (!errors.isEmpty()) {
                throw new PkiException("Invalid ClusterPkiSpec: " + String.join("; ", errors));
            }
            return new ClusterPkiSpec(this, cidr, renew);
        }

        private static boolean positive(Duration d) {
            return d != null && !d.isNegative() && !d.isZero();
        }
    }
}
