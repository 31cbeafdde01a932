package dev.vigil.connectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.model.VigilException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Graph Security API pages stored from files")
class GraphSecurityPagesTest {
    @TempDir
    Path data;

    ConnectorFixture fixture;

    @BeforeEach
    void start() throws Exception {
        fixture = new ConnectorFixture(data);
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    @DisplayName("an incidents page lands as the connector lands it: the incident, its alerts, their product grouping")
    void storesAnIncidentsPageLikeTheConnector() {
        String page = GraphPayloads.page("incidents", null, List.of(GraphPayloads.incident("41", "2026-11-29T09:00:00Z",
                GraphPayloads.alert("a-1", "41", "2026-11-29T08:00:00Z", "2026-11-29T09:00:00Z"),
                GraphPayloads.alert("a-2", "41", "2026-11-29T08:30:00Z", "2026-11-29T09:00:00Z"))));

        RunSummary summary = GraphSecurityPages.store(ConnectorFixture.TENANT, fixture.store,
                GraphSecurityPages.Kind.INCIDENTS, "incidents.json", page, Clock.fixed(ConnectorFixture.NOW,
                        ZoneOffset.UTC));

        assertThat(summary.read()).isEqualTo(1);
        assertThat(summary.storedNew()).isEqualTo(3);
        assertThat(summary.alertsNew()).isEqualTo(2);
        assertThat(fixture.count(GraphSecurityMapping.INCIDENT_TABLE)).isEqualTo(1);
        assertThat(fixture.count(GraphSecurityMapping.ALERT_TABLE)).isEqualTo(2);
        assertThat(fixture.store.alerts(new dev.vigil.store.AlertQuery(List.of(), Long.MIN_VALUE, "informational", 10)))
                .extracting(dev.vigil.model.Alert::incidentRef).containsOnly("defender:41");

        RunSummary again = GraphSecurityPages.store(ConnectorFixture.TENANT, fixture.store,
                GraphSecurityPages.Kind.INCIDENTS, "incidents.json", page, Clock.systemUTC());
        assertThat(again.storedNew()).isZero();
        assertThat(again.alertsNew()).isZero();
    }

    @Test
    @DisplayName("a file that is not a page says so")
    void refusesWhatIsNotAPage() {
        assertThatThrownBy(() -> GraphSecurityPages.store(ConnectorFixture.TENANT, fixture.store,
                GraphSecurityPages.Kind.ALERTS, "alerts.json", "{\"items\": []}", Clock.systemUTC()))
                .isInstanceOf(VigilException.class).hasMessageContaining("alerts.json has no 'value' array");
    }
}
