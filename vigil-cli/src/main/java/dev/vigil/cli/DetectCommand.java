package dev.vigil.cli;

import dev.vigil.store.TenantRules;
import dev.vigil.config.VigilConfig;
import dev.vigil.incident.CorrelationSummary;
import dev.vigil.model.Alert;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.VigilException;
import dev.vigil.sigma.CompiledRule;
import dev.vigil.sigma.Detector;
import dev.vigil.sigma.SigmaDocument;
import dev.vigil.store.TenantStore;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vigil detect}: runs the tenant's rules over the events already stored (a retro-hunt). */
@Command(name = "detect", mixinStandardHelpOptions = true,
        description = {"Run the tenant's enabled Sigma rules over the events already stored, e.g. after importing new"
                + " rules, and store the alerts they raise.",
                "Alerts are identified by rule and event, so running it again stores nothing twice. Ingest runs the"
                        + " enabled rules on new events by itself."},
        footer = {"", "Examples:", "  vigil detect --since 30d", "  vigil detect --rule 5f1d0b3e-7a7c-4b61-9d8c-2c3b4d5e6f70"
                + " --since 2024-05-01", "  vigil detect --json"})
final class DetectCommand implements Callable<Integer> {
    private static final int TOP_RULES = 20;

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Option(names = "--since", paramLabel = "TIME",
            description = "Only events at or after this time: 30d, 24h, 15m back from now, or an ISO date or time"
                    + " (UTC unless it names an offset). Default: all stored events.")
    String since;

    @Option(names = "--rule", paramLabel = "REF",
            description = "Run only this rule (repeatable); default: every enabled rule.")
    List<String> rules = new ArrayList<>();

    @Option(names = "--json", description = "Print the summary as one JSON object on standard output.")
    boolean json;

    @Override
    public Integer call() {
        VigilConfig config = common.load();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        long sinceMicros = since == null ? Long.MIN_VALUE : TimeArguments.micros("--since", since, Clock.systemUTC());
        if (!TenantStore.exists(config.dataDirectory(), config.tenant())) {
            throw noRules(config);
        }
        long start = System.nanoTime();
        StatusLine status = new StatusLine(err);
        Map<String, Long> byRule = new HashMap<>();
        long[] found = new long[2]; // alerts raised, of which new
        CorrelationSummary incidents = null;
        Detector detector;
        Set<String> tables = new LinkedHashSet<>();
        Set<String> scanned = new LinkedHashSet<>();
        try (TenantStore store = TenantStore.open(config.dataDirectory(), config.tenant(), TenantStore.Mode.READ_WRITE)) {
            TenantRules loaded = TenantRules.load(store, rules, config.placeholders());
            if (loaded.isEmpty()) {
                throw noRules(config);
            }
            loaded.problems().forEach(p -> Logging.logger().warn("stored rule not loaded: {}", p));
            for (CompiledRule rule : loaded.rules().rules()) {
                tables.addAll(rule.tables());
            }
            detector = new Detector(config.tenant(), loaded.rules());
            Logging.logger().atInfo().addKeyValue("tenant", config.tenant().value())
                    .addKeyValue("rules", loaded.rules().rules().size()).addKeyValue("since", since)
                    .log("detect started");
            store.scanEvents(tables, sinceMicros, config.ingestLimits().batchSize(), events -> {
                scanned.add(events.get(0).table());
                List<Alert> alerts = detector.detect(events);
                if (!alerts.isEmpty()) {
                    found[1] += store.appendAlerts(alerts);
                    store.commit();
                    found[0] += alerts.size();
                    alerts.forEach(a -> byRule.merge(a.ruleId(), 1L, Long::sum));
                }
                status.update(() -> String.format(Locale.ROOT, "detect: %s events scanned, %s alerts (%s new)  %s",
                        Output.count(detector.events()), Output.count(found[0]), Output.count(found[1]),
                        events.get(0).table()));
            });
            List<Alert> correlated = detector.finish(); // correlations over everything scanned, in time order
            if (!correlated.isEmpty()) {
                found[1] += store.appendAlerts(correlated);
                found[0] += correlated.size();
                correlated.forEach(a -> byRule.merge(a.ruleId(), 1L, Long::sum));
            }
            store.addRuleStats(detector.stats());
            store.commit();
            if (found[1] > 0) {
                incidents = Incidents.correlate(store, config, err);
            }
            store.checkpoint();
        } finally {
            status.finish();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, SigmaDocument.Meta> ruleById = new HashMap<>();
        detector.rules().rules().forEach(r -> ruleById.putIfAbsent(r.id(), r.rule().meta()));
        detector.rules().correlations().forEach(c -> ruleById.putIfAbsent(c.meta().reference(), c.meta()));
        List<Map.Entry<String, Long>> top = byRule.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(TOP_RULES).toList();
        Logging.logger().atInfo().addKeyValue("tenant", config.tenant().value()).addKeyValue("events", detector.events())
                .addKeyValue("alerts", found[0]).addKeyValue("alerts_new", found[1]).addKeyValue("seconds", seconds)
                .log("detect finished");
        if (json) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("tenant", config.tenant().value());
            body.put("since", sinceMicros == Long.MIN_VALUE ? null
                    : Instant.EPOCH.plus(sinceMicros, ChronoUnit.MICROS).toString());
            body.put("rules", detector.rules().rules().size());
            body.put("tables", List.copyOf(scanned));
            body.put("events_scanned", detector.events());
            body.put("alerts", found[0]);
            body.put("alerts_new", found[1]);
            body.put("alerts_already_stored", found[0] - found[1]);
            body.put("by_rule", top.stream().map(e -> {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("rule_id", e.getKey());
                SigmaDocument.Meta rule = ruleById.get(e.getKey());
                entry.put("title", rule == null ? "" : rule.title());
                entry.put("level", rule == null || rule.level() == null ? "" : rule.level());
                entry.put("alerts", e.getValue());
                return entry;
            }).toList());
            body.put("seconds", Math.round(seconds * 1000) / 1000.0);
            if (incidents != null) {
                body.put("incidents", incidents);
            }
            out.println(Output.json(body));
            return 0;
        }
        out.printf(Locale.ROOT, "Ran %s rules over %s events (%s) of tenant '%s'%s in %.1f s%n",
                Output.count(detector.rules().rules().size()), Output.count(detector.events()),
                scanned.isEmpty() ? "no table holds events for them" : String.join(", ", scanned), config.tenant(),
                sinceMicros == Long.MIN_VALUE ? "" : " since " + Instant.EPOCH.plus(sinceMicros, ChronoUnit.MICROS),
                seconds);
        out.printf(Locale.ROOT, "  alerts  %10s  (new %s, already stored %s)%n", Output.count(found[0]),
                Output.count(found[1]), Output.count(found[0] - found[1]));
        if (incidents != null) {
            out.println("  " + Incidents.line(incidents));
        }
        if (!top.isEmpty()) {
            out.println();
            List<List<Object>> rows = new ArrayList<>();
            for (Map.Entry<String, Long> entry : top) {
                SigmaDocument.Meta rule = ruleById.get(entry.getKey());
                rows.add(List.of(entry.getKey(), rule == null ? "" : rule.title(),
                        rule == null || rule.level() == null ? "" : rule.level(), entry.getValue()));
            }
            out.print(Output.table(List.of("rule", "title", "level", "alerts"), rows));
            if (byRule.size() > TOP_RULES) {
                out.println("(" + (byRule.size() - TOP_RULES) + " more rules raised alerts)");
            }
            out.println();
            out.println("See them with: vigil alerts" + (config.tenant().value().equals("default") ? ""
                    : " --tenant " + config.tenant()));
        }
        return 0;
    }

    private static VigilException noRules(VigilConfig config) {
        return new VigilException(ErrorCode.RULE_NOT_FOUND, "tenant '" + config.tenant() + "' has no enabled rule"
                + " that can run", "Import Sigma rules with 'vigil rules import PATH'; 'vigil rules list --all' shows"
                + " why the stored ones do not run.", null);
    }
}
