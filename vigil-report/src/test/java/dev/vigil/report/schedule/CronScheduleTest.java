package dev.vigil.report.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.model.ErrorCode;
import dev.vigil.model.VigilException;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CronScheduleTest {
    private static Instant at(String instant) {
        return Instant.parse(instant);
    }

    @Test
    void mondaysAtEightRunOnMondaysAtEight() {
        CronSchedule cron = CronSchedule.parse("0 8 * * MON", "UTC");

        // 2026-11-30 is a Monday
        assertThat(cron.nextAfter(at("2026-11-29T12:00:00Z"))).contains(at("2026-11-30T08:00:00Z"));
        assertThat(cron.nextAfter(at("2026-11-30T08:00:00Z"))).contains(at("2026-12-07T08:00:00Z"));
        assertThat(cron.latestAtOrBefore(at("2026-11-30T08:00:00Z"))).contains(at("2026-11-30T08:00:00Z"));
        assertThat(cron.latestAtOrBefore(at("2026-11-30T07:59:59.999Z"))).contains(at("2026-11-23T08:00:00Z"));
        assertThat(cron.latestAtOrBefore(at("2026-12-03T10:00:00Z"))).contains(at("2026-11-30T08:00:00Z"));
    }

    @Test
    void hoursAreInTheScheduleZone() {
        CronSchedule paris = CronSchedule.parse("0 8 * * *", "Europe/Paris");

        assertThat(paris.nextAfter(at("2026-11-30T00:00:00Z"))).contains(at("2026-11-30T07:00:00Z")); // CET, UTC+1
        assertThat(paris.nextAfter(at("2026-07-01T00:00:00Z"))).contains(at("2026-07-01T06:00:00Z")); // CEST, UTC+2
        assertThat(paris).hasToString("0 8 * * * (Europe/Paris)");
    }

    @Test
    void stepsListsRangesAndSundayAsSevenWork() {
        assertThat(CronSchedule.parse("*/15 * * * *", null).nextAfter(at("2026-11-30T08:01:00Z")))
                .contains(at("2026-11-30T08:15:00Z"));
        assertThat(CronSchedule.parse("30 6 1,15 * *", "UTC").nextAfter(at("2026-11-30T00:00:00Z")))
                .contains(at("2026-12-01T06:30:00Z"));
        assertThat(CronSchedule.parse("0 9 * * 1-5", "UTC").nextAfter(at("2026-12-04T10:00:00Z"))) // a Friday
                .contains(at("2026-12-07T09:00:00Z"));
        assertThat(CronSchedule.parse("0 8 * * 7", "UTC").nextAfter(at("2026-11-30T00:00:00Z")))
                .contains(at("2026-12-06T08:00:00Z"));
        assertThat(CronSchedule.parse("  0   8 * *  MON ", "UTC").expression()).isEqualTo("0 8 * * MON");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            61 8 * * *    | cron expression '61 8 * * *': the minute field '61' is not valid (Value 61 not in range [0, 59])
            0 24 * * *    | cron expression '0 24 * * *': the hour field '24' is not valid (Value 24 not in range [0, 23])
            0 8 32 * *    | cron expression '0 8 32 * *': the day-of-month field '32' is not valid (Value 32 not in range [1, 31])
            0 8 * 13 *    | cron expression '0 8 * 13 *': the month field '13' is not valid (Value 13 not in range [1, 12])
            0 8 * * FOO   | cron expression '0 8 * * FOO': the day-of-week field 'FOO' is not valid (Invalid chars in expression! Expression: FOO Invalid chars: FOO)
            0 8 * *       | cron expression '0 8 * *' has 4 fields; it needs 5: minute hour day-of-month month day-of-week
            0 0 8 * * MON | cron expression '0 0 8 * * MON' has 6 fields; it needs 5: minute hour day-of-month month day-of-week
            0 0 31 2 *    | cron expression '0 0 31 2 *' names no day that exists (such as 31 February)
            """)
    void badExpressionsNameTheFieldAtFault(String expression, String message) {
        assertThatThrownBy(() -> CronSchedule.parse(expression, "UTC")).isInstanceOf(VigilException.class)
                .hasMessage(message)
                .satisfies(e -> assertThat(((VigilException) e).code()).isEqualTo(ErrorCode.REPORT_SCHEDULE_INVALID));
    }

    @Test
    void anEmptyExpressionAndAnUnknownZoneAreNamed() {
        assertThatThrownBy(() -> CronSchedule.parse("", "UTC")).hasMessageContaining("has 0 fields");
        assertThatThrownBy(() -> CronSchedule.parse("0 8 * * *", "Mars/Olympus"))
                .hasMessage("unknown time zone 'Mars/Olympus'");
    }
}
