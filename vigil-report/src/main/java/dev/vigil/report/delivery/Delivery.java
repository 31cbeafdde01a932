package dev.vigil.report.delivery;

import static java.util.Objects.requireNonNull;

import dev.vigil.report.build.RenderedReport;
import java.time.Instant;
import java.util.Map;

/**
 * Delivers a rendered report to one destination. A delivery never throws for a destination's failure (a full disk,
 * a 500, a refused recipient): it returns a result saying what happened, so the other destinations still get the
 * report and the run records every outcome.
 */
@FunctionalInterface
public interface Delivery {
    DeliveryResult deliver(RenderedReport report, Context context);

    /**
     * What the report is, for file names, payloads and mail bodies.
     *
     * @param schedule the schedule's name, or empty for a one-off delivery
     * @param slot the time the report was made for
     * @param parameters the report's parameters, such as {@code period}
     */
    record Context(String tenant, String template, String schedule, Instant slot, Map<String, String> parameters) {
        public Context {
            requireNonNull(tenant, "tenant is null");
            requireNonNull(template, "template is null");
            requireNonNull(schedule, "schedule is null");
            requireNonNull(slot, "slot is null");
            parameters = Map.copyOf(parameters);
        }

        /** The period the report covers, as its parameters give it, e.g. {@code 7d}, or empty. */
        public String period() {
            return parameters.getOrDefault("period", "");
        }
    }
}
