package dev.vigil.intel.ioc;

import java.util.Locale;

/**
 * What an indicator's value is. Each type has one normal form ({@link IndicatorValues#normalize}), so the same value
 * from two feeds is one indicator, and matching compares normal forms only.
 */
public enum IndicatorType {
    /** One IPv4 address, dotted quad: {@code 203.0.113.7}. */
    IPV4,
    /** One IPv6 address in RFC 5952 text: {@code 2001:db8::7}. */
    IPV6,
    /** An IPv4 or IPv6 network with its prefix length, host bits cleared: {@code 203.0.113.0/24}. */
    CIDR,
    /** A domain and every name below it, lower case, IDNs in punycode: {@code evil.example}. */
    DOMAIN,
    /** A URL in normal form (see {@link IndicatorValues#normalizeUrl}). */
    URL,
    MD5,
    SHA1,
    SHA256,
    SHA512,
    /** An e-mail address, lower case: {@code billing@evil.example}. */
    EMAIL;

    private static final IndicatorType[] VALUES = values();

    private final String id = name().toLowerCase(Locale.ROOT);

    /** The lower-case name used in rule ids, the store and the command line, e.g. {@code sha256}. */
    public String id() {
        return id;
    }

    /** Whether values of this type are file digests. */
    public boolean isHash() {
        return this == MD5 || this == SHA1 || this == SHA256 || this == SHA512;
    }

    /** Whether values of this type are addresses or networks. */
    public boolean isAddress() {
        return this == IPV4 || this == IPV6 || this == CIDR;
    }

    /** The type named by {@link #id()} (any case), or null. */
    public static IndicatorType fromId(String id) {
        for (IndicatorType type : VALUES) {
            if (type.id.equalsIgnoreCase(id)) {
                return type;
            }
        }
        return null;
    }

    /** The digest type of a hex digest of this many characters, or null. */
    static IndicatorType hashOfLength(int hexLength) {
        return switch (hexLength) {
            case 32 -> MD5;
            case 40 -> SHA1;
            case 64 -> SHA256;
            case 128 -> SHA512;
            default -> null;
        };
    }

    static IndicatorType byOrdinal(int ordinal) {
        return VALUES[ordinal];
    }
}
