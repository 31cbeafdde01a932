package dev.vigil.model;

import java.util.UUID;
import net.openhft.hashing.LongHashFunction;
import net.openhft.hashing.LongTupleHashFunction;

/**
 * The stable identity of a stored event, which answers cite as evidence. It is derived from the record itself, not
 * assigned, so ingesting the same record twice yields the same id and the store keeps it once.
 *
 * <p>The layout is that of a version-7 UUID: the top 48 bits are the event time in Unix milliseconds, so ids sort
 * and cluster by time (which keeps the duplicate check in the store to the time range of a batch), and the remaining
 * 74 bits are an XXH3-128 hash of the raw bytes, seeded by the tenant and the record's occurrence number. The occurrence
 * number tells apart byte-identical records within one source (two equal syslog lines in the same second are two
 * events), while the same record re-read from the same or another file maps to the same id.
 */
public record EventId(long mostSignificantBits, long leastSignificantBits) implements Comparable<EventId> {
    public static EventId derive(TenantId tenant, long timeMillis, byte[] raw, int occurrence) {
        long seed = LongHashFunction.xx3().hashChars(tenant.value()) * 31 + occurrence;
        long[] hash = LongTupleHashFunction.xx128(seed).hashBytes(raw);
        long millis = Math.max(0, timeMillis) & 0xFFFF_FFFF_FFFFL;
        long most = (millis << 16) | 0x7000L | (hash[0] & 0x0FFFL);
        long least = (hash[1] & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new EventId(most, least);
    }

    public static EventId parse(String text) {
        UUID uuid = UUID.fromString(text);
        return new EventId(uuid.getMostSignificantBits(), uuid.getLeastSignificantBits());
    }

    public UUID toUuid() {
        return new UUID(mostSignificantBits, leastSignificantBits);
    }

    @Override
    public int compareTo(EventId other) {
        int c = Long.compareUnsigned(mostSignificantBits, other.mostSignificantBits);
        return c != 0 ? c : Long.compareUnsigned(leastSignificantBits, other.leastSignificantBits);
    }

    @Override
    public String toString() {
        return toUuid().toString();
    }
}
