package dev.vigil.stream;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock that reads the time of the record being processed, so that what the parsers and the normalizer take from
 * "now" (the time of a record that has none, the year of a BSD syslog line) is the same however often, and wherever,
 * the record is processed. Confined to the processor's thread.
 */
final class RecordClock extends Clock {
    private long millis;

    void set(long epochMillis) {
        this.millis = epochMillis;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("the record clock is UTC");
    }

    @Override
    public long millis() {
        return millis;
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis);
    }
}
