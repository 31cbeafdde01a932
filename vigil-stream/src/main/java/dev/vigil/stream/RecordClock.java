package dev.vigil.stream;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock that reads the time of the record being processed, so that what the parsers and the normalizer take from
 * "now" (the time of a record that has none, the year of a BSD syslog line) is the same however often, and wherever,
 * the record is processed. Confined to the processor's thread, as are its views in other zones.
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

    /** The same record time, seen in another zone: it follows what {@link #set} is given afterwards too. */
    @Override
    public Clock withZone(ZoneId zone) {
        RecordClock records = this;
        return new Clock() {
            @Override
            public ZoneId getZone() {
                return zone;
            }

            @Override
            public Clock withZone(ZoneId other) {
                return records.withZone(other);
            }

            @Override
            public long millis() {
                return records.millis();
            }

            @Override
            public Instant instant() {
                return records.instant();
            }
        };
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
