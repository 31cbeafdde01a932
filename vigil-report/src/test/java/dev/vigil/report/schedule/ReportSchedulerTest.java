package dev.vigil.report.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.ErrorCode;
import dev.vigil.model.TenantId;
import dev.vigil.model.VigilException;
import dev.vigil.report.build.RenderedReport;
import dev.vigil.report.build.ReportMaker;
import dev.vigil.report.delivery.Delivery;
import dev.vigil.report.delivery.DeliveryResult;
import dev.vigil.report.delivery.Destination;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportSchedulerTest {
    private static final TenantId TENANT = TenantId.of("acme");
    private static final Instant CREATED = Instant.parse("2026-11-25T12:00:00Z");
    private static final Instant MONDAY_EIGHT = Instant.parse("2026-11-30T08:00:00Z");

    @TempDir
    Path data;

    private ReportSchedules schedules;
    /** Each report made, as "template params format". */
    private final List<String> made = new CopyOnWriteArrayList<>();
    /** Each delivery, as "destination: file". */
    private final List<String> delivered = new CopyOnWriteArrayList<>();

    /** A report maker that writes down what it was asked for and makes a small document from it. */
    private final ReportMaker maker = (tenant, template, params, format) -> {
        made.add(tenant + " " + template + " " + params + " " + format);
        if (template.equals("missing")) {
            throw new VigilException(ErrorCode.USAGE, "no template 'missing'", "Run vigil report --list.", null);
        }
        return new RenderedReport("Weekly SOC report", template + "-" + tenant + ".pdf", "application/pdf",
                ("%PDF " + params).getBytes(StandardCharsets.UTF_8));
    };

    /** Delivers to folders and webhooks; a webhook on host "down.example" fails. */
    private DeliveryResult deliver(Destination destination, RenderedReport report) {
        delivered.add(destination.describe() + ": " + report.fileName());
        boolean down = destination instanceof Destination.Webhook webhook && webhook.url().getHost().equals(
                "down.example");
        return new DeliveryResult(destination.describe(), !down, down ? "HTTP 503" : "ok", 1);
    }

    private ReportScheduler scheduler() {
        return new ReportScheduler(schedules, maker, destination -> (report, context) -> deliver(destination, report),
                Clock.fixed(MONDAY_EIGHT, ZoneOffset.UTC));
    }

    private static ReportSchedule schedule(String name, String cron, String template, Destination... destinations) {
        return new ReportSchedule(name, CronSchedule.parse(cron, "UTC"), template, Map.of("period", "7d"), "pdf",
                List.of(destinations), "alice", CREATED, null);
    }

    private Destination.Folder folder() {
        return new Destination.Folder(data.resolve("out"));
    }

    @BeforeEach
    void setUp() {
        schedules = new ReportSchedules(data, TENANT);
    }

    @Test
    void aScheduleRunsAtItsSlotWithTheSlotAsTheReportsTime() {
        schedules.put(schedule("weekly", "0 8 * * MON", "weekly-soc", folder()));

        ReportScheduler.Tick before = scheduler().tick(MONDAY_EIGHT.minusSeconds(60));
        assertThat(before.runs()).isEmpty();
        assertThat(before.notDue()).containsEntry("weekly", MONDAY_EIGHT);

        ReportScheduler.Tick tick = scheduler().tick(MONDAY_EIGHT.plusSeconds(20));
        assertThat(tick.runs()).singleElement().satisfies(run -> {
            assertThat(run.slot()).isEqualTo(MONDAY_EIGHT);
            assertThat(run.outcome()).isEqualTo(ScheduleRun.Outcome.DELIVERED);
            assertThat(run.fileName()).isEqualTo("weekly-soc-acme.pdf");
            assertThat(run.deliveries()).extracting(DeliveryResult::delivered).containsExactly(true);
        });
        assertThat(made).containsExactly("acme weekly-soc {as-of=2026-11-30T08:00:00Z, period=7d} pdf");
        assertThat(tick.notDue()).isEmpty();
    }

    @Test
    void aSlotRunsOnceHoweverOftenItTicks() {
        schedules.put(schedule("weekly", "0 8 * * MON", "weekly-soc", folder()));

        scheduler().tick(MONDAY_EIGHT);
        scheduler().tick(MONDAY_EIGHT.plusSeconds(30));
        // a new scheduler over the same files: the claim was written to disk
        new ReportScheduler(new ReportSchedules(data, TENANT), maker, d -> (r, c) -> deliver(d, r),
                Clock.systemUTC()).tick(MONDAY_EIGHT.plusSeconds(3600));

        assertThat(made).hasSize(1);
        assertThat(schedules.find("weekly").orElseThrow().lastSlot()).isEqualTo(MONDAY_EIGHT);
    }

    @Test
    void slotsMissedWhileDownAreMadeUpOnceForTheLatest() {
        schedules.put(schedule("daily", "0 6 * * *", "executive", folder()));

        ReportScheduler.Tick tick = scheduler().tick(Instant.parse("2026-12-03T09:00:00Z"));

        assertThat(tick.runs()).singleElement()
                .satisfies(run -> assertThat(run.slot()).isEqualTo(Instant.parse("2026-12-03T06:00:00Z")));
        assertThat(made).hasSize(1);
    }

    @Test
    void aNewScheduleDoesNotFireForASlotBeforeItExisted() {
        // created on Wednesday at noon; that day's 06:00 slot had passed
        schedules.put(schedule("daily", "0 6 * * *", "executive", folder()));

        assertThat(scheduler().tick(CREATED.plusSeconds(60)).runs()).isEmpty();
        assertThat(scheduler().tick(Instant.parse("2026-11-26T06:00:00Z")).runs()).hasSize(1);
    }

    @Test
    void everyDestinationGetsTheReportAndAFailingOneMakesTheRunPartial() {
        schedules.put(schedule("weekly", "0 8 * * MON", "weekly-soc", folder(),
                Destination.Webhook.of("https://down.example/hook", ""),
                Destination.Webhook.of("https://soar.example/hook", "")));

        ScheduleRun run = scheduler().tick(MONDAY_EIGHT).runs().getFirst();

        assertThat(delivered).hasSize(3);
        assertThat(run.outcome()).isEqualTo(ScheduleRun.Outcome.PARTIAL);
        assertThat(run.deliveries()).extracting(DeliveryResult::detail).containsExactly("ok", "HTTP 503", "ok");
        assertThat(run.failed()).isTrue();
    }

    @Test
    void aReportThatCannotBeMadeFailsItsRunWithTheReasonAndOthersStillRun() {
        schedules.put(schedule("broken", "0 8 * * MON", "missing", folder()));
        schedules.put(schedule("weekly", "0 8 * * MON", "weekly-soc", folder()));

        ReportScheduler.Tick tick = scheduler().tick(MONDAY_EIGHT);

        assertThat(tick.runs()).extracting(ScheduleRun::name, ScheduleRun::outcome).containsExactly(
                org.assertj.core.groups.Tuple.tuple("broken", ScheduleRun.Outcome.FAILED),
                org.assertj.core.groups.Tuple.tuple("weekly", ScheduleRun.Outcome.DELIVERED));
        assertThat(tick.runs().getFirst().error())
                .isEqualTo("the report could not be made: no template 'missing' (Run vigil report --list.)");
        assertThat(tick.failed()).isEqualTo(1);
        assertThat(delivered).hasSize(1);
    }

    @Test
    void runsAreRecordedNewestFirstWithTheirDeliveries() {
        schedules.put(schedule("daily", "0 6 * * *", "executive", folder()));
        scheduler().tick(Instant.parse("2026-11-26T06:00:00Z"));
        scheduler().tick(Instant.parse("2026-11-27T06:00:00Z"));

        List<ScheduleRun> runs = new ReportSchedules(data, TENANT).runs("daily", 10);

        assertThat(runs).extracting(ScheduleRun::slot).containsExactly(Instant.parse("2026-11-27T06:00:00Z"),
                Instant.parse("2026-11-26T06:00:00Z"));
        assertThat(runs.getFirst().deliveries()).singleElement()
                .satisfies(d -> assertThat(d.destination()).isEqualTo(folder().describe()));
        assertThat(schedules.lastRuns()).containsOnlyKeys("daily");
    }

    @Test
    void aRunCutShortByACrashStaysStartedAndItsSlotIsNotRunAgain() {
        schedules.put(schedule("weekly", "0 8 * * MON", "weekly-soc", folder()));
        ReportMaker crashing = (tenant, template, params, format) -> {
            throw new Error("the process died here"); // an Error, as a crash: nothing after it is recorded
        };
        try {
            new ReportScheduler(schedules, crashing, d -> (r, c) -> deliver(d, r), Clock.systemUTC())
                    .tick(MONDAY_EIGHT);
        } catch (Error expected) {
            // as if the process had stopped
        }

        assertThat(schedules.runs("weekly", 10)).singleElement()
                .satisfies(run -> assertThat(run.outcome()).isEqualTo(ScheduleRun.Outcome.STARTED));
        assertThat(scheduler().tick(MONDAY_EIGHT.plusSeconds(60)).runs()).isEmpty();
    }

    @Test
    void concurrentTicksClaimEachSlotOnce() throws Exception {
        schedules.put(schedule("weekly", "0 8 * * MON", "weekly-soc", folder()));
        schedules.put(schedule("daily", "0 6 * * *", "executive", folder()));
        int ticks = 8;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<ReportScheduler.Tick>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(ticks)) {
            for (int i = 0; i < ticks; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return new ReportScheduler(new ReportSchedules(data, TENANT), maker,
                            d -> (r, c) -> deliver(d, r), Clock.systemUTC()).tick(MONDAY_EIGHT);
                }));
            }
            start.countDown();
            int runs = 0;
            for (Future<ReportScheduler.Tick> result : results) {
                runs += result.get().runs().size();
            }
            assertThat(runs).isEqualTo(2);
        }
        assertThat(made).hasSize(2);
    }

    @Test
    void aForcedRunServesTheCurrentMinuteOnce() {
        schedules.put(schedule("weekly", "0 8 * * MON", "weekly-soc", folder()));
        Instant wednesday = Instant.parse("2026-12-02T15:42:31Z");

        ReportScheduler.Tick forced = scheduler().tick(wednesday, List.of("weekly"), true, run -> {});
        ReportScheduler.Tick again = scheduler().tick(wednesday.plusSeconds(5), List.of("weekly"), true, run -> {});

        assertThat(forced.runs()).singleElement()
                .satisfies(run -> assertThat(run.slot()).isEqualTo(Instant.parse("2026-12-02T15:42:00Z")));
        assertThat(again.runs()).isEmpty();
        // the next Monday still runs
        assertThat(scheduler().tick(Instant.parse("2026-12-07T08:00:00Z")).runs()).hasSize(1);
    }

    @Test
    void schedulesSurviveAsAFileWithoutSecrets() throws Exception {
        ReportSchedule mailed = new ReportSchedule("monthly", CronSchedule.parse("0 7 1 * *", "Europe/Paris"),
                "executive", Map.of("period", "30d", "audience", "executive"), "pdf", List.of(
                        new Destination.Email("smtp.example.com", 587, true, "vigil", "VIGIL_SMTP_PASSWORD",
                                "vigil@example.com", List.of("ciso@example.com", "soc@example.com")),
                        Destination.Webhook.of("https://soar.example/hook", "VIGIL_REPORT_SECRET")),
                "alice", CREATED, null);
        assertThat(schedules.put(mailed)).isFalse();
        assertThat(schedules.put(mailed)).isTrue();

        assertThat(new ReportSchedules(data, TENANT).find("monthly")).contains(mailed);
        String file = Files.readString(schedules.folder().resolve("schedules.json"));
        assertThat(file).contains("\"smtp_password_env\" : \"VIGIL_SMTP_PASSWORD\"", "\"zone\" : \"Europe/Paris\"");
        assertThat(schedules.remove("monthly")).isTrue();
        assertThat(schedules.remove("monthly")).isFalse();
        assertThat(schedules.list()).isEmpty();
    }

    @Test
    void tenantsKeepTheirSchedulesApart() {
        schedules.put(schedule("weekly", "0 8 * * MON", "weekly-soc", folder()));

        assertThat(new ReportSchedules(data, TenantId.of("globex")).list()).isEmpty();
    }
}
