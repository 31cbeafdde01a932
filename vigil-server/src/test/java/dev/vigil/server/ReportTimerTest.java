package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.config.ConfigLoader;
import dev.vigil.config.VigilConfig;
import dev.vigil.model.TenantId;
import dev.vigil.report.delivery.Destination;
import dev.vigil.report.schedule.CronSchedule;
import dev.vigil.report.schedule.ReportSchedule;
import dev.vigil.report.schedule.ReportSchedules;
import dev.vigil.report.schedule.ScheduleRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTimerTest {
    private static final Instant NOW = Instant.parse("2026-11-30T08:00:10Z");

    @TempDir
    Path data;

    @Test
    void aTickMakesTheDueReportsOfEveryTenantThroughTheServersStores() throws Exception {
        VigilConfig config = ConfigLoader.load(null, Map.of(), Map.of("data-dir", data.toString()));
        Path out = data.resolve("out");
        TenantId acme = TenantId.of("acme");
        new ReportSchedules(data, acme).put(new ReportSchedule("monday", CronSchedule.parse("0 8 * * MON", "UTC"),
                "weekly-soc", Map.of("period", "7d"), "md", List.of(new Destination.Folder(out)), "alice",
                NOW.minusSeconds(86_400), null));

        try (TenantStores stores = new TenantStores(data);
                ReportTimer timer = new ReportTimer(config, stores, Clock.fixed(NOW, ZoneOffset.UTC))) {
            timer.tick();
            timer.tick(); // the same minute again: nothing more
        }

        List<ScheduleRun> runs = new ReportSchedules(data, acme).runs("monday", 10);
        assertThat(runs).singleElement().satisfies(run -> assertThat(run.outcome()).as(run.toString())
                .isEqualTo(ScheduleRun.Outcome.DELIVERED));
        try (Stream<Path> files = Files.list(out)) {
            assertThat(files.toList()).singleElement()
                    .satisfies(file -> assertThat(Files.readString(file)).contains("#"));
        }
    }
}
