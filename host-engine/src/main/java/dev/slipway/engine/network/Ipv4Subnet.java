package dev.slipway.engine.network;

/**
 * An IPv4 network in CIDR form, e.g. {@code 10.209.0.0/16}. Addresses are unsigned 32-bit values kept in an int.
 *
 * @param base   the network address (host bits zero)
 * @param prefix the prefix length, 0..32
 */
public record Ipv4Subnet(int base, int prefix) {

    public Ipv4Subnet {
        if (prefix < 0 || prefix > 32) {
            throw new IllegalArgumentException("prefix length must be 0..32: " + prefix);
        }
        base &= mask(prefix);
    }

    /** Parses {@code a.b.c.d/n}; a bare address is a /32. Host bits must be zero. */
    public static Ipv4Subnet parse(String cidr) {
        int slash = cidr.indexOf('/');
        int address = parseAddress(slash < 0 ? cidr : cidr.substring(0, slash));
        int prefix;
        try {
            prefix = slash < 0 ? 32 : Integer.parseInt(cidr.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid CIDR: " + cidr);
        }
        Ipv4Subnet subnet = new Ipv4Subnet(address, prefix);
        if (subnet.base != address) {
            throw new IllegalArgumentException("invalid CIDR " + cidr + ": host bits set (did you mean "
                    + subnet + "?)");
        }
        return subnet;
    }

    public static int parseAddress(String dotted) {
        String[] parts = dotted.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("invalid IPv4 address: " + dotted);
        }
        int value = 0;
        for (String part : parts) {
            int octet;
            try {
                octet = Integer.parseInt(part);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("invalid IPv4 address: " + dotted);
            }
            if (octet < 0 || octet > 255 || part.length() > 3 || part.isEmpty()) {
                throw new IllegalArgumentException("invalid IPv4 address: " + dotted);
            }
            value = value << 8 | octet;
        }
        return value;
    }

    public static String format(int address) {
        return (address >>> 24) + "." + (address >>> 16 & 255) + "." + (address >>> 8 & 255) + "." + (address & 255);
    }

    private static int mask(int prefix) {
        return prefix == 0 ? 0 : -1 << (32 - prefix);
    }

    public boolean contains(int address) {
        return (address & mask(prefix)) == base;
    }

    public boolean overlaps(Ipv4Subnet other) {
        int shorter = Math.min(prefix, other.prefix);
        return (base & mask(shorter)) == (other.base & mask(shorter));
    }

    /** Number of addresses containers may take: all but network, gateway (first host) and broadcast. */
    public int assignableCount() {
        long size = 1L << (32 - prefix);
        return (int) Math.max(0, size - 3);
    }

    /** The gateway (the bridge's own address): the first host address. */
    public int gateway() {
        return base + 1;
    }

    /** The n-th assignable address (0-based), after the gateway. */
    public int assignable(int n) {
        if (n < 0 || n >= assignableCount()) {
            throw new IndexOutOfBoundsException(n);
        }
        return base + 2 + n;
    }

    @Override
    public String toString() {
        return format(base) + "/" + prefix;
    }
}
