package dev.vigil.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.incident.EntityKey;
import dev.vigil.incident.Prevalence;
import dev.vigil.incident.RemoteEntryIndex;
import dev.vigil.model.Alert;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The generated scenario's telemetry of remote entries: what the source look-up reads, for attacks and others alike. */
class IncidentScenarioTest {
    private static final Set<String> REMOTE = Set.of("T1021.001", "T1021.002", "T1021.006", "T1047", "T1569.002");

    @Test
    void attacksAndBenignRemoteAdministrationLeaveTheSameLogonsAndConnections() {
        RemoteEntryIndex entries = new RemoteEntryIndex();
        IncidentScenario scenario = new IncidentScenario(IncidentScenario.Shape.standard(3), entries::observe);
        Prevalence baseline = scenario.baseline();
        List<IncidentScenario.Labelled> alerts = new java.util.ArrayList<>(scenario.nextDay());
        alerts.addAll(scenario.nextDay());
        alerts.addAll(scenario.rest());

        int[] remote = new int[2];
        int[] withEntry = new int[2];
        int[] namingSource = new int[2];
        for (IncidentScenario.Labelled labelled : alerts) {
            Alert alert = labelled.alert();
            if (!REMOTE.contains(alert.techniques().getFirst())) {
                continue;
            }
            int kind = labelled.attack() ? 1 : 0;
            remote[kind]++;
            Set<EntityKey> targets = new LinkedHashSet<>();
            alert.entities().stream().filter(e -> e.kind().equals("host")).map(EntityKey::of)
                    .flatMap(java.util.Optional::stream).forEach(host -> {
                        targets.add(host);
                        targets.addAll(baseline.addressesOf(host));
                    });
            if (!entries.into(targets, alert.timeMicros() - 62_000_000L, alert.timeMicros()).isEmpty()) {
                withEntry[kind]++;
            }
            if (alert.entities().stream().anyMatch(e -> e.kind().equals("src_ip"))) {
                namingSource[kind]++;
            }
        }

        assertThat(remote[0]).as("benign remote administration alerts").isGreaterThan(20);
        assertThat(remote[1]).as("attacks' lateral alerts").isGreaterThan(40);
        for (int kind = 0; kind < 2; kind++) {
            assertThat((double) withEntry[kind] / remote[kind]).as("a logon or a connection into the host")
                    .isBetween(0.9, 1.0);
            assertThat((double) namingSource[kind] / remote[kind]).as("the alert names its source")
                    .isBetween(0.65, 0.92);
        }
        assertThat(entries.size()).as("users' share logons, administrators, deployment, the scanner")
                .isGreaterThan(10 * alerts.size());
    }
}
