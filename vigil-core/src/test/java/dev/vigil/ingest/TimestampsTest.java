package dev.vigil.ingest;

import static dev.vigil.ingest.ParserTesting.micros;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class TimestampsTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "2024-05-01T10:00:00Z                | 2024-05-01T10:00:00Z",
        "2024-05-01t10:00:00z                | 2024-05-01T10:00:00Z",
        "2024-05-01 10:00:00Z                | 2024-05-01T10:00:00Z",
        "2024-05-01T10:00:00.1Z              | 2024-05-01T10:00:00.100Z",
        "2024-05-01T10:00:00,25Z             | 2024-05-01T10:00:00.250Z",
        "2024-05-01T10:00:00.123456Z         | 2024-05-01T10:00:00.123456Z",
        "2024-05-01T10:00:00.1234567Z        | 2024-05-01T10:00:00.123456Z",
        "2024-05-01T10:00:00.123456789Z      | 2024-05-01T10:00:00.123456Z",
        "2024-05-01T10:00:00.1234567891234Z  | 2024-05-01T10:00:00.123456Z",
        "2024-05-01T12:00:00+02:00           | 2024-05-01T10:00:00Z",
        "2024-05-01T12:00:00+0200            | 2024-05-01T10:00:00Z",
        "2024-05-01T12:00:00+02              | 2024-05-01T10:00:00Z",
        "2024-05-01T05:30:00.5-04:30         | 2024-05-01T10:00:00.500Z",
        "2024-05-01 10:00:00 UTC             | 2024-05-01T10:00:00Z",
        "2024-05-01T10:00:00                 | 2024-05-01T10:00:00Z",
        "2016-12-31T23:59:60Z                | 2016-12-31T23:59:59Z",
        "  2024-05-01T10:00:00Z              | 2024-05-01T10:00:00Z",
        "'Wed, 1 May 2024 10:00:00 GMT'      | 2024-05-01T10:00:00Z",
        "'Wed, 1 May 2024 12:00:00 +0200'    | 2024-05-01T10:00:00Z",
        "2024-05-01T10:00:00Z[Europe/Paris]  | 2024-05-01T10:00:00Z",
        "5/1/2024 10:00:00 AM                | 2024-05-01T10:00:00Z",
        "01/May/2024:12:00:00 +0200          | 2024-05-01T10:00:00Z",
        "1714557600                          | 2024-05-01T10:00:00Z",
        "1714557600123                       | 2024-05-01T10:00:00.123Z",
        "1714557600123456                    | 2024-05-01T10:00:00.123456Z",
        "1714557600123456789                 | 2024-05-01T10:00:00.123456Z",
        "1714557600.5                        | 2024-05-01T10:00:00.500Z",
    })
    void parsesTheShapesSecurityLogsUse(String text, String expected) {
        assertThat(Timestamps.parseMicros(text)).isEqualTo(micros(expected));
    }

    @Test
    void aTimestampWithoutAZoneIsReadInTheDefaultZone() {
        assertThat(Timestamps.parseMicros("2024-05-01T12:00:00", ZoneOffset.ofHours(2)))
                .isEqualTo(micros("2024-05-01T10:00:00Z"));
        assertThat(Timestamps.parseMicros("2024-01-15 12:00:00.25", ZoneId.of("Europe/Paris")))
                .isEqualTo(micros("2024-01-15T11:00:00.250Z"));
        assertThat(Timestamps.parseMicros("2024-07-15T12:00:00", ZoneId.of("Europe/Paris")))
                .isEqualTo(micros("2024-07-15T10:00:00Z"));
    }

    @Test
    void anExplicitZoneWinsOverTheDefaultZone() {
        assertThat(Timestamps.parseMicros("2024-05-01T10:00:00Z", ZoneId.of("America/New_York")))
                .isEqualTo(micros("2024-05-01T10:00:00Z"));
    }

    @ParameterizedTest(name = "''{0}''")
    @NullSource
    @ValueSource(strings = {"", "   ", "garbage", "yesterday at noon", "2024-13-01T10:00:00Z",
        "2024-02-30T10:00:00Z", "2024-05-01T24:00:00Z", "2024-05-01T10:61:00Z", 
        "2024-05-01T10:00:00+25:00", "2024-05-01T10:00:00 nonsense", "12345", "1.2.3", "-1714557600",
        "2024-05-01X10:00:00Z", "99999999999999999999999999999", "\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008"})
    void anythingElseIsUnknownTimeAndNeverThrows(String text) {
        assertThat(Timestamps.parseMicros(text)).isEqualTo(ParsedRecord.UNKNOWN_TIME);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(value = {"100000000, 1973-03-03T09:46:40Z", "1e11, 1973-03-03T09:46:40Z", "1e14, 1973-03-03T09:46:40Z",
        "1e17, 1973-03-03T09:46:40Z"})
    void epochNumbersAreToldApartByMagnitude(double value, String expected) {
        assertThat(Timestamps.fromEpochNumber(value)).isEqualTo(micros(expected));
    }

    @Test
    void tooSmallEpochNumbersAreNotTimes() {
        assertThat(Timestamps.fromEpochNumber(99_999_999)).isEqualTo(ParsedRecord.UNKNOWN_TIME);
        assertThat(Timestamps.fromEpochNumber(0)).isEqualTo(ParsedRecord.UNKNOWN_TIME);
    }

    @Test
    void formatWritesIsoUtc() {
        assertThat(Timestamps.format(micros("2024-05-01T10:00:00.123456Z"))).isEqualTo("2024-05-01T10:00:00.123456Z");
        assertThat(Timestamps.format(micros("1969-12-31T23:59:59.5Z"))).isEqualTo("1969-12-31T23:59:59.500Z");
    }
}
