package dev.vigil.server;

import static java.util.Objects.requireNonNull;

import dev.vigil.config.VigilConfig;
import dev.vigil.model.Principal;
import dev.vigil.model.Role;
import dev.vigil.model.TenantId;
import dev.vigil.report.build.Reports;
import dev.vigil.report.delivery.Deliveries;
import dev.vigil.report.schedule.ReportScheduler;
import dev.vigil.report.schedule.ReportSchedules;
import dev.vigil.report.schedule.ScheduleRun;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ticks every tenant's report schedules once a minute while the server runs, as {@code vigil report schedule tick}
 * does from cron: the server holds the tenants' stores, so it is the process that can make the reports. Reports are
 * made through the server's open stores, one tenant at a time on its lock; a tick that fails is logged and the next
 * minute's tick runs as usual.
 */
final class ReportTimer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReportTimer.class);
    /** Who scheduled reports are made as, as on the command line. */
    private static final Principal SCHEDULER = new Principal("report-scheduler", Role.ANALYST);

    private final VigilConfig config;
    private final Reports reports;
    private final Clock clock;
    private final ScheduledExecutorService timer;

    ReportTimer(VigilConfig config, TenantStores stores, Clock clock) {
        this.config = requireNonNull(config, "config is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.reports = new Reports(config, stores::read, SCHEDULER, true, clock);
        this.timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("vigil-reports")
                .factory());
    }

    /** Starts ticking at the start of the next minute, then every minute. */
    void start() {
        long intoMinute = clock.millis() % 60_000;
        timer.scheduleAtFixedRate(this::tick, 60_000 - intoMinute, 60_000, TimeUnit.MILLISECONDS);
    }

    /** Ticks every tenant that has report schedules. */
    void tick() {
        for (TenantId tenant : ReportSchedules.tenants(config.dataDirectory())) {
            try {
                ReportScheduler.Tick tick = new ReportScheduler(new ReportSchedules(config.dataDirectory(), tenant),
                        reports, destination -> Deliveries.of(destination, System::getenv), clock).tick(clock.instant());
                for (ScheduleRun run : tick.runs()) {
                    var event = run.failed() ? LOG.atWarn() : LOG.atInfo();
                    event.addKeyValue("tenant", tenant.value()).addKeyValue("schedule", run.name())
                            .addKeyValue("slot", run.slot().toString())
                            .addKeyValue("outcome", run.outcome().name().toLowerCase(java.util.Locale.ROOT))
                            .addKeyValue("error", run.error()).log("scheduled report ran");
                }
            } catch (RuntimeException e) {
                LOG.atError().addKeyValue("tenant", tenant.value()).setCause(e).log("report schedules could not tick");
            }
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
