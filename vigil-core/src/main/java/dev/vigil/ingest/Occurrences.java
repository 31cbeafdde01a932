package dev.vigil.ingest;

import java.util.LinkedHashMap;
import java.util.Map;
import net.openhft.hashing.LongHashFunction;

/**
 * Counts byte-identical records within one source, so that each gets its own occurrence number and so its own
 * {@link dev.vigil.model.EventId}: two equal syslog lines in the same second are two events, while the same record
 * re-read from the same file maps to the same id. The count looks back over the last 65,536 distinct records, which
 * bounds memory whatever the source's size. Confined to one thread; use one per source.
 */
public final class Occurrences {
    private static final int WINDOW = 65_536;
    private static final LongHashFunction RAW_HASH = LongHashFunction.xx3();

    private final Map<Long, Integer> seen = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Integer> eldest) {
            return size() > WINDOW;
        }
    };

    /** The occurrence number of a record to store: 0 the first time these bytes are seen, then 1, 2, ... */
    public int next(byte[] raw) {
        return seen.merge(RAW_HASH.hashBytes(raw), 1, Integer::sum) - 1;
    }

    /** The occurrence number of a record to quarantine, whose bytes may be the prefix of a longer record. */
    public int nextRefused(byte[] raw, long fullLength) {
        return seen.merge(RAW_HASH.hashBytes(raw) ^ fullLength, 1, Integer::sum) - 1;
    }
}
