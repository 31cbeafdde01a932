package dev.vigil.intel.ioc;

import java.util.Arrays;

/**
 * The networks (CIDR blocks) of an index, flattened into sorted, disjoint ranges, each knowing the innermost block
 * that covers it; a block knows the block it is nested in. Blocks are either nested or disjoint, so one binary search
 * finds the innermost block around an address, and the parent links give every other block around it. Addresses are
 * 128-bit (IPv4 as the low 32 bits), compared unsigned.
 */
final class NetworkRanges {
    private static final NetworkRanges EMPTY = new NetworkRanges(new long[0], new long[0], new int[0], new int[0],
            new int[0]);

    private final long[] startHigh;
    private final long[] startLow;
    /** For IPv4 only: the starts as {@code address ^ 0x80000000}, so that signed order is address order. */
    private final int[] start32;
    /**
     * For IPv4 only: by the top 16 bits of an address, the first range starting in its /16, so that a lookup
     * searches the few ranges of one /16 rather than all (one cache line instead of a dozen).
     */
    private final int[] bucket;
    /** The innermost block covering each range, as an index into {@link #ordinals}, or -1 for a gap. */
    private final int[] owner;
    private final int[] ordinals;
    private final int[] parent;

    private NetworkRanges(long[] startHigh, long[] startLow, int[] owner, int[] ordinals, int[] parent) {
        boolean ipv4 = true;
        for (int i = 0; i < startHigh.length && ipv4; i++) {
            ipv4 = startHigh[i] == 0 && (startLow[i] >>> 32) == 0;
        }
        if (ipv4) {
            this.start32 = new int[startLow.length];
            for (int i = 0; i < startLow.length; i++) {
                start32[i] = (int) startLow[i] ^ 0x8000_0000;
            }
            this.startHigh = null;
            this.startLow = null;
            this.bucket = startLow.length == 0 ? null : new int[(1 << 16) + 1];
            int i = 0;
            for (int top = 0; bucket != null && top <= 1 << 16; top++) {
                while (i < startLow.length && (startLow[i] >>> 16) < top) {
                    i++;
                }
                bucket[top] = i;
            }
        } else {
            this.bucket = null;
            this.start32 = null;
            this.startHigh = startHigh;
            this.startLow = startLow;
        }
        this.owner = owner;
        this.ordinals = ordinals;
        this.parent = parent;
    }

    static NetworkRanges empty() {
        return EMPTY;
    }

    boolean isEmpty() {
        return ordinals.length == 0;
    }

    int size() {
        return ordinals.length;
    }

    /**
     * Builds the ranges of blocks given as parallel arrays of their first address, prefix length (of 128) and
     * indicator ordinal; the blocks are distinct.
     */
    static NetworkRanges of(long[] high, long[] low, int[] prefix, int[] ordinal, int count) {
        if (count == 0) {
            return EMPTY;
        }
        Integer[] order = new Integer[count];
        for (int i = 0; i < count; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> {
            int c = Long.compareUnsigned(high[a], high[b]);
            if (c == 0) {
                c = Long.compareUnsigned(low[a], low[b]);
            }
            return c != 0 ? c : Integer.compare(prefix[a], prefix[b]);
        });
        int[] ordinals = new int[count];
        int[] parent = new int[count];
        long[] endHigh = new long[count];
        long[] endLow = new long[count];
        Emitter emitter = new Emitter(count * 2 + 1);
        int[] stack = new int[129];
        int depth = 0;
        for (int rank = 0; rank < count; rank++) {
            int i = order[rank];
            ordinals[rank] = ordinal[i];
            long[] end = end(high[i], low[i], prefix[i]);
            endHigh[rank] = end[0];
            endLow[rank] = end[1];
            while (depth > 0 && less(endHigh[stack[depth - 1]], endLow[stack[depth - 1]], high[i], low[i])) {
                int closed = stack[--depth];
                emitter.after(endHigh[closed], endLow[closed], depth > 0 ? stack[depth - 1] : -1);
            }
            parent[rank] = depth > 0 ? stack[depth - 1] : -1;
            stack[depth++] = rank;
            emitter.at(high[i], low[i], rank);
        }
        while (depth > 0) {
            int closed = stack[--depth];
            emitter.after(endHigh[closed], endLow[closed], depth > 0 ? stack[depth - 1] : -1);
        }
        return new NetworkRanges(Arrays.copyOf(emitter.high, emitter.size), Arrays.copyOf(emitter.low, emitter.size),
                Arrays.copyOf(emitter.owner, emitter.size), ordinals, parent);
    }

    private static final class Emitter {
        long[] high;
        long[] low;
        int[] owner;
        int size;

        Emitter(int capacity) {
            high = new long[capacity];
            low = new long[capacity];
            owner = new int[capacity];
        }

        void at(long h, long l, int rank) {
            if (size > 0 && high[size - 1] == h && low[size - 1] == l) {
                owner[size - 1] = rank;
                return;
            }
            high[size] = h;
            low[size] = l;
            owner[size] = rank;
            size++;
        }

        /** The range after an address ends: from address + 1, unless it is the last address. */
        void after(long h, long l, int rank) {
            if (h == -1L && l == -1L) {
                return;
            }
            long nextLow = l + 1;
            long nextHigh = nextLow == 0 ? h + 1 : h;
            at(nextHigh, nextLow, rank);
        }
    }

    private static long[] end(long high, long low, int prefix) {
        if (prefix >= 128) {
            return new long[] {high, low};
        }
        if (prefix >= 64) {
            return new long[] {high, low | (prefix == 64 ? -1L : (-1L >>> (prefix - 64)))};
        }
        return new long[] {high | (prefix == 0 ? -1L : (-1L >>> prefix)), -1L};
    }

    private static boolean less(long ah, long al, long bh, long bl) {
        int c = Long.compareUnsigned(ah, bh);
        return c < 0 || c == 0 && Long.compareUnsigned(al, bl) < 0;
    }

    /** Calls {@code hits} with the ordinal of every block containing the address, innermost first. */
    void lookup(long high, long low, java.util.function.IntConsumer hits) {
        int found = start32 != null ? find32(high, low) : find(high, low);
        if (found < 0) {
            return;
        }
        for (int rank = owner[found]; rank >= 0; rank = parent[rank]) {
            hits.accept(ordinals[rank]);
        }
    }

    /** The last range starting at or before the address, or -1. */
    private int find32(long high, long low) {
        if (high != 0 || (low >>> 32) != 0 || bucket == null) {
            return -1;
        }
        int key = (int) low ^ 0x8000_0000;
        int top = (int) (low >>> 16);
        // the answer is the last range starting at or before the address: in this /16, or the one before it
        int lo = Math.max(0, bucket[top] - 1);
        int hi = bucket[top + 1] - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (key < start32[mid]) {
                hi = mid - 1;
            } else {
                found = mid;
                lo = mid + 1;
            }
        }
        return found;
    }

    private int find(long high, long low) {
        int lo = 0;
        int hi = startHigh.length - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (less(high, low, startHigh[mid], startLow[mid])) {
                hi = mid - 1;
            } else {
                found = mid;
                lo = mid + 1;
            }
        }
        return found;
    }

    long bytes() {
        return (start32 != null ? 4L * start32.length + (bucket == null ? 0 : 4L * bucket.length)
                : 16L * startHigh.length)
                + 4L * owner.length + 8L * ordinals.length;
    }
}
