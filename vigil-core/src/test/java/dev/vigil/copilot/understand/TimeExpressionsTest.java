package dev.vigil.copilot.understand;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.copilot.TimeRange;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Time expressions, verbatim, against a fixed now: Sunday 29 November 2026, 15:30 UTC. Each row is a question, the
 * words read as its time range, and the range, {@code from .. to} (to exclusive).
 */
class TimeExpressionsTest {
    private static final Instant NOW = Instant.parse("2026-11-29T15:30:00Z");

    static Stream<Arguments> inUtc() {
        return Stream.of(
                // Rolling, ending now
                row("failed logons last 24 hours", "last 24 hours", "2026-11-28T15:30:00Z .. 2026-11-29T15:30:00Z"),
                row("logons in the past 7 days", "in the past 7 days", "2026-11-22T15:30:00Z .. 2026-11-29T15:30:00Z"),
                row("anything in the last hour?", "in the last hour", "2026-11-29T14:30:00Z .. 2026-11-29T15:30:00Z"),
                row("alerts last 30 minutes", "last 30 minutes", "2026-11-29T15:00:00Z .. 2026-11-29T15:30:00Z"),
                row("last three days", "last three days", "2026-11-26T15:30:00Z .. 2026-11-29T15:30:00Z"),
                row("past few days", "past few days", "2026-11-26T15:30:00Z .. 2026-11-29T15:30:00Z"),
                row("over the last couple of hours", "over the last couple of hours",
                        "2026-11-29T13:30:00Z .. 2026-11-29T15:30:00Z"),
                row("the past week", "the past week", "2026-11-22T15:30:00Z .. 2026-11-29T15:30:00Z"),
                row("last 3 months", "last 3 months", "2026-08-29T15:30:00Z .. 2026-11-29T15:30:00Z"),
                row("last 24h", "last 24h", "2026-11-28T15:30:00Z .. 2026-11-29T15:30:00Z"),
                row("failed logons jdoe 24h", "24h", "2026-11-28T15:30:00Z .. 2026-11-29T15:30:00Z"),
                row("procs on ws5 7d", "7d", "2026-11-22T15:30:00Z .. 2026-11-29T15:30:00Z"),
                row("dns 90m", "90m", "2026-11-29T14:00:00Z .. 2026-11-29T15:30:00Z"),
                // Calendar periods
                row("what happened today", "today", "2026-11-29T00:00:00Z .. 2026-11-29T15:30:00Z"),
                row("logons yesterday", "yesterday", "2026-11-28T00:00:00Z .. 2026-11-29T00:00:00Z"),
                row("alerts this week", "this week", "2026-11-23T00:00:00Z .. 2026-11-29T15:30:00Z"),
                row("alerts last week", "last week", "2026-11-16T00:00:00Z .. 2026-11-23T00:00:00Z"),
                row("incidents this month", "this month", "2026-11-01T00:00:00Z .. 2026-11-29T15:30:00Z"),
                row("incidents last month", "last month", "2026-10-01T00:00:00Z .. 2026-11-01T00:00:00Z"),
                // Since, ending now
                row("new services since Monday", "since Monday", "2026-11-23T00:00:00Z .. 2026-11-29T15:30:00Z"),
                row("since yesterday", "since yesterday", "2026-11-28T00:00:00Z .. 2026-11-29T15:30:00Z"),
                row("since 2026-11-20", "since 2026-11-20", "2026-11-20T00:00:00Z .. 2026-11-29T15:30:00Z"),
                row("since Nov 20", "since Nov 20", "2026-11-20T00:00:00Z .. 2026-11-29T15:30:00Z"),
                row("since 2pm", "since 2pm", "2026-11-29T14:00:00Z .. 2026-11-29T15:30:00Z"),
                // Days
                row("what ran on 2026-11-20", "on 2026-11-20", "2026-11-20T00:00:00Z .. 2026-11-21T00:00:00Z"),
                row("what ran on Nov 20", "on Nov 20", "2026-11-20T00:00:00Z .. 2026-11-21T00:00:00Z"),
                row("on 20th November 2026", "on 20th November 2026", "2026-11-20T00:00:00Z .. 2026-11-21T00:00:00Z"),
                row("on Dec 25", "on Dec 25", "2025-12-25T00:00:00Z .. 2025-12-26T00:00:00Z"),
                row("logons on Monday", "on Monday", "2026-11-23T00:00:00Z .. 2026-11-24T00:00:00Z"),
                row("logons last Friday", "last Friday", "2026-11-27T00:00:00Z .. 2026-11-28T00:00:00Z"),
                row("from Nov 20 to Nov 22", "from Nov 20 to Nov 22", "2026-11-20T00:00:00Z .. 2026-11-23T00:00:00Z"),
                row("between 2026-11-20 and 2026-11-22", "between 2026-11-20 and 2026-11-22",
                        "2026-11-20T00:00:00Z .. 2026-11-23T00:00:00Z"),
                // Hours
                row("logons between 2 and 4 pm", "between 2 and 4 pm", "2026-11-29T14:00:00Z .. 2026-11-29T16:00:00Z"),
                row("yesterday between 2 and 4 pm", "yesterday between 2 and 4 pm",
                        "2026-11-28T14:00:00Z .. 2026-11-28T16:00:00Z"),
                row("between 14:00 and 16:30", "between 14:00 and 16:30",
                        "2026-11-29T14:00:00Z .. 2026-11-29T16:30:00Z"),
                row("between 11 and 1 pm", "between 11 and 1 pm", "2026-11-29T11:00:00Z .. 2026-11-29T13:00:00Z"),
                row("from 9am to 5pm on Nov 20", "from 9am to 5pm on Nov 20",
                        "2026-11-20T09:00:00Z .. 2026-11-20T17:00:00Z"),
                row("between 10 pm and 2 am", "between 10 pm and 2 am", "2026-11-29T22:00:00Z .. 2026-11-30T02:00:00Z"),
                row("yesterday after 6pm", "yesterday after 6pm", "2026-11-28T18:00:00Z .. 2026-11-29T00:00:00Z"),
                // Parts of days
                row("anything over the weekend", "over the weekend", "2026-11-28T00:00:00Z .. 2026-11-29T15:30:00Z"),
                row("last weekend", "last weekend", "2026-11-21T00:00:00Z .. 2026-11-23T00:00:00Z"),
                row("what happened last night", "last night", "2026-11-28T18:00:00Z .. 2026-11-29T06:00:00Z"),
                row("logons this morning", "this morning", "2026-11-29T00:00:00Z .. 2026-11-29T12:00:00Z"),
                row("this afternoon", "this afternoon", "2026-11-29T12:00:00Z .. 2026-11-29T15:30:00Z"),
                row("yesterday morning", "yesterday morning", "2026-11-28T00:00:00Z .. 2026-11-28T12:00:00Z"),
                // Case and the first expression
                row("LAST 24 HOURS", "LAST 24 HOURS", "2026-11-28T15:30:00Z .. 2026-11-29T15:30:00Z"),
                row("today, compared with yesterday", "today", "2026-11-29T00:00:00Z .. 2026-11-29T15:30:00Z"));
    }

    private static Arguments row(String text, String read, String range) {
        return Arguments.of(text, read, range);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("inUtc")
    void resolvesInUtc(String text, String read, String range) {
        Optional<TimeExpressions.Match> match = TimeExpressions.find(text, NOW, ZoneOffset.UTC);

        assertThat(match).isPresent();
        assertThat(match.get().range().text()).isEqualTo(read);
        assertThat(describe(match.get().range())).isEqualTo(range);
        assertThat(text.substring(match.get().start(), match.get().end())).contains(read.split(" ")[0]);
    }

    static Stream<Arguments> inOtherZones() {
        return Stream.of(
                // New York is at 10:30 on Sunday: its days start at 05:00 UTC.
                Arguments.of("America/New_York", "today", "2026-11-29T05:00:00Z .. 2026-11-29T15:30:00Z"),
                Arguments.of("America/New_York", "yesterday", "2026-11-28T05:00:00Z .. 2026-11-29T05:00:00Z"),
                Arguments.of("America/New_York", "since Monday", "2026-11-23T05:00:00Z .. 2026-11-29T15:30:00Z"),
                Arguments.of("America/New_York", "between 2 and 4 pm", "2026-11-29T19:00:00Z .. 2026-11-29T21:00:00Z"),
                // Tokyo is already at 00:30 on Monday: "since Monday" is since its midnight, "yesterday" Sunday.
                Arguments.of("Asia/Tokyo", "since Monday", "2026-11-29T15:00:00Z .. 2026-11-29T15:30:00Z"),
                Arguments.of("Asia/Tokyo", "yesterday", "2026-11-28T15:00:00Z .. 2026-11-29T15:00:00Z"),
                Arguments.of("Asia/Tokyo", "last week", "2026-11-22T15:00:00Z .. 2026-11-29T15:00:00Z"),
                Arguments.of("Asia/Tokyo", "last 24 hours", "2026-11-28T15:30:00Z .. 2026-11-29T15:30:00Z"));
    }

    @ParameterizedTest(name = "{1} in {0}")
    @MethodSource("inOtherZones")
    void resolvesInTheAnalystsZone(String zone, String text, String range) {
        assertThat(TimeExpressions.parse(text, NOW, ZoneId.of(zone))).get().extracting(TimeExpressionsTest::describe)
                .isEqualTo(range);
    }

    @ParameterizedTest
    @ValueSource(strings = {"top 5 hosts", "between 2 and 4 hosts", "may 2 hosts be isolated?", "ran for 3h",
        "longer than 2d", "version 10.0.19041", "procs on ws5 touching lsass", "the last step",
        "T1003.001 on WS-24H", "no time here"})
    void findsNoTimeIn(String text) {
        assertThat(TimeExpressions.parse(text, NOW, ZoneOffset.UTC)).isEmpty();
    }

    private static String describe(TimeRange range) {
        return range.from() + " .. " + range.to();
    }
}
