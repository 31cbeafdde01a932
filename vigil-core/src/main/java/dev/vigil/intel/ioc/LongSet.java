package dev.vigil.intel.ioc;

import java.util.Arrays;

/** A small open-addressing set of non-zero longs (keys of {@link Fingerprints}), for lookups from the L1 cache. */
final class LongSet {
    private long[] slots = new long[16];
    private int size;

    void add(long key) {
        if (contains(key)) {
            return;
        }
        if (++size * 2 > slots.length) {
            long[] old = slots;
            slots = new long[old.length * 2];
            Arrays.stream(old).filter(k -> k != 0).forEach(this::insert);
        }
        insert(key);
    }

    private void insert(long key) {
        int mask = slots.length - 1;
        int slot = (int) key & mask;
        while (slots[slot] != 0) {
            slot = (slot + 1) & mask;
        }
        slots[slot] = key;
    }

    boolean contains(long key) {
        int mask = slots.length - 1;
        for (int slot = (int) key & mask; slots[slot] != 0; slot = (slot + 1) & mask) {
            if (slots[slot] == key) {
                return true;
            }
        }
        return false;
    }

    int size() {
        return size;
    }
}
