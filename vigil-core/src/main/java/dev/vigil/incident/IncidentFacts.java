package dev.vigil.incident;

import static java.util.Objects.requireNonNull;

import dev.vigil.intel.attack.AttackKnowledge;
import dev.vigil.intel.ioc.Indicator;
import dev.vigil.model.EventId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Everything known about an incident that its analysis reads: the incident, its alerts with their reasons, the events
 * behind them, what the store knows about its entities, and the tenant's knowledge. The analysis reads nothing else,
 * so the same facts always give the same view.
 *
 * @param privilegedUsers users the events show holding privileges, with an event that shows it
 * @param related other incidents whose alerts name this incident's entities, with how many alerts do
 * @param indicators threat-intelligence indicators that match the incident's entities
 * @param attack the tenant's ATT&CK knowledge, when imported
 * @param common entities that are common in the organization (see {@link Prevalence})
 * @param criticality the business criticality the asset inventory gives each host (by its canonical name: low,
 *     medium, high, critical); empty when no inventory has been imported
 */
public record IncidentFacts(Incident incident, List<PlacedAlert> alerts, List<EventSummary> events,
        Map<String, EventId> privilegedUsers, Map<Long, Integer> related, List<Indicator> indicators,
        Optional<AttackKnowledge> attack, Predicate<EntityKey> common, Map<String, String> criticality) {

    /** Facts without an asset inventory. */
    public IncidentFacts(Incident incident, List<PlacedAlert> alerts, List<EventSummary> events,
            Map<String, EventId> privilegedUsers, Map<Long, Integer> related, List<Indicator> indicators,
            Optional<AttackKnowledge> attack, Predicate<EntityKey> common) {
        this(incident, alerts, events, privilegedUsers, related, indicators, attack, common, Map.of());
    }

    public IncidentFacts {
        requireNonNull(incident, "incident is null");
        alerts = List.copyOf(alerts);
        events = List.copyOf(events);
        privilegedUsers = Map.copyOf(privilegedUsers);
        related = Map.copyOf(related);
        indicators = List.copyOf(indicators);
        requireNonNull(attack, "attack is null");
        requireNonNull(common, "common is null");
        criticality = Map.copyOf(criticality);
    }
}
