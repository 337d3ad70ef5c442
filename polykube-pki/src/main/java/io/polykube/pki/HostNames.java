package io.polykube.pki;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;
import org.bouncycastle.util.IPAddress;

/** Validation of DNS names and IP literals. Never resolves anything. */
final class HostNames {

    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
    private static final Pattern LOWERCASE_LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    private HostNames() {
    }

    /**
     * A DNS name for a SAN: RFC 1123 labels, optionally a leading "*." wildcard, the last label not
     * all digits (so a mistyped IP such as 300.1.1.1 is refused).
     */
    static boolean isDnsName(String name) {
        if (name == null || name.isEmpty() || name.length() > 253 || parseIp(name).isPresent()) {
            return false;
        }
        String rest = name.startsWith("*.") ? name.substring(2) : name;
        String last = rest.substring(rest.lastIndexOf('.') + 1);
        return labels(rest, LABEL) && !last.chars().allMatch(Character::isDigit);
    }

    /** A lowercase RFC 1123 subdomain, as Kubernetes requires for node names. */
    static boolean isSubdomain(String name) {
        return name != null && !name.isEmpty() && name.length() <= 253 && labels(name, LOWERCASE_LABEL);
    }

    private static boolean labels(String name, Pattern label) {
        if (name.isEmpty() || name.startsWith(".") || name.endsWith(".")) {
            return false;
        }
        for (String part : name.split("\\.", -1)) {
            if (!label.matcher(part).matches()) {
                return false;
            }
        }
        return true;
    }

    /** Parses an IPv4 or IPv6 literal (no zone); empty for anything else. No DNS lookup happens. */
    static Optional<InetAddress> parseIp(String literal) {
        if (literal == null || !(IPAddress.isValidIPv4(literal) || IPAddress.isValidIPv6(literal))) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(literal));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    static String dnsNameRule() {
        return "letters, digits and '-' in dot-separated labels of 1-63 characters, "
                + "not starting or ending with '-', the last not all digits, at most 253 characters";
    }
}
