package dev.vigil.intel.ioc;

/**
 * 64-bit fingerprints of indicator values, computed over characters in place (no substring, no lower-case copy), so
 * that matching a field's value allocates nothing until it hits. FNV-1a over the characters, finished with
 * MurmurHash3's 64-bit mix; each type has its own seed, so equal text of two types never shares a key. Domains are
 * hashed from their last character back, which yields the key of every parent domain on the way in one pass.
 */
final class Fingerprints {
    private static final long PRIME = 0x100000001b3L;
    private static final long[] SEEDS = new long[IndicatorType.values().length];

    static {
        for (int i = 0; i < SEEDS.length; i++) {
            SEEDS[i] = mix(0x9E3779B97F4A7C15L * (i + 1) + 0xcbf29ce484222325L);
        }
    }

    private Fingerprints() {}

    static long seed(IndicatorType type) {
        return SEEDS[type.ordinal()];
    }

    /** MurmurHash3's fmix64: a bijection that spreads every input bit over the output. */
    static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }

    /** The table key of a running hash; never 0, which marks an empty slot. */
    static long key(long hash) {
        long key = mix(hash);
        return key == 0 ? 1 : key;
    }

    static char lower(char c) {
        if (c < 0x80) {
            return c >= 'A' && c <= 'Z' ? (char) (c | 0x20) : c;
        }
        return Character.toLowerCase(c);
    }

    /** The running hash of {@code s[from, to)} in lower case, from {@code hash}. */
    static long forwardLower(long hash, CharSequence s, int from, int to) {
        for (int i = from; i < to; i++) {
            hash = (hash ^ lower(s.charAt(i))) * PRIME;
        }
        return hash;
    }

    /** The running hash of {@code s[from, to)} in lower case, from {@code hash}. */
    static long forwardLower(long hash, char[] s, int from, int to) {
        for (int i = from; i < to; i++) {
            hash = (hash ^ lower(s[i])) * PRIME;
        }
        return hash;
    }

    /** The running hash of {@code s[from, to)} as it is. */
    static long forwardExact(long hash, char[] s, int from, int to) {
        for (int i = from; i < to; i++) {
            hash = (hash ^ s[i]) * PRIME;
        }
        return hash;
    }

    /** The running hash of {@code s[from, to)} as it is. */
    static long forwardExact(long hash, CharSequence s, int from, int to) {
        for (int i = from; i < to; i++) {
            hash = (hash ^ s.charAt(i)) * PRIME;
        }
        return hash;
    }

    /** One step of the backward hash of a domain. */
    static long backStep(long hash, char c) {
        return (hash ^ lower(c)) * PRIME;
    }

    static long ipv4(long address) {
        return key(seed(IndicatorType.IPV4) ^ address);
    }

    static long ipv6(long high, long low) {
        return key(mix(seed(IndicatorType.IPV6) ^ high) ^ low);
    }

    static long network(boolean v6, long high, long low, int prefix) {
        return key(mix(seed(IndicatorType.CIDR) ^ high ^ ((long) prefix << 1 | (v6 ? 1 : 0))) ^ low);
    }
}
