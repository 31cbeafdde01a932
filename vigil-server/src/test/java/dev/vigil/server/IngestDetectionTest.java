package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.TenantId;
import dev.vigil.store.RuleRow;
import dev.vigil.store.TenantStore;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Data sent to the server is detected on arrival as {@code vigil ingest} detects it: the tenant's enabled rules match
 * each record before it is stored, and new alerts are placed in incidents.
 */
@DisplayName("Detection on the ingest API")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IngestDetectionTest {
    @TempDir
    static Path data;

    ServerFixture fixture;

    static final String RULE_ID = "4c3a1f4e-6d3b-4f0e-9a51-0f6e2b7d9a10";
    static final String RULE = """
            title: Logon failure of the break-glass account
            id: 4c3a1f4e-6d3b-4f0e-9a51-0f6e2b7d9a10
            status: stable
            level: high
            tags:
              - attack.credential-access
              - attack.t1110
            logsource:
              product: windows
              service: security
            detection:
              selection:
                EventID: 4625
                TargetUserName: breakglass
              condition: selection
            """;

    @BeforeAll
    void start() {
        try (TenantStore store = TenantStore.open(data, TenantId.of("acme"), TenantStore.Mode.READ_WRITE)) {
            store.putRuleFile("breakglass.yml", RULE, List.of(RuleRow.imported(RULE_ID, RuleRow.Kind.RULE,
                    "Logon failure of the break-glass account", "high", "stable", "breakglass.yml",
                    List.of("SecurityEvent"), RuleRow.State.ACTIVE, "")));
            store.commit();
        }
        fixture = new ServerFixture(data);
    }

    @AfterAll
    void stop() {
        fixture.close();
    }

    static String logonFailure(String user, String minute) {
        return "{\"Channel\": \"Security\", \"EventID\": 4625, \"Computer\": \"dc01.acme.local\", \"TargetUserName\": \""
                + user + "\", \"IpAddress\": \"203.0.113.7\", \"TimeCreated\": \"2026-11-29T10:" + minute + ":00Z\"}\n";
    }

    @Test
    void aRecordThatMatchesAnEnabledRuleRaisesAnAlertThatLandsInAnIncident() {
        ServerFixture.Answer quiet = fixture.send("POST", "/api/v1/tenants/acme/ingest", fixture.tokens.get("ingest"),
                logonFailure("alice", "00"));
        assertThat(quiet.status()).as(quiet.body()).isEqualTo(200);
        assertThat(quiet.json().get("alerts_new").asLong()).isZero();

        ServerFixture.Answer hit = fixture.send("POST", "/api/v1/tenants/acme/ingest", fixture.tokens.get("ingest"),
                logonFailure("breakglass", "01") + logonFailure("breakglass", "02"));
        assertThat(hit.status()).as(hit.body()).isEqualTo(200);
        assertThat(hit.json().get("tables").has("SecurityEvent")).as(hit.body()).isTrue();
        assertThat(hit.json().get("alerts_new").asLong()).isEqualTo(2);
        assertThat(hit.json().get("incidents").get("alerts").asLong()).isEqualTo(2);

        JsonNode alerts = fixture.get("/api/v1/tenants/acme/alerts", fixture.tokens.get("reader")).json();
        assertThat(alerts.toString()).contains("Logon failure of the break-glass account").contains("breakglass");
        JsonNode incidents = fixture.get("/api/v1/tenants/acme/incidents", fixture.tokens.get("reader")).json();
        assertThat(incidents.toString()).contains("break-glass");

        // sent again: the same events and alert ids, stored once
        ServerFixture.Answer again = fixture.send("POST", "/api/v1/tenants/acme/ingest", fixture.tokens.get("ingest"),
                logonFailure("breakglass", "01") + logonFailure("breakglass", "02"));
        assertThat(again.json().get("stored_new").asLong()).isZero();
        assertThat(again.json().get("alerts_new").asLong()).isZero();
        // another tenant without the rule: stored, not detected
        ServerFixture.Answer globex = fixture.send("POST", "/api/v1/tenants/globex/ingest",
                fixture.tokens.get("other-tenant"), logonFailure("breakglass", "03"));
        assertThat(globex.json().get("alerts_new").asLong()).isZero();

        // what checking them cost is committed with the batches: the four break-glass records were checked in full
        // (alice's the candidate index ruled out) and matched, over three requests
        RuleRow rule = fixture.server.stores().read(TenantId.of("acme"), store -> store.rules().stream()
                .filter(r -> r.ref().contains(RULE_ID)).findFirst().orElseThrow());
        assertThat(rule.evaluations()).isEqualTo(4);
        assertThat(rule.hits()).isEqualTo(4);
    }
}
