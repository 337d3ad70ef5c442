package io.polykube.api.spec;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** An IP network in CIDR notation, e.g. {@code 10.96.0.0/16}. */
public record Cidr(InetAddress network, int prefixLength) {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    public Cidr {
        int bits = network.getAddress().length * 8;
        if (prefixLength < 0 || prefixLength > bits) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " is out of range 0.." + bits);
        }
    }

    /**
     * Parses {@code a.b.c.d/n} or an IPv6 CIDR.
     *
     * @param field the option's name, used in the error message
     */
    public static Cidr parse(String field, String text) {
        String hint = field + " must be a CIDR such as 10.96.0.0/16, got '" + text + "'";
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException(hint);
        }
        int slash = text.indexOf('/');
        if (slash <= 0 || slash == text.length() - 1) {
            throw new IllegalArgumentException(hint);
        }
        String address = text.substring(0, slash);
        if (!IPV4.matcher(address).matches() && !address.contains(":")) {
            throw new IllegalArgumentException(hint);
        }
        try {
            InetAddress network = InetAddress.getByName(address); // literal only: never resolves
            int prefix = Integer.parseInt(text.substring(slash + 1));
            int bits = network.getAddress().length * 8;
            if (prefix < 0 || prefix > bits) {
                throw new IllegalArgumentException(field + " '" + text + "': prefix length " + prefix + " is out of range 0.." + bits);
            }
            Cidr cidr = new Cidr(network, prefix);
            if (!cidr.address(0).equals(network)) {
                throw new IllegalArgumentException(field + " '" + text + "' has host bits set: use "
                        + cidr.address(0).getHostAddress() + "/" + prefix);
            }
            return cidr;
        } catch (UnknownHostException | NumberFormatException e) {
            throw new IllegalArgumentException(hint, e);
        }
    }

    /** The address at {@code offset} from the start of the network (0 is the network address itself). */
    public InetAddress address(long offset) {
        byte[] raw = network.getAddress();
        int bits = raw.length * 8;
        BigInteger mask = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE)
                .xor(BigInteger.ONE.shiftLeft(bits - prefixLength).subtract(BigInteger.ONE));
        BigInteger value = new BigInteger(1, raw).and(mask).add(BigInteger.valueOf(offset));
        byte[] out = new byte[raw.length];
        byte[] v = value.toByteArray();
        int copy = Math.min(v.length, out.length);
        System.arraycopy(v, v.length - copy, out, out.length - copy, copy);
        try {
            return InetAddress.getByAddress(out);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("cannot happen: address of valid length", e);
        }
    }

    /** Whether {@code address} lies inside this network. */
    public boolean contains(InetAddress address) {
        if (address.getAddress().length != network.getAddress().length) {
            return false;
        }
        return new Cidr(address, prefixLength).address(0).equals(address(0));
    }

    /** Whether the two networks share any address. */
    public boolean overlaps(Cidr other) {
        return contains(other.address(0)) || other.contains(address(0));
    }

    @Override
    public String toString() {
        return network.getHostAddress() + "/" + prefixLength;
    }
}
