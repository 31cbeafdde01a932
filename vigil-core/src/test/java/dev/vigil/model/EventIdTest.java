package dev.vigil.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EventIdTest {
    private static final TenantId ACME = TenantId.of("acme");
    private static final long TIME = 1_714_557_600_123L;

    private static byte[] raw(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void theSameRecordAlwaysGetsTheSameId() {
        assertThat(EventId.derive(ACME, TIME, raw("{\"a\":1}"), 0)).isEqualTo(EventId.derive(ACME, TIME, raw("{\"a\":1}"), 0));
    }

    @Test
    void theIdDiffersByTenantByOccurrenceAndByRaw() {
        EventId base = EventId.derive(ACME, TIME, raw("line"), 0);

        assertThat(EventId.derive(TenantId.of("globex"), TIME, raw("line"), 0)).isNotEqualTo(base);
        assertThat(EventId.derive(ACME, TIME, raw("line"), 1)).isNotEqualTo(base);
        assertThat(EventId.derive(ACME, TIME, raw("line "), 0)).isNotEqualTo(base);
    }

    @Test
    void theTopBitsAreTheTimeInMillisSoIdsSortByTime() {
        EventId earlier = EventId.derive(ACME, TIME, raw("zzz"), 7);
        EventId later = EventId.derive(ACME, TIME + 1, raw("aaa"), 0);

        assertThat(earlier.mostSignificantBits() >>> 16).isEqualTo(TIME);
        assertThat(earlier).isLessThan(later);
        assertThat(EventId.derive(ACME, 0xFFFF_FFFF_FFFFL, raw("x"), 0))
                .isGreaterThan(EventId.derive(ACME, 0x7FFF_FFFF_FFFFL, raw("x"), 0));
    }

    @Test
    void aNegativeTimeIsClampedToTheEpoch() {
        assertThat(EventId.derive(ACME, -5, raw("x"), 0).mostSignificantBits() >>> 16).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a", "{\"EventID\":4624}", "long text long text long text long text long text"})
    void itIsAVersion7UuidWithTheRfcVariant(String text) {
        UUID uuid = EventId.derive(ACME, TIME, raw(text), 3).toUuid();

        assertThat(uuid.version()).isEqualTo(7);
        assertThat(uuid.variant()).isEqualTo(2);
    }

    @Test
    void itRoundTripsThroughItsText() {
        EventId id = EventId.derive(ACME, TIME, raw("x"), 0);

        assertThat(EventId.parse(id.toString())).isEqualTo(id);
        assertThat(id.toString()).matches("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    }
}
