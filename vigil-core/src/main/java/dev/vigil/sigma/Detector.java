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
 *
 * <p>A correlation's alert names the values it grouped by. A temporal_ordered correlation's alert also names the
 * entities (host, user, addresses) of the event that completed its sequence, the match of its last rule: that step
 * is the outcome ("a successful sign-in after a spray", "an accepted password after a brute force"), and its account
 * is the one to act on, where the group alone (the spray's address) would not say who was broken into.
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
    /** The rules (by id and name) that end a temporal_ordered sequence, whose matches may complete one. */
    private final Set<String> sequenceEnds = new HashSet<>();
    /** The entities of the pending signals of {@link #sequenceEnds} rules, by event id; cleared at each feed. */
    private final Map<String, List<Alert.Entity>> completingEntities = new HashMap<>();
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
            if (c.type() == SigmaDocument.CorrelationType.TEMPORAL_ORDERED && !c.rules().isEmpty()) {
                sequenceEnds.add(c.rules().getLast());
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
                    if (sequenceEnds.contains(meta.id()) || sequenceEnds.contains(meta.name())) {
                        completingEntities.put(event.id().toString(), Alert.entitiesOf(event));
                    }
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
        List<Alert> out = new ArrayList<>();
        for (CorrelationEngine.Signal signal : pending) {
            for (CorrelationEngine.Fired f : correlations.accept(signal)) {
                // a sequence completed by this signal's event, which is the last one behind the firing
                boolean completed = f.correlation().type() == SigmaDocument.CorrelationType.TEMPORAL_ORDERED
                        && signal.eventId() != null && !f.eventIds().isEmpty()
                        && f.eventIds().getLast().equals(signal.eventId());
                report(f, completed ? completingEntities.getOrDefault(signal.eventId(), List.of()) : List.of(), out);
            }
        }
        pending.clear();
        completingEntities.clear();
        if (closeWindows) {
            for (CorrelationEngine.Fired f : correlations.advanceTo(Long.MAX_VALUE)) {
                report(f, List.of(), out);
            }
        }
        return out;
    }

    private void report(CorrelationEngine.Fired f, List<Alert.Entity> completing, List<Alert> out) {
        SigmaDocument.Meta meta = f.correlation().meta();
        if (correlations.generatesOwnAlerts(meta.id(), meta.name()) && !f.eventIds().isEmpty()) {
            out.add(alert(f, completing));
            correlationHits.merge(meta.reference(), 1L, Long::sum);
        }
    }

    /** The alert of a firing: the group's values, then the entities of the event that completed it, if any. */
    private Alert alert(CorrelationEngine.Fired fired, List<Alert.Entity> completing) {
        SigmaDocument.Meta meta = fired.correlation().meta();
        List<EventId> ids = fired.eventIds().stream().map(EventId::parse).toList();
        Map<String, String> matched = new LinkedHashMap<>(fired.group());
        matched.put(fired.correlation().type().sigmaName(), formatValue(fired.value()));
        List<Alert.Entity> entities = new ArrayList<>();
        fired.group().forEach((field, value) -> entities.add(new Alert.Entity(field, value)));
        for (Alert.Entity entity : completing) {
            if (!entities.contains(entity)) {
                entities.add(entity);
            }
        }
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
