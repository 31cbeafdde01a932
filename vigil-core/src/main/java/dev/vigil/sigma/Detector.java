package dev.vigil.sigma;

import static java.util.Objects.requireNonNull;

import dev.vigil.model.Alert;
import dev.vigil.model.Event;
import dev.vigil.model.EventId;
import dev.vigil.model.TenantId;
import dev.vigil.sigma.SigmaDocument.Correlation;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs a tenant's rules over events and turns matches into {@link Alert}s: one per rule and event, carrying the
 * rule's title, level, status and ATT&CK techniques, the matched fields, the event's entities and its id.
 *
 * <p>Matches of rules that correlation rules refer to become signals for the {@link CorrelationEngine}. Signals are
 * buffered and fed in event-time order when the buffer fills and at {@link #finish()}, because events reach detection
 * in file order, table by table on a retro-hunt, not in time order; a correlation that fires becomes an alert over
 * the events behind it. As the specification says, a rule a correlation refers to alerts on its own only when one of
 * those correlations sets {@code generate: true}. Confined to one thread, like the evaluator it holds.
 */
public final class Detector implements EventDetector {

    /** Signals held before they are sorted and fed; each holds only the few fields correlations read. */
    static final int SIGNAL_BUFFER = 100_000;

    private final TenantId tenant;
    private final RuleSet rules;
    private final RuleSet.Evaluator evaluator;
    private final CorrelationEngine correlations;
    private final Set<String> referenced = new HashSet<>();
    private final Set<String> correlationFields = new HashSet<>();
    private final List<CorrelationEngine.Signal> pending = new ArrayList<>();
    private long alerts;
    /** Alerts raised per correlation, for the rules' statistics. */
    private final Map<String, Long> correlationHits = new HashMap<>();

    public Detector(TenantId tenant, RuleSet rules) {
        this.tenant = requireNonNull(tenant, "tenant is null");
        this.rules = requireNonNull(rules, "rules is null");
        this.evaluator = rules.evaluator();
        List<Correlation> list = rules.correlations();
        this.correlations = list.isEmpty() ? null : new CorrelationEngine(list, CorrelationEngine.Limits.defaults());
        for (Correlation c : list) {
            referenced.addAll(c.rules());
            correlationFields.addAll(c.groupBy());
            c.aliases().values().forEach(perRule -> correlationFields.addAll(perRule.values()));
            if (c.condition() != null && c.condition().field() != null) {
                correlationFields.add(c.condition().field());
            }
        }
    }

    @Override
    public List<Alert> detect(List<Event> events) {
        List<Alert> out = new ArrayList<>();
        for (Event event : events) {
            EventView view = EventView.of(event);
            for (RuleSet.Match match : evaluator.match(view)) {
                SigmaDocument.Meta meta = match.rule().rule().meta();
                if (correlations != null && (referenced.contains(meta.id()) || referenced.contains(meta.name()))) {
                    pending.add(signal(meta, event, view));
                }
                if (correlations == null || correlations.generatesOwnAlerts(meta.id(), meta.name())) {
                    out.add(alert(match, event));
                }
            }
        }
        if (pending.size() >= SIGNAL_BUFFER) {
            out.addAll(feed(false));
        }
        alerts += out.size();
        return out;
    }

    /** Feeds the buffered signals and closes every correlation window; call once after the last events. */
    @Override
    public List<Alert> finish() {
        List<Alert> out = feed(true);
        alerts += out.size();
        return out;
    }

    private CorrelationEngine.Signal signal(SigmaDocument.Meta meta, Event event, EventView view) {
        Map<String, String> fields = new HashMap<>();
        for (String field : correlationFields) {
            String text = view.text(field);
            if (text != null) {
                fields.put(field, text);
            }
        }
        return new CorrelationEngine.Signal(meta.id(), meta.name(), event.timeMicros(), fields::get,
                event.id().toString());
    }

    private List<Alert> feed(boolean closeWindows) {
        if (correlations == null) {
            return List.of();
        }
        pending.sort(Comparator.comparingLong(CorrelationEngine.Signal::timeMicros));
        List<CorrelationEngine.Fired> fired = new ArrayList<>();
        for (CorrelationEngine.Signal signal : pending) {
            fired.addAll(correlations.accept(signal));
        }
        pending.clear();
        if (closeWindows) {
            fired.addAll(correlations.advanceTo(Long.MAX_VALUE));
        }
        List<Alert> out = new ArrayList<>();
        for (CorrelationEngine.Fired f : fired) {
            SigmaDocument.Meta meta = f.correlation().meta();
            if (correlations.generatesOwnAlerts(meta.id(), meta.name()) && !f.eventIds().isEmpty()) {
                out.add(alert(f));
                correlationHits.merge(meta.reference(), 1L, Long::sum);
            }
        }
        return out;
    }

    private Alert alert(CorrelationEngine.Fired fired) {
        SigmaDocument.Meta meta = fired.correlation().meta();
        List<EventId> ids = fired.eventIds().stream().map(EventId::parse).toList();
        Map<String, String> matched = new LinkedHashMap<>(fired.group());
        matched.put(fired.correlation().type().sigmaName(), formatValue(fired.value()));
        List<Alert.Entity> entities = fired.group().entrySet().stream()
                .map(e -> new Alert.Entity(e.getKey(), e.getValue())).toList();
        return new Alert(Alert.idFor(tenant, meta.reference(), ids), tenant, "sigma-correlation", meta.reference(),
                meta.title(), meta.level(), meta.status(), fired.lastMicros(), meta.techniques(), matched, entities,
                ids, "");
    }

    private static String formatValue(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }

    private Alert alert(RuleSet.Match match, Event event) {
        SigmaDocument.Meta meta = match.rule().rule().meta();
        String ruleId = match.rule().id();
        List<EventId> ids = List.of(event.id());
        return new Alert(Alert.idFor(tenant, ruleId, ids), tenant, "sigma", ruleId, meta.title(), meta.level(),
                meta.status(), event.timeMicros(), meta.techniques(), match.matchedFields(), Alert.entitiesOf(event),
                ids, event.table());
    }

    public RuleSet rules() {
        return rules;
    }

    /** The correlation engine's figures, or null when the rule set has no correlations. */
    public CorrelationEngine.Stats correlationStats() {
        return correlations == null ? null : correlations.stats();
    }

    /**
     * Per-rule evaluation counts, hits and sampled cost since this detector was made; correlations report the alerts
     * they raised as hits (their work is per signal, not per event, so they report no evaluations).
     */
    public List<RuleSet.RuleStats> stats() {
        List<RuleSet.RuleStats> out = new ArrayList<>(evaluator.stats());
        correlationHits.forEach((reference, hits) -> out.add(new RuleSet.RuleStats(reference, 0, hits, 0)));
        return out;
    }

    public long events() {
        return evaluator.events();
    }

    public long alerts() {
        return alerts;
    }
}
