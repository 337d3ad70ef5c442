package io.polykube.pki;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;

/** An IPv4 or IPv6 network in CIDR notation, such as {@code 10.96.0.0/12}. Immutable. */
public final class Cidr {

    private final InetAddress network;
    private final int prefixLength;

    private Cidr(InetAddress network, int prefixLength) {
        this.network = network;
        this.prefixLength = prefixLength;
    }

    /**
     * Parses {@code address/prefix}. Host bits must be zero: {@code 10.96.0.1/12} is refused with
     * the network it probably meant.
     */
    public static Cidr parse(String text) {
        if (text == null) {
            throw new PkiException("CIDR is missing: give a network such as 10.96.0.0/12");
        }
        int slash = text.indexOf('/');
        InetAddress address = slash < 0 ? null : HostNames.parseIp(text.substring(0, slash)).orElse(null);
        if (address == null || !text.substring(slash + 1).matches("\\d{1,3}")) {
            throw new PkiException("'" + text + "' is not a CIDR: write an IP literal, '/' and a prefix "
                    + "length, such as 10.96.0.0/12 or fd00:10:96::/108");
        }
        int bits = address.getAddress().length * 8;
        int prefix = Integer.parseInt(text.substring(slash + 1));
        if (prefix > bits) {
            throw new PkiException("'" + text + "' is not a CIDR: the prefix length must be 0-" + bits);
        }
        BigInteger value = new BigInteger(1, address.getAddress());
        BigInteger networkValue = value.shiftRight(bits - prefix).shiftLeft(bits - prefix);
        if (!value.equals(networkValue)) {
            throw new PkiException("'" + text + "' has host bits set: did you mean "
                    + toAddress(networkValue, bits).getHostAddress() + "/" + prefix + "?");
        }
        return new Cidr(address, prefix);
    }

    public InetAddress network() {
        return network;
    }

    public int prefixLength() {
        return prefixLength;
    }

    /** The first usable address, network + 1 (for a service CIDR: the {@code kubernetes} service IP). */
    public InetAddress firstAddress() {
        int bits = network.getAddress().length * 8;
        if (prefixLength >= bits - 1) {
            throw new PkiException(this + " is too small to hold a service address: use a prefix of at most /"
                    + (bits - 2));
        }
        return toAddress(new BigInteger(1, network.getAddress()).add(BigInteger.ONE), bits);
    }

    private static InetAddress toAddress(BigInteger value, int bits) {
        byte[] raw = value.toByteArray();
        byte[] bytes = new byte[bits / 8];
        int copy = Math.min(raw.length, bytes.length);
        System.arraycopy(raw, raw.length - copy, bytes, bytes.length - copy, copy);
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("address of " + bytes.length + " bytes", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr && ((Cidr) o).network.equals(network) && ((Cidr) o).prefixLength == prefixLength;
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
