package io.polykube.config;

import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An IPv4 or IPv6 network in CIDR notation, such as {@code 10.244.0.0/24}. The address must be the
 * network address (no host bits set). Parsing never resolves names.
 */
public final class Cidr {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

    private final InetAddress network;
    private final int prefixLength;

    private Cidr(InetAddress network, int prefixLength) {
        this.network = network;
        this.prefixLength = prefixLength;
    }

    /** Parses {@code text}; errors name {@code field}. */
    public static Cidr parse(String field, String text) {
        if (text == null || text.isBlank()) {
            throw new ConfigException(field, "a CIDR such as 10.244.0.0/24 is required");
        }
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new ConfigException(field, "'" + text + "' is not a CIDR: expected ADDRESS/PREFIX such as 10.244.0.0/24");
        }
        InetAddress address = parseAddress(field, text.substring(0, slash));
        int bits = address instanceof Inet4Address ? 32 : 128;
        int prefix;
        try {
            prefix = Integer.parseInt(text.substring(slash + 1));
        } catch (NumberFormatException e) {
            prefix = -1;
        }
        if (prefix < 0 || prefix > bits) {
            throw new ConfigException(field, "'" + text + "' is not a CIDR: the prefix length must be 0.." + bits);
        }
        Cidr cidr = new Cidr(address, prefix);
        InetAddress masked = cidr.mask(address);
        if (!masked.equals(address)) {
            throw new ConfigException(field, "'" + text + "' has host bits set: did you mean "
                    + masked.getHostAddress() + "/" + prefix + "?");
        }
        return cidr;
    }

    /** Parses a literal IP address (never a host name); errors name {@code field}. */
    public static InetAddress parseAddress(String field, String text) {
        if (text == null || !(IPV4.matcher(text).matches() || IPV6.matcher(text).matches())) {
            throw new ConfigException(field, "'" + text + "' is not an IP address");
        }
        try {
            if (IPV4.matcher(text).matches()) {
                String[] parts = text.split("\\.");
                byte[] raw = new byte[4];
                for (int i = 0; i < 4; i++) {
                    int part = Integer.parseInt(parts[i]);
                    if (part > 255) {
                        throw new ConfigException(field, "'" + text + "' is not an IPv4 address: " + part + " > 255");
                    }
                    raw[i] = (byte) part;
                }
                return InetAddress.getByAddress(raw); // never a name lookup
            }
            // A string with ':' is parsed as an IPv6 literal by the JDK, never looked up.
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new ConfigException(field, "'" + text + "' is not an IP address", e);
        }
    }

    public InetAddress network() {
        return network;
    }

    public int prefixLength() {
        return prefixLength;
    }

    public boolean isIpv4() {
        return network instanceof Inet4Address;
    }

    /** True if {@code address} is of the same family and inside this network. */
    public boolean contains(InetAddress address) {
        return address.getClass() == network.getClass() && mask(address).equals(network);
    }

    /** The address {@code offset} places after the network address, e.g. offset 1 gives the usual gateway. */
    public InetAddress addressAt(long offset) {
        int bytes = network.getAddress().length;
        BigInteger value = new BigInteger(1, network.getAddress()).add(BigInteger.valueOf(offset));
        byte[] raw = value.toByteArray();
        byte[] out = new byte[bytes];
        int copy = Math.min(raw.length, bytes);
        System.arraycopy(raw, raw.length - copy, out, bytes - copy, copy);
        try {
            InetAddress address = InetAddress.getByAddress(out);
            if (!contains(address)) {
                throw new ConfigException("cidr", "offset " + offset + " is outside " + this);
            }
            return address;
        } catch (UnknownHostException e) {
            throw new IllegalStateException("cannot happen: " + bytes + " bytes", e);
        }
    }

    private InetAddress mask(InetAddress address) {
        byte[] raw = address.getAddress();
        for (int i = 0; i < raw.length; i++) {
            int keep = Math.max(0, Math.min(8, prefixLength - i * 8));
            raw[i] = (byte) (raw[i] & (0xff << (8 - keep)));
        }
        try {
            return InetAddress.getByAddress(raw);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("cannot happen: " + raw.length + " bytes", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr c && c.prefixLength == prefixLength && c.network.equals(network);
    }

    @Override
    public int hashCode() {
        return Objects.hash(network, prefixLength);
    }

    @Override
    public String toString() {
        return network.getHostAddress() + "/" + prefixLength;
    }
}
