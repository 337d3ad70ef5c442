package io.polykube.net;

import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An IPv4 or IPv6 network in CIDR notation, such as {@code 10.244.0.0/24}. The address must be the network address (no
 * host bits set). Parsing never resolves names. Immutable.
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

    /**
     * Parses {@code text}, such as {@code 10.96.0.0/16}; errors name {@code field}. Host bits must be zero:
     * {@code 10.96.0.1/16} is refused with the network it probably meant.
     *
     * @throws CidrException when {@code text} is not a network in CIDR notation
     */
    public static Cidr parse(String field, String text) {
        if (text == null || text.isBlank()) {
            throw new CidrException(field, "a CIDR such as 10.244.0.0/24 is required");
        }
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new CidrException(field, "'" + text + "' is not a CIDR: expected ADDRESS/PREFIX such as 10.244.0.0/24");
        }
        InetAddress address = parseAddress(field, text.substring(0, slash));
        String prefixText = text.substring(slash + 1);
        int prefix = prefixText.matches("\\d{1,3}") ? Integer.parseInt(prefixText) : -1;
        return of(field, "'" + text + "'", address, prefix);
    }

    /**
     * The network {@code address/prefixLength}, from typed parts (no text to parse); errors name {@code field}. As with
     * {@link #parse}, host bits must be zero.
     *
     * @throws CidrException when the prefix length does not fit the address family or host bits are set
     */
    public static Cidr of(String field, InetAddress address, int prefixLength) {
        Objects.requireNonNull(address, "address");
        return of(field, address.getHostAddress() + "/" + prefixLength, address, prefixLength);
    }

    private static Cidr of(String field, String shown, InetAddress address, int prefix) {
        int bits = address instanceof Inet4Address ? 32 : 128;
        if (prefix < 0 || prefix > bits) {
            throw new CidrException(field, shown + " is not a CIDR: the prefix length must be 0.." + bits);
        }
        Cidr cidr = new Cidr(address, prefix);
        InetAddress masked = cidr.mask(address);
        if (!masked.equals(address)) {
            throw new CidrException(field, shown + " has host bits set: did you mean " + masked.getHostAddress() + "/"
                    + prefix + "?");
        }
        return cidr;
    }

    /**
     * Parses a literal IP address (never a host name); errors name {@code field}.
     *
     * @throws CidrException when {@code text} is not an IPv4 or IPv6 literal
     */
    public static InetAddress parseAddress(String field, String text) {
        if (text == null || !(IPV4.matcher(text).matches() || IPV6.matcher(text).matches())) {
            throw new CidrException(field, "'" + text + "' is not an IP address");
        }
        try {
            if (IPV4.matcher(text).matches()) {
                String[] parts = text.split("\\.");
                byte[] raw = new byte[4];
                for (int i = 0; i < 4; i++) {
                    int part = Integer.parseInt(parts[i]);
                    if (part > 255) {
                        throw new CidrException(field, "'" + text + "' is not an IPv4 address: " + part + " > 255");
                    }
                    raw[i] = (byte) part;
                }
                return InetAddress.getByAddress(raw); // never a name lookup
            }
            // A string with ':' is parsed as an IPv6 literal by the JDK, never looked up.
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new CidrException(field, "'" + text + "' is not an IP address (" + e.getMessage() + ")");
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

    /**
     * The address {@code offset} places after the network address: offset 1 gives the usual gateway, or for a service
     * network the {@code kubernetes} Service's address; offset 10 the cluster DNS.
     *
     * @throws CidrException when the network is too small to hold it
     */
    public InetAddress addressAt(long offset) {
        int bytes = network.getAddress().length;
        BigInteger value = new BigInteger(1, network.getAddress()).add(BigInteger.valueOf(offset));
        byte[] raw = value.toByteArray();
        byte[] out = new byte[bytes];
        int copy = Math.min(raw.length, bytes);
        System.arraycopy(raw, raw.length - copy, out, bytes - copy, copy);
        try {
            InetAddress address = InetAddress.getByAddress(out);
            if (offset < 0 || !contains(address)) {
                throw new CidrException(toString(), "offset " + offset + " is outside " + this + ": use a larger network");
            }
            return address;
        } catch (UnknownHostException e) {
            throw new IllegalStateException("cannot happen: " + bytes + " bytes", e);
        }
    }

    /**
     * The first usable address, network + 1 (for a service network: the {@code kubernetes} Service's address).
     *
     * @throws CidrException when the network holds no usable address (a /31 or /32 in IPv4)
     */
    public InetAddress firstAddress() {
        int bits = network.getAddress().length * 8;
        if (prefixLength >= bits - 1) {
            throw new CidrException(toString(), "too small to hold a service address: use a prefix of at most /" + (bits - 2));
        }
        return addressAt(1);
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
