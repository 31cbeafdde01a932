package dev.vigil.intel.ioc;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * The indicators active at one instant, laid out to be matched at ingest speed and held compactly (46 bytes of heap
 * per indicator for a million of them, as {@code IocBenchmark} measures).
 *
 * <p>Matching: an address is looked up exactly, and among the networks by one binary search over their flattened
 * ranges ({@link NetworkRanges}), which finds every network around it, nested ones included. A domain matches itself
 * and every name below it ({@code evil.example} matches {@code a.b.evil.example}, never {@code notevil.example}):
 * its parent domains are looked up from the right in one pass. A URL is normalized ({@link
 * IndicatorValues#normalizeUrl}) and looked up with and without its query, {@code http} and {@code https} alike, and
 * its host as a domain or address. Digests match in any case, e-mail addresses in lower case, and the domain of an
 * e-mail address as a domain.
 *
 * <p>Layout: every value, hashed ({@link Fingerprints}), sits in one open-addressing table of 32-bit fingerprints
 * and indicator ordinals at a load of 0.7, behind a blocked Bloom filter of 16 bits per value that answers most
 * misses from the processor's cache; a fingerprint that matches is confirmed against the stored value, so matches
 * are exact. Values live in
 * one byte array (digests as raw bytes, addresses as their bytes), beside their per-indicator times and source ids;
 * the rest of a provenance (feeds, confidence, tags, links) is shared between the indicators that have the same.
 * An {@link Indicator} is rebuilt only for a match.
 *
 * <p>An index is immutable and safe to share between threads once built.
 */
public final class IndicatorIndex {
    private static final double MAX_LOAD = 0.6;
    private static final double FINAL_LOAD = 0.7;
    private static final int BLOOM_BITS_PER_VALUE = 16;

    private final Instant activeAt;
    private final byte[] data;
    private final int[] offsets;
    private final byte[] types;
    private final Provenance[] shared;
    /** The table: a fingerprint and an ordinal per slot, -1 for an empty slot. */
    private final int[] fingerprints;
    private final int[] ordinals;
    /** A Bloom filter per type, each small enough for the processor's cache when its type is the one looked up. */
    private final long[][] blooms;
    /** The keys of the last labels of the domains, each hashed as a domain of its own. */
    private final LongSet topLevelDomains;
    private final NetworkRanges ipv4Networks;
    private final NetworkRanges ipv6Networks;
    private final int size;
    private final int[] countsByType;

    private IndicatorIndex(Builder builder) {
        this.activeAt = builder.activeAt;
        this.size = builder.size;
        this.data = Arrays.copyOf(builder.data, builder.dataLength);
        this.offsets = Arrays.copyOf(builder.offsets, size);
        this.types = Arrays.copyOf(builder.types, size);
        this.shared = builder.sharedList.toArray(Provenance[]::new);
        int capacity = (int) Math.max(16, Math.ceil(size / FINAL_LOAD));
        this.fingerprints = new int[capacity];
        this.ordinals = new int[capacity];
        Arrays.fill(ordinals, -1);
        this.blooms = new long[IndicatorType.values().length][];
        for (IndicatorType type : IndicatorType.values()) {
            blooms[type.ordinal()] = new long[(int) Math.max(1,
                    (long) builder.countsByType[type.ordinal()] * BLOOM_BITS_PER_VALUE / 64)];
        }
        for (int i = 0; i < builder.keys.length; i++) {
            long key = builder.keys[i];
            if (key == 0) {
                continue;
            }
            int slot = slot(key);
            while (ordinals[slot] >= 0) {
                slot = slot + 1 == capacity ? 0 : slot + 1;
            }
            fingerprints[slot] = fingerprint(key);
            ordinals[slot] = builder.slots[i];
            long[] bloom = blooms[types[builder.slots[i]]];
            bloom[bloomWord(bloom, key)] |= bloomBits(key);
        }
        this.countsByType = builder.countsByType.clone();
        this.topLevelDomains = builder.topLevelDomains;
        this.ipv4Networks = builder.networks(false);
        this.ipv6Networks = builder.networks(true);
    }

    /** A builder of the index of indicators active at {@code activeAt}. */
    public static Builder builder(Instant activeAt) {
        return new Builder(activeAt);
    }

    /** The index of the indicators of {@code indicators} active at {@code activeAt}. */
    public static IndicatorIndex of(Iterable<Indicator> indicators, Instant activeAt) {
        Builder builder = builder(activeAt);
        indicators.forEach(builder::add);
        return builder.build();
    }

    /** The instant the index holds the active indicators of. */
    public Instant activeAt() {
        return activeAt;
    }

    /** How many indicators it holds. */
    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** How many indicators of each type it holds (types it has none of are absent). */
    public Map<IndicatorType, Integer> countsByType() {
        Map<IndicatorType, Integer> counts = new EnumMap<>(IndicatorType.class);
        for (IndicatorType type : IndicatorType.values()) {
            if (countsByType[type.ordinal()] > 0) {
                counts.put(type, countsByType[type.ordinal()]);
            }
        }
        return counts;
    }

    /** The bytes its arrays take, without object headers; the benchmark measures the heap too. */
    public long arrayBytes() {
        return data.length + 4L * offsets.length + types.length + 8L * ordinals.length
                + 8L * Arrays.stream(blooms).mapToLong(b -> b.length).sum()
                + ipv4Networks.bytes() + ipv6Networks.bytes();
    }

    /** The indicator of an ordinal reported by a match, 0 to {@code size() - 1}. */
    public Indicator indicator(int ordinal) {
        return decode(data, offsets[ordinal], IndicatorType.byOrdinal(types[ordinal]), id -> shared[id]);
    }

    /** The indicator stored at {@code offset}, with the provenance it shares with indicators like it. */
    private static Indicator decode(byte[] data, int offset, IndicatorType type,
            java.util.function.IntFunction<Provenance> shared) {
        int[] at = {offset};
        int length = readVarint(data, at);
        String value = valueText(data, type, at[0], length);
        at[0] += length;
        Provenance context = shared.apply(readVarint(data, at));
        int presence = data[at[0]++];
        Instant firstSeen = (presence & 1) != 0 ? readInstant(data, at) : null;
        Instant lastSeen = (presence & 2) != 0 ? readInstant(data, at) : null;
        Instant validFrom = (presence & 4) != 0 ? readInstant(data, at) : null;
        Instant validUntil = (presence & 8) != 0 ? readInstant(data, at) : null;
        int sourceCount = readVarint(data, at);
        List<String> sourceIds = new ArrayList<>(sourceCount);
        for (int i = 0; i < sourceCount; i++) {
            int n = readVarint(data, at);
            sourceIds.add(new String(data, at[0], n, StandardCharsets.UTF_8));
            at[0] += n;
        }
        return new Indicator(type, value, new Provenance(context.feeds(), context.confidence(), firstSeen, lastSeen,
                validFrom, validUntil, context.tags(), context.actors(), context.campaigns(), context.techniques(),
                sourceIds));
    }

    /**
     * The indicators a value matches, whatever kind of value it is: an IP address (also with a port), a domain, a URL,
     * an e-mail address or a digest; innermost networks and exact names first. Allocates; for ingest, see
     * {@link IocDetector}.
     */
    public List<Indicator> match(String value) {
        requireNonNull(value, "value is null");
        LinkedHashSet<Integer> ordinals = new LinkedHashSet<>();
        ObservableScanner.scanValue(this, value, (ordinal, from, to) -> ordinals.add(ordinal));
        return ordinals.stream().map(this::indicator).toList();
    }

    // --- lookups (ordinals to the consumer; no allocation unless a URL is normalized) -----------------------------

    void lookupIpv4(long address, IntConsumer hits) {
        long key = Fingerprints.ipv4(address);
        if (mayContain(IndicatorType.IPV4, key)) {
            int fingerprint = fingerprint(key);
            for (int slot = slot(key), ordinal; (ordinal = ordinals[slot]) >= 0; slot = next(slot)) {
                if (fingerprints[slot] == fingerprint && types[ordinal] == IndicatorType.IPV4.ordinal()
                        && addressEquals(ordinal, address)) {
                    hits.accept(ordinal);
                    break;
                }
            }
        }
        if (!ipv4Networks.isEmpty()) {
            ipv4Networks.lookup(0, address, hits);
        }
    }

    void lookupIpv6(long high, long low, IntConsumer hits) {
        long key = Fingerprints.ipv6(high, low);
        if (mayContain(IndicatorType.IPV6, key)) {
            int fingerprint = fingerprint(key);
            for (int slot = slot(key), ordinal; (ordinal = ordinals[slot]) >= 0; slot = next(slot)) {
                if (fingerprints[slot] == fingerprint && types[ordinal] == IndicatorType.IPV6.ordinal()
                        && addressEquals(ordinal, high, low)) {
                    hits.accept(ordinal);
                    break;
                }
            }
        }
        if (!ipv6Networks.isEmpty()) {
            ipv6Networks.lookup(high, low, hits);
        }
    }

    /**
     * Looks up a domain in {@code s[from, to)} (any case, no trailing dot) and every parent domain of two or more
     * labels.
     */
    void lookupDomain(char[] s, int from, int to, IntConsumer hits) {
        if (countsByType[IndicatorType.DOMAIN.ordinal()] == 0) {
            return;
        }
        long hash = Fingerprints.seed(IndicatorType.DOMAIN);
        int i = to - 1;
        while (i >= from && s[i] != '.') {
            hash = Fingerprints.backStep(hash, s[i--]);
        }
        // most dotted words of logs are file names (svchost.exe, ntdll.dll) or local names (corp.local): their last
        // label is no indicator's top-level domain, which a table of a few hundred entries tells at once
        if (i <= from || !topLevelDomains.contains(Fingerprints.key(hash))) {
            return;
        }
        boolean dotSeen = false;
        for (; i >= from; i--) {
            char c = s[i];
            if (c == '.') {
                if (dotSeen) {
                    // a parent domain of two labels or more starts just after this dot
                    probeText(Fingerprints.key(hash), IndicatorType.DOMAIN, s, i + 1, to, true, hits);
                }
                dotSeen = true;
            }
            hash = Fingerprints.backStep(hash, c);
        }
        probeText(Fingerprints.key(hash), IndicatorType.DOMAIN, s, from, to, true, hits);
    }

    /** Looks up an e-mail address in {@code s[from, to)} (any case), and its domain. */
    void lookupEmail(char[] s, int from, int to, IntConsumer hits) {
        if (countsByType[IndicatorType.EMAIL.ordinal()] > 0) {
            long key = Fingerprints.key(Fingerprints.forwardLower(Fingerprints.seed(IndicatorType.EMAIL), s, from, to));
            probeText(key, IndicatorType.EMAIL, s, from, to, true, hits);
        }
        for (int i = to - 1; i > from; i--) {
            if (s[i] == '@') {
                lookupDomain(s, i + 1, to, hits);
                break;
            }
        }
    }

    /** Looks up a hex digest in {@code s[from, to)} of 32, 40, 64 or 128 digits, any case. */
    void lookupDigest(char[] s, int from, int to, IntConsumer hits) {
        IndicatorType type = IndicatorType.hashOfLength(to - from);
        if (type == null || countsByType[type.ordinal()] == 0) {
            return;
        }
        long key = Fingerprints.key(Fingerprints.forwardLower(Fingerprints.seed(type), s, from, to));
        if (!mayContain(type, key)) {
            return;
        }
        int fingerprint = fingerprint(key);
        for (int slot = slot(key), ordinal; (ordinal = ordinals[slot]) >= 0; slot = next(slot)) {
            if (fingerprints[slot] == fingerprint && types[ordinal] == type.ordinal()
                    && digestEquals(ordinal, s, from, to)) {
                hits.accept(ordinal);
                return;
            }
        }
    }

    /** Whether the index holds URLs at all (normalizing one allocates). */
    boolean hasUrls() {
        return countsByType[IndicatorType.URL.ordinal()] > 0;
    }

    /** Looks up a URL in normal form, and without its query. */
    void lookupNormalUrl(String text, IntConsumer hits) {
        char[] url = text.toCharArray();
        int start = IndicatorValues.urlKeyStart(text);
        probeUrl(url, start, url.length, hits);
        int question = text.indexOf('?');
        if (question > 0) {
            probeUrl(url, start, question, hits);
        }
    }

    private void probeUrl(char[] url, int from, int to, IntConsumer hits) {
        long key = Fingerprints.key(Fingerprints.forwardExact(Fingerprints.seed(IndicatorType.URL), url, from, to));
        probeText(key, IndicatorType.URL, url, from, to, false, hits);
    }

    private void probeText(long key, IndicatorType type, char[] s, int from, int to, boolean lowerCase,
            IntConsumer hits) {
        if (!mayContain(type, key)) {
            return;
        }
        int fingerprint = fingerprint(key);
        for (int slot = slot(key), ordinal; (ordinal = ordinals[slot]) >= 0; slot = next(slot)) {
            if (fingerprints[slot] == fingerprint && types[ordinal] == type.ordinal()
                    && textEquals(ordinal, type, s, from, to, lowerCase)) {
                hits.accept(ordinal);
                return;
            }
        }
    }

    // --- the table ----------------------------------------------------------------------------------------------

    /** The home slot of a key: its low 32 bits scaled to the capacity (no power-of-two rounding needed). */
    private int slot(long key) {
        return (int) (((key & 0xFFFF_FFFFL) * ordinals.length) >>> 32);
    }

    private int next(int slot) {
        return slot + 1 == ordinals.length ? 0 : slot + 1;
    }

    private static int fingerprint(long key) {
        return (int) (key >>> 32);
    }

    private static int bloomWord(long[] bloom, long key) {
        return (int) (((key >>> 32) * bloom.length) >>> 32);
    }

    private static long bloomBits(long key) {
        return 1L << key | 1L << (key >>> 6) | 1L << (key >>> 12);
    }

    /** False when the value is certainly not in the table; one cache line, usually in the processor's cache. */
    private boolean mayContain(IndicatorType type, long key) {
        long[] bloom = blooms[type.ordinal()];
        long bits = bloomBits(key);
        return (bloom[bloomWord(bloom, key)] & bits) == bits;
    }

    // --- stored values ------------------------------------------------------------------------------------------

    private boolean textEquals(int ordinal, IndicatorType type, char[] s, int from, int to, boolean lowerCase) {
        int[] at = {offsets[ordinal]};
        int length = readVarint(at);
        int start = at[0];
        if (type == IndicatorType.URL) { // compared from where the key starts
            int skip = urlKeyStart(start, length);
            start += skip;
            length -= skip;
        }
        if (length != to - from) { // equal only if the stored value has characters of several bytes
            return !isAscii(start, length) && decodedEquals(start, length, s, from, to, lowerCase);
        }
        for (int i = 0; i < length; i++) {
            byte b = data[start + i];
            if (b < 0) {
                return decodedEquals(start, length, s, from, to, lowerCase);
            }
            char c = s[from + i];
            if ((char) b != (lowerCase ? Fingerprints.lower(c) : c)) {
                return false;
            }
        }
        return true;
    }

    private int urlKeyStart(int start, int length) {
        if (length > 7 && data[start] == 'h' && data[start + 1] == 't' && data[start + 2] == 't'
                && data[start + 3] == 'p') {
            return data[start + 4] == ':' ? 4 : data[start + 4] == 's' && data[start + 5] == ':' ? 5 : 0;
        }
        return 0;
    }

    private boolean isAscii(int start, int length) {
        for (int i = 0; i < length; i++) {
            if (data[start + i] < 0) {
                return false;
            }
        }
        return true;
    }

    private boolean decodedEquals(int start, int length, char[] s, int from, int to, boolean lowerCase) {
        String stored = new String(data, start, length, StandardCharsets.UTF_8);
        if (stored.length() != to - from) {
            return false;
        }
        for (int i = 0; i < stored.length(); i++) {
            char c = s[from + i];
            if (stored.charAt(i) != (lowerCase ? Fingerprints.lower(c) : c)) {
                return false;
            }
        }
        return true;
    }

    private boolean digestEquals(int ordinal, char[] s, int from, int to) {
        int[] at = {offsets[ordinal]};
        int length = readVarint(at);
        if (length * 2 != to - from) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            int high = IndicatorValues.hex(s[from + 2 * i]);
            int low = IndicatorValues.hex(s[from + 2 * i + 1]);
            if (high < 0 || low < 0 || (byte) (high << 4 | low) != data[at[0] + i]) {
                return false;
            }
        }
        return true;
    }

    private boolean addressEquals(int ordinal, long address) {
        int[] at = {offsets[ordinal]};
        readVarint(at);
        return readUnsigned32(data, at[0]) == address;
    }

    private boolean addressEquals(int ordinal, long high, long low) {
        int[] at = {offsets[ordinal]};
        readVarint(at);
        return readLong(at[0]) == high && readLong(at[0] + 8) == low;
    }

    private long readLong(int at) {
        return readLong(data, at);
    }

    private static long readLong(byte[] data, int at) {
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value = value << 8 | (data[at + i] & 0xFF);
        }
        return value;
    }

    private static String valueText(byte[] data, IndicatorType type, int start, int length) {
        return switch (type) {
            case MD5, SHA1, SHA256, SHA512 -> {
                char[] hex = new char[length * 2];
                for (int i = 0; i < length; i++) {
                    hex[2 * i] = Character.forDigit((data[start + i] >> 4) & 0xF, 16);
                    hex[2 * i + 1] = Character.forDigit(data[start + i] & 0xF, 16);
                }
                yield new String(hex);
            }
            case IPV4 -> IndicatorValues.formatIpv4(readUnsigned32(data, start));
            case IPV6 -> IndicatorValues.formatIpv6(readLong(data, start), readLong(data, start + 8));
            case CIDR -> length == 5 ? IndicatorValues.formatIpv4(readUnsigned32(data, start)) + "/" + data[start + 4]
                    : IndicatorValues.formatIpv6(readLong(data, start), readLong(data, start + 8)) + "/"
                            + (data[start + 16] & 0xFF);
            case DOMAIN, URL, EMAIL -> new String(data, start, length, StandardCharsets.UTF_8);
        };
    }

    private static long readUnsigned32(byte[] data, int at) {
        return ((long) (data[at] & 0xFF) << 24) | ((data[at + 1] & 0xFF) << 16) | ((data[at + 2] & 0xFF) << 8)
                | (data[at + 3] & 0xFF);
    }

    private int readVarint(int[] at) {
        return readVarint(data, at);
    }

    private static int readVarint(byte[] data, int[] at) {
        int value = 0;
        int shift = 0;
        while (true) {
            byte b = data[at[0]++];
            value |= (b & 0x7F) << shift;
            if (b >= 0) {
                return value;
            }
            shift += 7;
        }
    }

    private static long readVarlong(byte[] data, int[] at) {
        long value = 0;
        int shift = 0;
        while (true) {
            byte b = data[at[0]++];
            value |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return value;
            }
            shift += 7;
        }
    }

    private static Instant readInstant(byte[] data, int[] at) {
        long zigzag = readVarlong(data, at);
        long seconds = (zigzag >>> 1) ^ -(zigzag & 1);
        int nanos = readVarint(data, at);
        return Instant.ofEpochSecond(seconds, nanos);
    }

    /**
     * Builds an index. Indicators not active at the builder's instant are left out; an indicator added twice (same
     * type and value) is merged. Confined to one thread.
     */
    public static final class Builder {
        private final Instant activeAt;
        private byte[] data = new byte[1 << 12];
        private int dataLength;
        private int[] offsets = new int[256];
        private byte[] types = new byte[256];
        private final Map<Provenance, Integer> sharedIds = new HashMap<>();
        private final List<Provenance> sharedList = new ArrayList<>();
        private long[] keys = new long[1024];
        private int[] slots = new int[1024];
        private int size;
        private final int[] countsByType = new int[IndicatorType.values().length];
        private final List<long[]> networks = new ArrayList<>(); // {high, low, prefix(of 128), ordinal, v6}
        private final LongSet topLevelDomains = new LongSet();
        private boolean built;

        private Builder(Instant activeAt) {
            this.activeAt = requireNonNull(activeAt, "activeAt is null");
        }

        /**
         * Adds an indicator if it is active at the builder's instant.
         *
         * @return whether it was added (or merged into one added before)
         */
        public boolean add(Indicator indicator) {
            requireNonNull(indicator, "indicator is null");
            if (built) {
                throw new IllegalStateException("the index was built already");
            }
            if (!indicator.provenance().isActiveAt(activeAt)) {
                return false;
            }
            IndicatorType type = indicator.type();
            String value = indicator.value();
            byte[] stored;
            long key;
            long[] network = null;
            switch (type) {
                case IPV4 -> {
                    long address = IndicatorValues.ipv4(value);
                    stored = bytes(address, 4);
                    key = Fingerprints.ipv4(address);
                }
                case IPV6 -> {
                    long[] v6 = new long[2];
                    if (!IndicatorValues.parseIpv6(value, v6)) {
                        throw new IllegalArgumentException("not an IPv6 address in normal form: " + value);
                    }
                    stored = concat(bytes(v6[0], 8), bytes(v6[1], 8));
                    key = Fingerprints.ipv6(v6[0], v6[1]);
                }
                case CIDR -> {
                    int slash = value.indexOf('/');
                    int prefix = Integer.parseInt(value.substring(slash + 1));
                    String address = value.substring(0, slash);
                    long v4 = IndicatorValues.ipv4(address);
                    if (v4 >= 0) {
                        stored = concat(bytes(v4, 4), new byte[] {(byte) prefix});
                        key = Fingerprints.network(false, v4, 0, prefix);
                        network = new long[] {0, v4, 96 + prefix, 0, 0};
                    } else {
                        long[] v6 = new long[2];
                        if (!IndicatorValues.parseIpv6(address, v6)) {
                            throw new IllegalArgumentException("not a network in normal form: " + value);
                        }
                        stored = concat(concat(bytes(v6[0], 8), bytes(v6[1], 8)), new byte[] {(byte) prefix});
                        key = Fingerprints.network(true, v6[0], v6[1], prefix);
                        network = new long[] {v6[0], v6[1], prefix, 0, 1};
                    }
                }
                case MD5, SHA1, SHA256, SHA512 -> {
                    stored = new byte[value.length() / 2];
                    for (int i = 0; i < stored.length; i++) {
                        stored[i] = (byte) (IndicatorValues.hex(value.charAt(2 * i)) << 4
                                | IndicatorValues.hex(value.charAt(2 * i + 1)));
                    }
                    key = Fingerprints.key(Fingerprints.forwardLower(Fingerprints.seed(type), value, 0, value.length()));
                }
                case DOMAIN -> {
                    stored = value.getBytes(StandardCharsets.UTF_8);
                    long hash = Fingerprints.seed(IndicatorType.DOMAIN);
                    int lastDot = value.lastIndexOf('.');
                    for (int i = value.length() - 1; i >= 0; i--) {
                        if (i == lastDot) {
                            topLevelDomains.add(Fingerprints.key(hash));
                        }
                        hash = Fingerprints.backStep(hash, value.charAt(i));
                    }
                    key = Fingerprints.key(hash);
                }
                case URL -> {
                    stored = value.getBytes(StandardCharsets.UTF_8);
                    key = Fingerprints.key(Fingerprints.forwardExact(Fingerprints.seed(IndicatorType.URL), value,
                            IndicatorValues.urlKeyStart(value), value.length()));
                }
                case EMAIL -> {
                    stored = value.getBytes(StandardCharsets.UTF_8);
                    key = Fingerprints.key(Fingerprints.forwardLower(Fingerprints.seed(type), value, 0, value.length()));
                }
                default -> throw new IllegalStateException(type.toString());
            }
            int existing = find(key, type, stored);
            if (existing >= 0) {
                Indicator merged = decode(data, offsets[existing], type, sharedList::get)
                        .merge(indicator);
                offsets[existing] = append(stored, merged.provenance());
                return true;
            }
            ensureCapacity();
            int ordinal = size++;
            offsets[ordinal] = append(stored, indicator.provenance());
            types[ordinal] = (byte) type.ordinal();
            countsByType[type.ordinal()]++;
            insert(key, ordinal);
            if (network != null) {
                network[3] = ordinal;
                networks.add(network);
            }
            return true;
        }

        public IndicatorIndex build() {
            built = true;
            return new IndicatorIndex(this);
        }

        NetworkRanges networks(boolean v6) {
            List<long[]> selected = networks.stream().filter(n -> (n[4] == 1) == v6).toList();
            int count = selected.size();
            long[] high = new long[count];
            long[] low = new long[count];
            int[] prefix = new int[count];
            int[] ordinal = new int[count];
            for (int i = 0; i < count; i++) {
                long[] n = selected.get(i);
                high[i] = n[0];
                low[i] = n[1];
                prefix[i] = (int) n[2];
                ordinal[i] = (int) n[3];
            }
            return NetworkRanges.of(high, low, prefix, ordinal, count);
        }

        private int find(long key, IndicatorType type, byte[] stored) {
            int mask = keys.length - 1;
            for (int slot = (int) key & mask; keys[slot] != 0; slot = (slot + 1) & mask) {
                int ordinal = slots[slot];
                if (keys[slot] == key && types[ordinal] == type.ordinal() && storedEquals(ordinal, stored)) {
                    return ordinal;
                }
            }
            return -1;
        }

        private boolean storedEquals(int ordinal, byte[] stored) {
            int at = offsets[ordinal];
            int length = 0;
            int shift = 0;
            while (true) {
                byte b = data[at++];
                length |= (b & 0x7F) << shift;
                if (b >= 0) {
                    break;
                }
                shift += 7;
            }
            return length == stored.length && Arrays.equals(data, at, at + length, stored, 0, length);
        }

        private void insert(long key, int ordinal) {
            if (size > keys.length * MAX_LOAD) {
                rehash(keys.length * 2);
            }
            int mask = keys.length - 1;
            int slot = (int) key & mask;
            while (keys[slot] != 0) {
                slot = (slot + 1) & mask;
            }
            keys[slot] = key;
            slots[slot] = ordinal;
        }

        private void rehash(int capacity) {
            long[] oldKeys = keys;
            int[] oldSlots = slots;
            keys = new long[capacity];
            slots = new int[capacity];
            int mask = capacity - 1;
            for (int i = 0; i < oldKeys.length; i++) {
                if (oldKeys[i] != 0) {
                    int slot = (int) oldKeys[i] & mask;
                    while (keys[slot] != 0) {
                        slot = (slot + 1) & mask;
                    }
                    keys[slot] = oldKeys[i];
                    slots[slot] = oldSlots[i];
                }
            }
        }

        private void ensureCapacity() {
            if (size == offsets.length) {
                int capacity = offsets.length * 2;
                offsets = Arrays.copyOf(offsets, capacity);
                types = Arrays.copyOf(types, capacity);
            }
        }

        private int context(Provenance provenance) {
            Provenance context = new Provenance(provenance.feeds(), provenance.confidence(), null, null, null, null,
                    provenance.tags(), provenance.actors(), provenance.campaigns(), provenance.techniques(), List.of());
            Integer id = sharedIds.get(context);
            if (id == null) {
                id = sharedList.size();
                sharedIds.put(context, id);
                sharedList.add(context);
            }
            return id;
        }

        /** Appends a record (value, times, source ids) and returns where it starts. */
        private int append(byte[] value, Provenance provenance) {
            int start = dataLength;
            writeVarlong(value.length);
            write(value);
            writeVarlong(context(provenance));
            int presence = (provenance.firstSeen() != null ? 1 : 0) | (provenance.lastSeen() != null ? 2 : 0)
                    | (provenance.validFrom() != null ? 4 : 0) | (provenance.validUntil() != null ? 8 : 0);
            write(new byte[] {(byte) presence});
            for (Instant instant : new Instant[] {provenance.firstSeen(), provenance.lastSeen(), provenance.validFrom(),
                    provenance.validUntil()}) {
                if (instant != null) {
                    long seconds = instant.getEpochSecond();
                    writeVarlong((seconds << 1) ^ (seconds >> 63));
                    writeVarlong(instant.getNano());
                }
            }
            writeVarlong(provenance.sourceIds().size());
            for (String id : provenance.sourceIds()) {
                byte[] bytes = id.getBytes(StandardCharsets.UTF_8);
                writeVarlong(bytes.length);
                write(bytes);
            }
            return start;
        }

        private void write(byte[] bytes) {
            if (dataLength + bytes.length > data.length) {
                long capacity = Math.max((long) data.length * 2, (long) dataLength + bytes.length);
                if (capacity > Integer.MAX_VALUE - 16) {
                    throw new IllegalStateException("the index outgrew 2 GB of values");
                }
                data = Arrays.copyOf(data, (int) capacity);
            }
            System.arraycopy(bytes, 0, data, dataLength, bytes.length);
            dataLength += bytes.length;
        }

        private void writeVarlong(long value) {
            byte[] buffer = new byte[10];
            int n = 0;
            while ((value & ~0x7FL) != 0) {
                buffer[n++] = (byte) ((value & 0x7F) | 0x80);
                value >>>= 7;
            }
            buffer[n++] = (byte) value;
            write(Arrays.copyOf(buffer, n));
        }

        private static byte[] bytes(long value, int count) {
            byte[] out = new byte[count];
            for (int i = count - 1; i >= 0; i--) {
                out[i] = (byte) value;
                value >>>= 8;
            }
            return out;
        }

        private static byte[] concat(byte[] a, byte[] b) {
            byte[] out = Arrays.copyOf(a, a.length + b.length);
            System.arraycopy(b, 0, out, a.length, b.length);
            return out;
        }
    }
}
