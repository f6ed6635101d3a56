package io.poolwatch.observed;

import java.util.Arrays;
import java.util.Optional;

import io.poolwatch.engine.IpLiteral;

/**
 * A client network in CIDR notation ({@code 10.0.0.0/8}, {@code 127.0.0.1/32}, {@code ::1/128}, {@code fd00::/8}), or
 * one address (taken as /32 or /128). Parsed as address literals only: nothing here ever asks DNS, so a host name is
 * refused rather than resolved. An IPv4 address never falls in an IPv6 network nor the other way round, except an
 * IPv4-mapped IPv6 address ({@code ::ffff:10.1.2.3}), which Java reads as the IPv4 address it carries.
 *
 * @param text the network as written
 * @param network the network's address bytes (4 or 16), host bits cleared
 * @param prefix the prefix length
 */
public record ClientNetwork(String text, byte[] network, int prefix) {

    /** What {@link #parse} accepts, for error messages. */
    public static final String ACCEPTED = "an IPv4 or IPv6 address, or a network in CIDR notation (10.0.0.0/8, 127.0.0.1/32, ::1/128, fd00::/8)";

    public ClientNetwork {
        network = network.clone();
    }

    /** The network's address bytes, host bits cleared (a copy). */
    @Override
    public byte[] network() {
        return network.clone();
    }

    /** The network, or an {@link IllegalArgumentException} saying what is wrong with {@code text}. */
    public static ClientNetwork parse(String text) {
        String t = text.trim();
        int slash = t.indexOf('/');
        String address = slash < 0 ? t : t.substring(0, slash);
        byte[] bytes = literal(address).orElseThrow(() -> new IllegalArgumentException("not an IP address: '" + address + "'"));
        int bits = bytes.length * 8;
        int prefix = bits;
        if (slash >= 0) {
            String p = t.substring(slash + 1);
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
                throw new IllegalArgumentException("prefix length '" + p + "' is not a number");
            }
            prefix = Integer.parseInt(p);
            if (prefix > bits) {
                throw new IllegalArgumentException(
                        "prefix length " + prefix + " is above " + bits + " for an IPv" + (bits == 32 ? 4 : 6) + " address");
            }
        }
        return new ClientNetwork(t, mask(bytes, prefix), prefix);
    }

    /**
     * Whether a client address (an address literal as the server reports it) is in this network; a name or {@code local} never
     * is.
     */
    public boolean contains(String clientAddress) {
        Optional<byte[]> bytes = literal(clientAddress);
        return bytes.isPresent() && bytes.get().length == network.length && Arrays.equals(mask(bytes.get(), prefix), network);
    }

    /** The bytes of an IPv4 or IPv6 address literal, or empty ({@link IpLiteral#parse}). */
    static Optional<byte[]> literal(String text) {
        return IpLiteral.parse(text);
    }

    private static byte[] mask(byte[] address, int prefix) {
        byte[] out = address.clone();
        for (int i = 0; i < out.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - i * 8));
            out[i] = (byte) (out[i] & (0xff << (8 - keep)));
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClientNetwork c && c.prefix == prefix && Arrays.equals(c.network, network);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(network) + prefix;
    }

    @Override
    public String toString() {
        return text;
    }
}
