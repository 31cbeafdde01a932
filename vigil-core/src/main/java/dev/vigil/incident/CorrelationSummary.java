package dev.vigil.incident;

/**
 * What one correlation run did.
 *
 * @param alerts alerts placed in this run
 * @param opened incidents opened
 * @param joined alerts that joined an existing or new incident (not opening one)
 * @param merged incidents merged into others
 * @param touched incidents that took alerts
 * @param baselineEntities entities the prevalence baseline knows
 * @param millis how long the run took
 */
public record CorrelationSummary(int alerts, int opened, int joined, int merged, int touched, int baselineEntities,
        long millis) {}
