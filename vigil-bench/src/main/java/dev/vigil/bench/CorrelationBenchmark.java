package dev.vigil.bench;

import static java.util.Objects.requireNonNull;

import dev.vigil.incident.CorrelationPolicy;
import dev.vigil.incident.Correlator;
import dev.vigil.incident.EntityKey;
import dev.vigil.incident.Prevalence;
import dev.vigil.incident.TacticStages;
import dev.vigil.intel.attack.AttackBundle;
import dev.vigil.model.Alert;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The correlation benchmark: {@code alerts} generated alerts ({@link IncidentScenario}, a large organization over
 * weeks) correlated one at a time on one thread, in time order. It reports:
 * <ul>
 *   <li>wall time of the correlator's {@code add} calls and alerts/s (generation not counted), and, measured on the
 *       same alerts day by day interleaved with them, a baseline that does the least any correlator must: compute the
 *       alert's entity keys and put each in a hash map; the ratio of the two;</li>
 *   <li>the heap the correlator holds after the last alert (after full collections, less the heap before);</li>
 *   <li>the cost of adding one alert to a small state (the first {@code probe} alerts) and to the large state (the
 *       next {@code probe} alerts after all of them): mean and 99th percentile, so that a cost that grows with the
 *       store shows.</li>
 * </ul>
 */
public final class CorrelationBenchmark {
    /**
     * @param alerts alerts to correlate
     * @param probe alerts timed one by one at the start and after the run
     * @param attack the ATT&CK bundle for the tactic order, or null
     */
    public record Options(long alerts, int probe, Path attack, long seed) {}

    /**
     * @param alerts alerts correlated
     * @param days days of the generated organization they cover
     * @param seconds the correlator's time for them
     * @param baselineSeconds the baseline's time for the same alerts (keys and a map put per entity)
     * @param heapBytes the correlator's heap after the last alert
     * @param entities entities it remembers then
     * @param incidents incidents it opened
     * @param firstMeanMicros mean cost of one of the first {@code probe} alerts
     * @param firstP99Micros its 99th percentile
     * @param largeMeanMicros mean cost of one of the {@code probe} alerts after all of them
     * @param largeP99Micros its 99th percentile
     */
    public record Report(long alerts, int days, int hosts, double seconds, double baselineSeconds, long heapBytes,
            int entities, long incidents, int probe, double firstMeanMicros, double firstP99Micros,
            double largeMeanMicros, double largeP99Micros) {
        public double alertsPerSecond() {
            return alerts / seconds;
        }

        public double baselinePerSecond() {
            return alerts / baselineSeconds;
        }

        /** The correlator's rate over the baseline's. */
        public double ratio() {
            return alertsPerSecond() / baselinePerSecond();
        }
    }

    private final Options options;
    private final PrintWriter progress;

    public CorrelationBenchmark(Options options, PrintWriter progress) {
        this.options = requireNonNull(options, "options is null");
        this.progress = requireNonNull(progress, "progress is null");
    }

    public Report run() {
        TacticStages stages = options.attack() != null && Files.isRegularFile(options.attack())
                ? TacticStages.of(AttackBundle.read(options.attack())) : TacticStages.unknown();
        // a large organization: 20,000 hosts, 80,000 users, 200 attacks and a benign alert per host a day
        IncidentScenario scenario = new IncidentScenario(new IncidentScenario.Shape(20_000, 80_000, 200, 1.0,
                options.seed()));
        Prevalence baseline = scenario.baseline();
        progress.printf(Locale.ROOT, "bench: baseline of %,d entities on %,d hosts%n", baseline.size(),
                baseline.hosts());

        long heapBefore = SigmaBenchmark.usedHeapAfterGc();
        Correlator correlator = new Correlator(CorrelationPolicy.defaults(), stages, baseline, 1);
        Map<EntityKey, Long> lastSeen = new HashMap<>();
        long correlating = 0;
        long baselineNanos = 0;
        long done = 0;
        long incidents = 0;
        int days = 0;
        double[] first = null;
        while (done < options.alerts()) {
            List<IncidentScenario.Labelled> day = scenario.nextDay();
            days++;
            int n = (int) Math.min(day.size(), options.alerts() - done);
            int from = 0;
            if (first == null) {
                first = new double[Math.min(options.probe(), n)];
                for (int i = 0; i < first.length; i++) {
                    long start = System.nanoTime();
                    incidents += correlator.add(day.get(i).alert()).opened() ? 1 : 0;
                    long took = System.nanoTime() - start;
                    first[i] = took / 1e3;
                    correlating += took;
                }
                from = first.length;
                long start = System.nanoTime();
                for (int i = 0; i < from; i++) {
                    baseline(day.get(i).alert(), lastSeen);
                }
                baselineNanos += System.nanoTime() - start;
            }
            long start = System.nanoTime();
            for (int i = from; i < n; i++) {
                baseline(day.get(i).alert(), lastSeen);
            }
            baselineNanos += System.nanoTime() - start;
            start = System.nanoTime();
            for (int i = from; i < n; i++) {
                incidents += correlator.add(day.get(i).alert()).opened() ? 1 : 0;
            }
            correlating += System.nanoTime() - start;
            done += n;
            if (days % 10 == 0) {
                progress.printf(Locale.ROOT, "bench: %,d alerts over %d days, %,d entities remembered%n", done, days,
                        correlator.rememberedEntities());
                progress.flush();
            }
        }
        lastSeen = null;
        long heap = SigmaBenchmark.usedHeapAfterGc() - heapBefore;
        int entities = correlator.rememberedEntities();

        double[] large = new double[options.probe()];
        int measured = 0;
        while (measured < large.length) {
            for (IncidentScenario.Labelled labelled : scenario.nextDay()) {
                if (measured == large.length) {
                    break;
                }
                long start = System.nanoTime();
                correlator.add(labelled.alert());
                large[measured++] = (System.nanoTime() - start) / 1e3;
            }
        }
        progress.printf(Locale.ROOT, "bench: %,d alerts correlated in %.1f s; baseline %.1f s%n", done,
                correlating / 1e9, baselineNanos / 1e9);
        return new Report(done, days, 20_000, correlating / 1e9, baselineNanos / 1e9, heap, entities, incidents,
                options.probe(), mean(first), percentile(first, 0.99), mean(large), percentile(large, 0.99));
    }

    /** The least a correlator must do per alert: its entities' keys, and a map put per key. */
    private static void baseline(Alert alert, Map<EntityKey, Long> lastSeen) {
        Set<EntityKey> keys = new LinkedHashSet<>();
        for (Alert.Entity entity : alert.entities()) {
            EntityKey.of(entity).ifPresent(keys::add);
        }
        for (EntityKey key : keys) {
            lastSeen.put(key, alert.timeMicros());
        }
    }

    private static double mean(double[] values) {
        return Arrays.stream(values).average().orElse(0);
    }

    private static double percentile(double[] values, double p) {
        if (values.length == 0) {
            return 0;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    /** The report as text lines. */
    public static String text(Report r) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%,d alerts (%d days of a %,d-host organization) on one thread%n",
                r.alerts(), r.days(), r.hosts()));
        out.append(String.format(Locale.ROOT, "%-50s %10.1f s  %,12.0f alerts/s%n", "correlator", r.seconds(),
                r.alertsPerSecond()));
        out.append(String.format(Locale.ROOT, "%-50s %10.1f s  %,12.0f alerts/s  (correlator: %.2f of it)%n",
                "baseline: entity keys + a map put per entity", r.baselineSeconds(), r.baselinePerSecond(),
                r.ratio()));
        out.append(String.format(Locale.ROOT, "%-50s %,10d MiB  (%,d entities remembered, %,d incidents opened)%n",
                "correlator heap after the last alert", r.heapBytes() >> 20, r.entities(), r.incidents()));
        out.append(String.format(Locale.ROOT, "%-50s mean %6.1f us  p99 %6.1f us%n", "one alert, first "
                + r.probe() + " alerts", r.firstMeanMicros(), r.firstP99Micros()));
        out.append(String.format(Locale.ROOT, "%-50s mean %6.1f us  p99 %6.1f us%n", "one alert, next " + r.probe()
                + " after all of them", r.largeMeanMicros(), r.largeP99Micros()));
        return out.toString();
    }

    /** {@code java -cp ... dev.vigil.bench.CorrelationBenchmark [--alerts N] [--probe N]}. */
    public static void main(String[] args) {
        long alerts = 1_000_000;
        int probe = 10_000;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--alerts" -> alerts = Long.parseLong(args[++i]);
                case "--probe" -> probe = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; use [--alerts N] [--probe N]");
            }
        }
        Report report = new CorrelationBenchmark(new Options(alerts, probe, CorrelationQuality.defaultAttack(), 42),
                new PrintWriter(System.err, true)).run();
        System.out.print(text(report));
    }
}
