package dev.vigil.bench;

import static java.util.Objects.requireNonNull;

import dev.vigil.incident.CorrelationPolicy;
import dev.vigil.incident.CorrelationSummary;
import dev.vigil.incident.TacticStages;
import dev.vigil.model.Alert;
import dev.vigil.model.TenantId;
import dev.vigil.store.TenantStore;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Correlation through the store, as ingest and detect run it: {@code alerts} generated alerts ({@link
 * IncidentScenario}, the large organization of {@link CorrelationBenchmark}) stored in a tenant's DuckDB, placed in
 * incidents by one run of {@code IncidentStore.correlate}, then {@code probes} further alerts stored and correlated
 * one at a time, each in its own run and commit: the cost of adding one alert to a large store.
 *
 * <p>A run reads the alerts not yet placed (past the last run's row id), the kept prevalence baseline, and either
 * restores the correlator from the incidents active within the progression window before the new alert (what a newly
 * opened store does: this part grows with the activity of the last day, not with the store) or takes the one the last
 * run left; it writes the placement and refreshes the incident in one commit. The probes alternate between the two,
 * so both are measured in the same run on the same store: even probes drop the kept correlator first.
 */
public final class StoreCorrelationBenchmark {
    private static final TenantId TENANT = TenantId.of("bench");

    /**
     * @param directory where the store is made
     * @param alerts alerts stored and correlated in the first run
     * @param probes alerts then added and correlated one at a time
     */
    public record Options(Path directory, long alerts, int probes, long seed) {}

    /**
     * @param storeSeconds time to store the alerts
     * @param firstRunSeconds time of the run that places all of them
     * @param incidents incidents that run opened
     * @param restoredMillis run times of the probes that restored the correlator, sorted
     * @param keptMillis run times of the probes that took the correlator the last run left, sorted
     */
    public record Report(long alerts, double storeSeconds, double firstRunSeconds, long incidents,
            double[] restoredMillis, double[] keptMillis) {
        public double restoredMedianMillis() {
            return percentile(restoredMillis, 0.5);
        }

        public double keptMedianMillis() {
            return percentile(keptMillis, 0.5);
        }

        public double restoredP90Millis() {
            return percentile(restoredMillis, 0.9);
        }

        public double keptP90Millis() {
            return percentile(keptMillis, 0.9);
        }

        private static double percentile(double[] sorted, double p) {
            return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, Math.ceil(sorted.length * p) - 1)];
        }
    }

    private final Options options;
    private final PrintWriter progress;

    public StoreCorrelationBenchmark(Options options, PrintWriter progress) {
        this.options = requireNonNull(options, "options is null");
        this.progress = requireNonNull(progress, "progress is null");
    }

    public Report run() {
        IncidentScenario scenario = new IncidentScenario(new IncidentScenario.Shape(20_000, 80_000, 200, 1.0,
                options.seed()));
        CorrelationPolicy policy = CorrelationPolicy.defaults();
        List<Alert> probes = new ArrayList<>();
        long stored = 0;
        long storeNanos = 0;
        try (TenantStore store = TenantStore.open(options.directory(), TENANT, TenantStore.Mode.READ_WRITE)) {
            while (stored < options.alerts() || probes.size() < options.probes()) {
                List<Alert> batch = new ArrayList<>();
                for (IncidentScenario.Labelled labelled : scenario.nextDay()) {
                    if (stored + batch.size() < options.alerts()) {
                        batch.add(labelled.alert());
                    } else if (probes.size() < options.probes()) {
                        probes.add(labelled.alert());
                    }
                }
                long start = System.nanoTime();
                for (int from = 0; from < batch.size(); from += 50_000) {
                    store.appendAlerts(batch.subList(from, Math.min(batch.size(), from + 50_000)));
                    store.commit();
                }
                storeNanos += System.nanoTime() - start;
                stored += batch.size();
                progress.printf(Locale.ROOT, "bench: %,d alerts stored%n", stored);
                progress.flush();
            }
            long start = System.nanoTime();
            CorrelationSummary first = store.incidents().correlate(policy, TacticStages.unknown(), Instant.now(),
                    step -> { });
            store.commit();
            double firstSeconds = (System.nanoTime() - start) / 1e9;
            progress.printf(Locale.ROOT, "bench: first run placed %,d alerts in %,d incidents in %.1f s%n",
                    first.alerts(), first.opened(), firstSeconds);
            progress.flush();
            double[] restored = new double[(probes.size() + 1) / 2];
            double[] kept = new double[probes.size() / 2];
            for (int i = 0; i < probes.size(); i++) {
                store.appendAlerts(List.of(probes.get(i)));
                store.commit();
                if (i % 2 == 0) {
                    store.incidents().forgetCorrelator();
                }
                long t = System.nanoTime();
                store.incidents().correlate(policy, TacticStages.unknown(), Instant.now(), step -> { });
                store.commit();
                double millis = (System.nanoTime() - t) / 1e6;
                if (i % 2 == 0) {
                    restored[i / 2] = millis;
                } else {
                    kept[i / 2] = millis;
                }
            }
            Arrays.sort(restored);
            Arrays.sort(kept);
            return new Report(stored, storeNanos / 1e9, firstSeconds, first.opened(), restored, kept);
        }
    }

    public static String text(Report report) {
        return String.format(Locale.ROOT, """
                %,d alerts in a tenant store, correlated through IncidentStore.correlate
                storing the alerts                                %8.1f s
                first run: placing all of them                    %8.1f s   %,d incidents opened
                one new alert, stored then correlated:
                  correlator restored from the stored incidents   median %.1f ms, p90 %.1f ms (%d runs)
                  correlator kept from the run before             median %.1f ms, p90 %.1f ms (%d runs)
                  kept / restored (medians)                       %.3f
                """, report.alerts(), report.storeSeconds(), report.firstRunSeconds(), report.incidents(),
                report.restoredMedianMillis(), report.restoredP90Millis(), report.restoredMillis().length,
                report.keptMedianMillis(), report.keptP90Millis(), report.keptMillis().length,
                report.keptMedianMillis() / report.restoredMedianMillis());
    }
}
