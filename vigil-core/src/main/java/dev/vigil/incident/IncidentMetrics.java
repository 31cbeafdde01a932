package dev.vigil.incident;

import java.time.Duration;
import java.util.Collection;
import java.util.Optional;

/**
 * How fast incidents are taken up and closed: mean time to acknowledge (from the moment Vigil opened the incident to
 * the first analyst action) and mean time to resolve (from opening to resolution), over the incidents that got there.
 */
public record IncidentMetrics(int incidents, int open, int acknowledged, int resolved, Optional<Duration> mtta,
        Optional<Duration> mttr) {

    public static IncidentMetrics of(Collection<Incident> incidents) {
        long ackSum = 0;
        long resolveSum = 0;
        int acked = 0;
        int resolved = 0;
        int open = 0;
        for (Incident incident : incidents) {
            if (incident.open()) {
                open++;
            }
            if (incident.acknowledged() != null) {
                acked++;
                ackSum += Duration.between(incident.created(), incident.acknowledged()).toMillis();
            }
            if (incident.resolved() != null) {
                resolved++;
                resolveSum += Duration.between(incident.created(), incident.resolved()).toMillis();
            }
        }
        return new IncidentMetrics(incidents.size(), open, acked, resolved,
                acked == 0 ? Optional.empty() : Optional.of(Duration.ofMillis(ackSum / acked)),
                resolved == 0 ? Optional.empty() : Optional.of(Duration.ofMillis(resolveSum / resolved)));
    }
}
