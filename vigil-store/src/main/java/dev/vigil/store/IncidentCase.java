package dev.vigil.store;

import static java.util.Objects.requireNonNull;

import dev.vigil.incident.CorrelationPolicy;
import dev.vigil.incident.Incident;
import dev.vigil.incident.IncidentAnalyzer;
import dev.vigil.incident.IncidentChange;
import dev.vigil.incident.IncidentFacts;
import dev.vigil.incident.IncidentMetrics;
import dev.vigil.incident.IncidentView;
import dev.vigil.incident.Responder;
import dev.vigil.incident.ResponseAction;
import dev.vigil.incident.ResponsePlan;
import dev.vigil.intel.attack.AttackKnowledge;
import dev.vigil.model.Principal;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One incident read in one go with its analysis, proposed actions and history: what {@code vigil incidents show} and
 * {@code GET /api/v1/tenants/T/incidents/N} both present, and what approving or rejecting an action starts from.
 * Assembling it here keeps the CLI and the server from each wiring the analyzer and the response plan their own way.
 */
public record IncidentCase(IncidentFacts facts, IncidentView view, List<ResponseAction> actions,
        List<IncidentChange> changes) {
    /** How many alerts of an incident the analysis reads at most. */
    public static final int ALERT_LIMIT = 200;

    public IncidentCase {
        requireNonNull(facts, "facts is null");
        requireNonNull(view, "view is null");
        actions = List.copyOf(actions);
        changes = List.copyOf(changes);
    }

    /** Reads and analyzes incident {@code number}; the principal needs the reader role. */
    public static IncidentCase load(TenantStore store, Principal principal, long number,
            Optional<AttackKnowledge> attack, CorrelationPolicy policy) {
        IncidentFacts facts = store.incidents().facts(principal, number, attack, policy, ALERT_LIMIT);
        IncidentView view = IncidentAnalyzer.analyze(facts);
        List<ResponseAction> actions = ResponsePlan.actions(store.tenant(), number, view.cards(),
                store.incidents().decisions(principal, number));
        return new IncidentCase(facts, view, actions, store.incidents().changesOf(principal, number));
    }

    /**
     * Approves the action (its id or a prefix of it) and records it; then, when a responder is given, sends it and
     * records the outcome. The principal needs the analyst role; nothing is recorded when it lacks it.
     */
    public ResponseAction approve(TenantStore store, Principal principal, String action,
            Optional<Responder> responder, Instant now) {
        long number = view.incident().number();
        ResponseAction approved = ResponsePlan.approve(ResponsePlan.find(actions, number, action), principal, now);
        store.incidents().record(approved, now);
        ResponseAction done = responder.map(r -> ResponsePlan.execute(approved, view.incident(), store.tenant(), r,
                Instant.now())).orElse(approved);
        if (done != approved) {
            store.incidents().record(done, Instant.now());
        }
        return done;
    }

    /** Rejects the action with the reason and records it; the principal needs the analyst role. */
    public ResponseAction reject(TenantStore store, Principal principal, String action, String reason, Instant now) {
        long number = view.incident().number();
        ResponseAction rejected = ResponsePlan.reject(ResponsePlan.find(actions, number, action), principal, now,
                reason);
        store.incidents().record(rejected, now);
        return rejected;
    }

    /** The whole analysis as JSON-ready maps and records: incident, view, actions, why each alert is in, history. */
    public Map<String, Object> toJson() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("incident", summary(view.incident()));
        body.put("view", view);
        body.put("actions", actions);
        body.put("reasons", facts.alerts().stream().map(p -> {
            Map<String, Object> reason = new LinkedHashMap<>();
            reason.put("alert", p.alert().id().toString());
            reason.put("kind", p.reason().kind().toString());
            reason.put("explanation", p.reason().explain(id -> id.toString().substring(0, 8)));
            return reason;
        }).toList());
        body.put("history", changes);
        return body;
    }

    /** An incident's lifecycle fields as JSON-ready map, as every listing of incidents shows them. */
    public static Map<String, Object> summary(Incident incident) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("number", incident.number());
        json.put("title", incident.title());
        json.put("status", incident.status().toString());
        json.put("severity", incident.severity());
        json.put("classification", incident.classification().toString());
        json.put("determination", incident.determination());
        json.put("owner", incident.owner());
        json.put("tags", incident.tags());
        json.put("alerts", incident.alertCount());
        json.put("first_seen", incident.firstSeen().toString());
        json.put("last_seen", incident.lastSeen().toString());
        json.put("created", incident.created().toString());
        json.put("acknowledged", incident.acknowledged() == null ? null : incident.acknowledged().toString());
        json.put("resolved", incident.resolved() == null ? null : incident.resolved().toString());
        json.put("reference", incident.reference());
        return json;
    }

    /** MTTA and MTTR figures as a JSON-ready map. */
    public static Map<String, Object> metrics(IncidentMetrics metrics) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("incidents", metrics.incidents());
        json.put("open", metrics.open());
        json.put("acknowledged", metrics.acknowledged());
        json.put("resolved", metrics.resolved());
        json.put("mtta_seconds", metrics.mtta().map(Duration::toSeconds).orElse(null));
        json.put("mttr_seconds", metrics.mttr().map(Duration::toSeconds).orElse(null));
        return json;
    }
}
