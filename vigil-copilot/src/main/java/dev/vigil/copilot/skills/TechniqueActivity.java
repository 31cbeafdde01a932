package dev.vigil.copilot.skills;

import static java.util.Objects.requireNonNull;

import dev.vigil.copilot.ExecutedQuery;
import dev.vigil.sigma.SigmaDocument;
import dev.vigil.sigma.SigmaParser;
import dev.vigil.sigma.SigmaRuleException;
import dev.vigil.store.QueryResult;
import dev.vigil.store.RuleRow;
import dev.vigil.store.TenantStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * A tenant's side of ATT&amp;CK techniques: the enabled rules tagged with each, the alerts that name each, and the
 * incidents those alerts belong to. Asking about a technique covers its sub-techniques too: a rule for
 * {@code T1003.001} detects a form of {@code T1003}.
 *
 * <p>Rules are read from the stored rule files (their {@code attack.tNNNN} tags), as detection loads them: enabled
 * documents that did not fail, from the file that owns their ref. Alerts and incidents are read with two SQL queries,
 * kept in {@link #queries()} so that an answer can show them.
 */
final class TechniqueActivity {
    /** Alerts of one technique: how many, the newest few ids, and the incidents they are in. */
    record Fired(long alerts, List<String> newestAlerts, List<Long> incidents) {
        Fired {
            newestAlerts = List.copyOf(newestAlerts);
            incidents = List.copyOf(incidents);
        }
    }

    private static final int NEWEST = 3;

    private final Map<String, List<String>> rulesByTechnique;
    private final Map<String, Long> alertsByTechnique;
    private final Map<String, List<String>> newestByTechnique;
    private final Map<String, List<Long>> incidentsByTechnique;
    private final int enabledRules;
    private final List<ExecutedQuery> queries;

    private TechniqueActivity(Map<String, List<String>> rulesByTechnique, Map<String, Long> alertsByTechnique,
            Map<String, List<String>> newestByTechnique, Map<String, List<Long>> incidentsByTechnique,
            int enabledRules, List<ExecutedQuery> queries) {
        this.rulesByTechnique = rulesByTechnique;
        this.alertsByTechnique = alertsByTechnique;
        this.newestByTechnique = newestByTechnique;
        this.incidentsByTechnique = incidentsByTechnique;
        this.enabledRules = enabledRules;
        this.queries = List.copyOf(queries);
    }

    static final String ALERTS_SQL = "SELECT t AS technique, count(*) AS alerts,"
            + " array_to_string(list(CAST(alert_id AS VARCHAR) ORDER BY \"time\" DESC)[1:" + NEWEST + "], ',')"
            + " AS newest FROM (SELECT unnest(techniques) AS t, alert_id, \"time\" FROM vigil_alerts)"
            + " GROUP BY t ORDER BY alerts DESC, t";

    /** Where {@link #ALERTS_SQL} and {@link #PLACED_SQL} are among {@link #queries()}. */
    static final int ALERTS_QUERY = 0;
    static final int PLACED_QUERY = 1;

    /** Each technique's alerts, to look up the incidents they are in where the incidents are kept. */
    static final String PLACED_SQL = "SELECT t AS technique, array_to_string(list(CAST(alert_id AS VARCHAR)"
            + " ORDER BY alert_id), ',') AS alerts FROM (SELECT unnest(techniques) AS t, alert_id FROM vigil_alerts)"
            + " GROUP BY t ORDER BY t";

    static TechniqueActivity read(TenantStore store) {
        requireNonNull(store, "store is null");
        Map<String, List<String>> rules = new TreeMap<>();
        int enabled = 0;
        Map<String, RuleRow> rows = new HashMap<>();
        for (RuleRow row : store.rules()) {
            rows.put(row.ref(), row);
        }
        Set<String> disabled = store.disabledRuleRefs();
        for (Map.Entry<String, String> file : store.enabledRuleFiles().entrySet()) {
            List<SigmaDocument> documents;
            try {
                documents = SigmaParser.parse(file.getValue(), file.getKey());
            } catch (SigmaRuleException e) {
                continue; // a stored file that no longer parses detects nothing; `vigil rules list` reports it
            }
            for (SigmaDocument document : documents) {
                String ref = document.meta().reference();
                RuleRow row = ref == null ? null : rows.get(ref);
                if (row == null || !row.enabled() || disabled.contains(ref) || row.state() == RuleRow.State.FAILED
                        || !row.source().equals(file.getKey()) || document instanceof SigmaDocument.Filter) {
                    continue;
                }
                enabled++;
                String title = document.meta().title() == null ? ref : document.meta().title();
                for (String technique : document.meta().techniques()) {
                    rules.computeIfAbsent(technique, k -> new ArrayList<>()).add(title);
                }
            }
        }
        List<ExecutedQuery> queries = new ArrayList<>();
        Map<String, Long> alerts = new TreeMap<>();
        Map<String, List<String>> newest = new TreeMap<>();
        QueryResult fired = store.query(ALERTS_SQL, 100_000);
        queries.add(new ExecutedQuery("sql", ALERTS_SQL, fired.rows().size(), Math.round(fired.milliseconds())));
        for (List<Object> row : fired.rows()) {
            String technique = String.valueOf(row.get(0));
            alerts.put(technique, ((Number) row.get(1)).longValue());
            newest.put(technique, split(row.get(2)));
        }
        Map<String, List<Long>> incidents = new TreeMap<>();
        QueryResult placed = store.query(PLACED_SQL, 100_000);
        queries.add(new ExecutedQuery("sql", PLACED_SQL, placed.rows().size(), Math.round(placed.milliseconds())));
        Map<String, List<UUID>> alertsOf = new TreeMap<>();
        for (List<Object> row : placed.rows()) {
            alertsOf.put(String.valueOf(row.get(0)), split(row.get(1)).stream().map(UUID::fromString).toList());
        }
        long started = System.nanoTime();
        Map<UUID, Long> incidentOf = store.incidents().repository().incidentsOf(alertsOf.values().stream()
                .flatMap(List::stream).collect(Collectors.toSet()));
        queries.add(new ExecutedQuery("incidents", "incidents holding the alerts of each technique",
                new HashSet<>(incidentOf.values()).size(), Math.round((System.nanoTime() - started) / 1e6)));
        alertsOf.forEach((technique, ids) -> {
            List<Long> numbers = ids.stream().map(incidentOf::get).filter(Objects::nonNull).distinct().sorted()
                    .toList();
            if (!numbers.isEmpty()) {
                incidents.put(technique, numbers);
            }
        });
        return new TechniqueActivity(rules, alerts, newest, incidents, enabled, queries);
    }

    private static List<String> split(Object joined) {
        return joined == null || joined.toString().isEmpty() ? List.of() : Arrays.asList(joined.toString().split(","));
    }

    /** The queries that read the alerts and incidents, in order. */
    List<ExecutedQuery> queries() {
        return queries;
    }

    /** How many enabled rules the tenant has, tagged or not. */
    int enabledRules() {
        return enabledRules;
    }

    /** The techniques the enabled rules are tagged with, in id order. */
    Set<String> coveredTechniques() {
        return java.util.Collections.unmodifiableSet(rulesByTechnique.keySet());
    }

    /**
     * Whether an enabled rule detects the technique: one tagged with it, with one of its sub-techniques, or, for a
     * sub-technique, with its parent (a rule for {@code T1003} detects some form of {@code T1003.001}).
     */
    boolean detects(String technique) {
        int dot = technique.indexOf('.');
        return !rules(technique).isEmpty() || dot > 0 && rulesByTechnique.containsKey(technique.substring(0, dot));
    }

    /** The titles of the enabled rules tagged with the technique or one of its sub-techniques. */
    List<String> rules(String technique) {
        Set<String> out = new LinkedHashSet<>();
        rulesByTechnique.forEach((tagged, titles) -> {
            if (covers(technique, tagged)) {
                out.addAll(titles);
            }
        });
        return List.copyOf(out);
    }

    /** The alerts that name the technique or one of its sub-techniques. */
    Fired fired(String technique) {
        long count = 0;
        List<String> ids = new ArrayList<>();
        Set<Long> numbers = new java.util.TreeSet<>();
        for (Map.Entry<String, Long> entry : alertsByTechnique.entrySet()) {
            if (covers(technique, entry.getKey())) {
                count += entry.getValue();
                for (String id : newestByTechnique.getOrDefault(entry.getKey(), List.of())) {
                    if (ids.size() < NEWEST && !ids.contains(id)) {
                        ids.add(id);
                    }
                }
                numbers.addAll(incidentsByTechnique.getOrDefault(entry.getKey(), List.of()));
            }
        }
        return new Fired(count, ids, List.copyOf(numbers));
    }

    private static boolean covers(String technique, String tagged) {
        return tagged.equals(technique) || tagged.startsWith(technique + ".");
    }
}
