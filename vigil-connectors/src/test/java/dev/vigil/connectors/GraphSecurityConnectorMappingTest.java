package dev.vigil.connectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.model.Alert;
import dev.vigil.model.TenantId;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/** The pure mapping of Graph Security records onto Vigil's tables and alerts. */
class GraphSecurityConnectorMappingTest {
    private static final TenantId ACME = TenantId.of("acme");

    static JsonNode json(String text) {
        return ConnectorRegistry.JSON.readTree(text);
    }

    @Test
    void anAlertBecomesARowAndAVigilAlertThatKeepsTheProductsIncident() throws Exception {
        SourceRecord record = GraphSecurityMapping.alert(ACME, json(GraphPayloads.alert("da637", "2972395",
                "2026-11-29T09:00:00.1234567Z", "2026-11-29T09:10:00Z")));

        assertThat(record.table()).isEqualTo("GraphSecurityAlert");
        assertThat(record.vendorId()).isEqualTo("da637");
        assertThat(record.time()).isEqualTo(Instant.parse("2026-11-29T09:00:00.1234567Z"));
        assertThat(record.modified()).isEqualTo(Instant.parse("2026-11-29T09:10:00Z"));
        Alert alert = record.alert().orElseThrow();
        assertThat(alert.source()).isEqualTo("graph-security");
        assertThat(alert.ruleId()).isEqualTo("e0da400f-affd-43ef-b1d5-afc2eb6f2756");
        assertThat(alert.title()).isEqualTo("Suspicious execution of hidden file");
        assertThat(alert.level()).isEqualTo("high");
        assertThat(alert.status()).isEqualTo("new");
        assertThat(alert.techniques()).containsExactly("T1564.001");
        assertThat(alert.incidentRef()).isEqualTo("defender:2972395");
        assertThat(alert.table()).isEqualTo("GraphSecurityAlert");
        assertThat(alert.matchedFields()).containsEntry("category", "DefenseEvasion")
                .containsEntry("serviceSource", "microsoftDefenderForEndpoint");
        assertThat(alert.entities()).extracting(e -> e.kind() + "=" + e.value()).containsExactly(
                "host=tempdc.contoso.com", "user=contoso\\tempadmin", "src_ip=10.0.0.4", "user=user1@contoso.com",
                "src_ip=203.0.113.7", "file_hash=8963a19fb992ad9a76576c5638fd68292cffb9aaac29eb8285f9abf6196a7dec",
                "url=http://phish.example/login");
        assertThat(alert.id()).isEqualTo(GraphSecurityMapping.alertId(ACME, "da637"));
    }

    @Test
    void anAlertWithoutAnIncidentHasNoIncidentRefAndFallsBackToItsTitleAsRule() throws Exception {
        Alert alert = GraphSecurityMapping.alert(ACME, json("""
                {"id":"a1","title":"Impossible travel","severity":"unknownFutureValue","status":"inProgress",
                 "createdDateTime":"2026-11-29T09:00:00Z","incidentId":null,"evidence":[
                 {"@odata.type":"#microsoft.graph.security.processEvidence","processId":4,
                  "processCommandLine":"cmd /c whoami","imageFile":{"fileName":"cmd.exe",
                  "filePath":"C:\\\\Windows\\\\System32","sha1":"aa"},"userAccount":{"accountName":"bob"}},
                 {"@odata.type":"#microsoft.graph.security.mailboxEvidence","primaryAddress":"bob@contoso.com"},
                 {"@odata.type":"#microsoft.graph.security.kubernetesPodEvidence","name":"pod-1"}]}""")).alert()
                .orElseThrow();

        assertThat(alert.incidentRef()).isEmpty();
        assertThat(alert.ruleId()).isEqualTo("Impossible travel");
        assertThat(alert.level()).isEqualTo("medium");
        assertThat(alert.status()).isEqualTo("in_progress");
        assertThat(alert.entities()).extracting(e -> e.kind() + "=" + e.value()).containsExactly(
                "process=C:\\Windows\\System32\\cmd.exe", "file_hash=aa", "user=bob", "user=bob@contoso.com");
    }

    @ParameterizedTest
    @CsvSource({"informational,informational", "low,low", "medium,medium", "high,high", "unknown,medium"})
    void severitiesMapOntoLevels(String severity, String level) {
        assertThat(GraphSecurityMapping.level(severity)).isEqualTo(level);
    }

    @Test
    void recordsWithoutIdOrTimeAreRejectedWithTheReason() {
        assertThatThrownBy(() -> GraphSecurityMapping.alert(ACME, json("{\"title\":\"x\"}")))
                .hasMessage("the record has no 'id'");
        assertThatThrownBy(() -> GraphSecurityMapping.alert(ACME, json("{\"id\":\"x\",\"createdDateTime\":\"never\"}")))
                .hasMessage("the record has no valid 'createdDateTime'");
    }

    @Test
    void anIncidentsExpandedAlertsCarryItsId() throws Exception {
        JsonNode incident = json(GraphPayloads.incident("77", "2026-11-29T10:00:00Z",
                "{\"id\":\"a1\",\"createdDateTime\":\"2026-11-29T09:00:00Z\"}"));
        assertThat(GraphSecurityMapping.incident(incident).table()).isEqualTo("GraphSecurityIncident");
        assertThat(GraphSecurityMapping.incidentAlerts(incident)).singleElement()
                .satisfies(a -> assertThat(a.path("incidentId").asString()).isEqualTo("77"));
    }
}
