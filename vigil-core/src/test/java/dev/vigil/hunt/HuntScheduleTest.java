package dev.vigil.hunt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.vigil.model.VigilException;
import dev.vigil.query.TimeWindow;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("A scheduled query's due time, window and options")
class HuntScheduleTest {
    private static final Instant CREATED = Instant.parse("2024-05-01T00:00:00Z");

    static HuntSchedule schedule(Duration every, Duration lookback, Instant lastRun) {
        return new HuntSchedule("encoded-ps", every, lookback, "high", "", List.of(), Duration.ZERO, List.of(), 1,
                Map.of(), "carol", CREATED, lastRun);
    }

    @Test
    void isDueWhenNeverRun() {
        assertThat(schedule(Duration.ofHours(1), Duration.ofHours(1), null).isDue(CREATED)).isTrue();
    }

    @ParameterizedTest(name = "last run 12:00, every 1h, now {0}: due {1}")
    @CsvSource({"2024-05-01T12:59:59Z, false", "2024-05-01T13:00:00Z, true", "2024-05-01T15:30:00Z, true",
            "2024-05-01T12:00:00Z, false"})
    void isDueOnceTheIntervalHasPassedSinceTheLastRun(String now, boolean due) {
        HuntSchedule schedule = schedule(Duration.ofHours(1), Duration.ofHours(1), Instant.parse("2024-05-01T12:00:00Z"));

        assertThat(schedule.isDue(Instant.parse(now))).isEqualTo(due);
        assertThat(schedule.nextRunAt(Instant.parse(now))).isEqualTo(Instant.parse("2024-05-01T13:00:00Z"));
    }

    @Test
    void readsTheLookbackBeforeTheRun() {
        TimeWindow window = schedule(Duration.ofHours(1), Duration.ofHours(2), null).window(Instant.parse("2024-05-01T13:00:00Z"));

        assertThat(window).isEqualTo(new TimeWindow(Instant.parse("2024-05-01T11:00:00Z"), Instant.parse("2024-05-01T13:00:00Z")));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({"1h, PT1H", "30m, PT30M", "1d, PT24H", "90s, PT1M30S", "0, PT0S", "1.5h, PT1H30M"})
    void parsesDurations(String text, String expected) {
        assertThat(HuntSchedule.duration("--every", text)).isEqualTo(Duration.parse(expected));
    }

    @Test
    void formatsDurationsAsPeopleWriteThem() {
        assertThat(HuntSchedule.format(Duration.ofHours(24))).isEqualTo("1d");
        assertThat(HuntSchedule.format(Duration.ofMinutes(90))).isEqualTo("90m");
        assertThat(HuntSchedule.format(Duration.ofHours(2))).isEqualTo("2h");
        assertThat(HuntSchedule.format(Duration.ZERO)).isEqualTo("0");
    }

    @Test
    void refusesOptionsOutOfRangeNamingThem() {
        assertThat(catchThrowableOfType(VigilException.class, () -> HuntSchedule.duration("--every", "often")))
                .hasMessage("--every 'often' is not a duration");
        assertThat(catchThrowableOfType(VigilException.class, () -> schedule(Duration.ofSeconds(10), Duration.ofHours(1), null)))
                .hasMessageStartingWith("--every PT10S is out of range");
        assertThat(catchThrowableOfType(VigilException.class, () -> new HuntSchedule("q", Duration.ofHours(1),
                Duration.ofHours(1), "severe", "", List.of(), Duration.ZERO, List.of(), 1, Map.of(), "x", CREATED, null)))
                .hasMessage("unknown severity 'severe'");
        assertThat(catchThrowableOfType(VigilException.class, () -> new HuntSchedule("q", Duration.ofHours(1),
                Duration.ofHours(1), "high", "", List.of("1059"), Duration.ZERO, List.of(), 1, Map.of(), "x", CREATED, null)))
                .hasMessage("'1059' is not an ATT&CK technique id");
        assertThat(catchThrowableOfType(VigilException.class, () -> new HuntSchedule("q", Duration.ofHours(1),
                Duration.ofHours(1), "high", "", List.of(), Duration.ZERO, List.of(), 0, Map.of(), "x", CREATED, null)))
                .hasMessage("--threshold must be at least 1, not 0");
    }

    @ParameterizedTest(name = "''{0}'' is refused")
    @CsvSource({"1abc", "a b", "'a/b'", "''", "x;drop"})
    void refusesQueryNamesThatAreNotPlain(String name) {
        assertThat(catchThrowableOfType(VigilException.class, () -> SavedQuery.checkName(name)))
                .hasMessageContaining("is not a valid query name");
    }

    @Test
    void acceptsPlainQueryNames() {
        assertThat(SavedQuery.checkName("encoded-ps_v2.1")).isEqualTo("encoded-ps_v2.1");
    }
}
