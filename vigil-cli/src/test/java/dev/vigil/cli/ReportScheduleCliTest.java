package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.cli.CliTesting.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vigil report schedule ...} on the demo tenant: a weekly SOC report scheduled to a folder, ticked on Monday at
 * 08:00, listed, its runs shown, removed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReportScheduleCliTest {
    /**
     * The first Monday 08:00 UTC the schedule added now is due at: a schedule is due from the slot after it was
     * added, so the test's slots follow the clock it runs under.
     */
    private static final java.time.ZonedDateTime SLOT = java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC)
            .with(java.time.temporal.TemporalAdjusters.next(java.time.DayOfWeek.MONDAY)).withHour(8).withMinute(0)
            .withSecond(0).withNano(0);
    private static final String MONDAY_EIGHT = SLOT.toInstant().toString();
    /** The slot as the command prints it: {@code 2026-11-30 08:00:00 UTC}. */
    private static final String MONDAY_EIGHT_TEXT = SLOT.toLocalDate() + " 08:00:00 UTC";

    @TempDir
    static Path data;

    @TempDir
    static Path reports;

    @BeforeAll
    static void seedTheDemo() {
        Run demo = CliTesting.vigil(data, "demo", "--no-serve", "--scale", "0.05", "--as-of", "2026-11-29", "--json");
        assertThat(demo.exit()).as(demo.toString()).isZero();
    }

    /** Runs {@code vigil report schedule ARGS --tenant demo --data DATA}. */
    static Run schedule(String... args) {
        List<String> all = new ArrayList<>(List.of("report", "schedule"));
        all.addAll(List.of(args));
        all.addAll(List.of("--tenant", "demo"));
        return CliTesting.vigil(data, all.toArray(String[]::new));
    }

    @Test
    @Order(1)
    void aBadCronExpressionIsRefusedNamingTheField() {
        Run run = schedule("add", "weekly", "--cron", "0 25 * * MON", "--template", "weekly-soc", "--to-folder",
                reports.toString());

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("the hour field '25' is not valid (Value 25 not in range [0, 23])",
                "The hour field takes 0-23");
    }

    @Test
    @Order(2)
    void anEmailWithoutItsServerAndAnUnknownTemplateAreRefused() {
        Run noServer = schedule("add", "weekly", "--cron", "0 8 * * MON", "--template", "weekly-soc", "--to-email",
                "ciso@example.com");
        assertThat(noServer.exit()).isEqualTo(2);
        assertThat(noServer.err()).contains("--to-email needs --smtp-host and --from");

        Run noTemplate = schedule("add", "weekly", "--cron", "0 8 * * MON", "--template", "weekly-sock",
                "--to-folder", reports.toString());
        assertThat(noTemplate.exit()).isEqualTo(3);
        assertThat(noTemplate.err()).contains("there is no report template 'weekly-sock'");

        Run badPeriod = schedule("add", "weekly", "--cron", "0 8 * * MON", "--template", "weekly-soc", "--param",
                "perod=7d", "--to-folder", reports.toString());
        assertThat(badPeriod.exit()).isEqualTo(2);
        assertThat(badPeriod.err()).contains("'perod' is not a report parameter");

        assertThat(schedule("list").out()).contains("has no report schedule");
    }

    @Test
    @Order(3)
    void aWeeklyReportIsScheduledAndListed() {
        Run add = schedule("add", "monday-soc", "--cron", "0 8 * * MON", "--template", "weekly-soc", "--param",
                "period=7d", "--format", "pdf", "--to-folder", reports.toString());
        assertThat(add.exit()).as(add.toString()).isZero();
        assertThat(add.out()).contains("Scheduled report 'monday-soc': weekly-soc as pdf, 0 8 * * MON, to folder "
                + reports);

        Run list = schedule("list");
        assertThat(list.out()).contains("monday-soc", "0 8 * * MON", "weekly-soc", "pdf", "folder " + reports);
        Run json = schedule("list", "--json");
        assertThat(json.json().at("/schedules/0/destinations/0/type").asString()).isEqualTo("folder");
        assertThat(json.json().at("/schedules/0/parameters/period").asString()).isEqualTo("7d");
        assertThat(json.json().at("/schedules/0/last_run").isNull()).isTrue();
    }

    @Test
    @Order(4)
    void tickMakesTheReportOnceAtItsSlotAndDeliversIt() throws Exception {
        Run early = schedule("tick", "--now", SLOT.minusMinutes(1).toInstant().toString());
        assertThat(early.out()).contains("No report schedule was due at " + SLOT.toLocalDate() + " 07:59:00 UTC (next:"
                + " monday-soc at " + MONDAY_EIGHT_TEXT + ").");

        Run tick = schedule("tick", "--now", MONDAY_EIGHT);
        assertThat(tick.exit()).as(tick.toString()).isZero();
        assertThat(tick.out()).contains("Running 'monday-soc' for " + MONDAY_EIGHT_TEXT + "…", "  delivered (",
                "Ran 1 report schedule at " + MONDAY_EIGHT_TEXT + ": 1 delivered, 0 failed or partly delivered.");
        List<Path> files;
        try (Stream<Path> listed = Files.list(reports)) {
            files = listed.toList();
        }
        assertThat(files).singleElement().satisfies(file -> {
            assertThat(file.getFileName().toString()).endsWith(".pdf");
            assertThat(Files.readString(file, java.nio.charset.StandardCharsets.ISO_8859_1)).startsWith("%PDF-");
        });

        Run again = schedule("tick", "--now", SLOT.plusMinutes(5).toInstant().toString(), "--json");
        assertThat(again.json().get("runs").size()).isZero();
        assertThat(again.json().at("/not_due/monday-soc").asString()).isEqualTo(SLOT.plusWeeks(1).toInstant()
                .toString());
    }

    @Test
    @Order(5)
    void theRunIsRecordedWithItsDelivery() {
        Run runs = schedule("runs", "monday-soc");
        assertThat(runs.exit()).as(runs.toString()).isZero();
        assertThat(runs.out()).contains(MONDAY_EIGHT_TEXT, "delivered", ".pdf", "ok folder " + reports);

        Run json = schedule("runs", "monday-soc", "--json");
        assertThat(json.json().at("/runs/0/outcome").asString()).isEqualTo("delivered");
        assertThat(json.json().at("/runs/0/deliveries/0/delivered").asBoolean()).isTrue();
        assertThat(schedule("list").out()).contains(MONDAY_EIGHT_TEXT + "  delivered");
    }

    @Test
    @Order(6)
    void removingAScheduleKeepsItsRuns() {
        assertThat(schedule("remove", "monday-soc").out()).contains("Removed report schedule 'monday-soc'.");
        Run again = schedule("remove", "monday-soc");
        assertThat(again.exit()).isEqualTo(3);
        assertThat(again.err()).contains("has no report schedule 'monday-soc'", "vigil report schedule list");
        assertThat(schedule("runs", "monday-soc").out()).contains("delivered");
    }
}
