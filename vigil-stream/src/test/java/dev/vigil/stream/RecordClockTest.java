package dev.vigil.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

/** The record clock reads the record's time, in whatever zone a parser asks for it. */
class RecordClockTest {
    @Test
    void aViewInAnotherZoneReadsTheSameRecordTimeAndFollowsTheNextRecord() {
        RecordClock clock = new RecordClock();
        Clock berlin = clock.withZone(ZoneId.of("Europe/Berlin"));
        clock.set(Instant.parse("2026-11-29T10:00:00Z").toEpochMilli());
        assertThat(ZonedDateTime.now(berlin).toString()).startsWith("2026-11-29T11:00+01:00");
        clock.set(Instant.parse("2026-06-01T10:00:00Z").toEpochMilli());
        assertThat(berlin.instant()).isEqualTo(Instant.parse("2026-06-01T10:00:00Z"));
        assertThat(berlin.withZone(ZoneId.of("UTC")).getZone()).isEqualTo(ZoneId.of("UTC"));
    }
}
