package dev.vigil.sigma;

import static java.util.Objects.requireNonNull;

import dev.vigil.model.Alert;
import dev.vigil.model.Event;
import dev.vigil.model.EventId;
import dev.vigil.model.TenantId;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a tenant's rules over events and turns matches into {@link Alert}s: one per rule and event, carrying the
 * rule's title, level, status and ATT&CK techniques, the matched fields, the event's entities and its id. Confined
 * to one thread, like the evaluator it holds.
 */
public final class Detector {

    private final TenantId tenant;
    private final RuleSet rules;
    private final RuleSet.Evaluator evaluator;
    private long alerts;

    public Detector(TenantId tenant, RuleSet rules) {
        this.tenant = requireNonNull(tenant, "tenant is null");
        this.rules = requireNonNull(rules, "rules is null");
        this.evaluator = rules.evaluator();
    }

    public List<Alert> detect(List<Event> events) {
        List<Alert> out = new ArrayList<>();
        for (Event event : events) {
            for (RuleSet.Match match : evaluator.match(EventView.of(event))) {
                out.add(alert(match, event));
            }
        }
        alerts += out.size();
        return out;
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

    /** Per-rule evaluation counts, hits and sampled cost since this detector was made. */
    public List<RuleSet.RuleStats> stats() {
        return evaluator.stats();
    }

    public long events() {
        return evaluator.events();
    }

    public long alerts() {
        return alerts;
    }
}
