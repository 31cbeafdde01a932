package dev.vigil.cli;

import dev.vigil.config.VigilConfig;
import dev.vigil.incident.CorrelationSummary;
import dev.vigil.incident.TacticStages;
import dev.vigil.store.TenantStore;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.Locale;

/** Correlation as the commands that raise alerts run it: after ingest, detect and the demo. */
final class Incidents {
    private Incidents() {}

    /**
     * Places the tenant's new alerts in incidents, showing progress on {@code err}; the incidents are where
     * {@code store.state} keeps them ({@link SharedState}).
     */
    static CorrelationSummary correlate(TenantStore store, VigilConfig config, PrintWriter err) {
        SharedState.attach(config, store);
        StatusLine status = new StatusLine(err);
        try {
            CorrelationSummary summary = store.incidents().correlate(config.correlationPolicy(),
                    TacticStages.lazy(() -> KnowledgeCommands.loadIfPresent(config)), Instant.now(),
                    step -> status.update(() -> "incidents: " + step));
            store.commit();
            Logging.logger().atInfo().addKeyValue("tenant", config.tenant().value())
                    .addKeyValue("alerts", summary.alerts()).addKeyValue("opened", summary.opened())
                    .addKeyValue("merged", summary.merged()).addKeyValue("millis", summary.millis())
                    .log("correlation finished");
            return summary;
        } finally {
            status.finish();
        }
    }

    /** One line for people: "incidents: 3 alerts placed, 1 incident opened, 1 merged". */
    static String line(CorrelationSummary summary) {
        if (summary.alerts() == 0) {
            return "incidents: no new alert to correlate";
        }
        return String.format(Locale.ROOT, "incidents: %s placed in %s (%s opened%s) in %d ms; see 'vigil incidents'",
                plural(summary.alerts(), "alert"), plural(summary.touched(), "incident"), summary.opened(),
                summary.merged() == 0 ? "" : ", " + summary.merged() + " merged", summary.millis());
    }

    static String plural(long n, String noun) {
        return Output.count(n) + " " + noun + (n == 1 ? "" : "s");
    }
}
