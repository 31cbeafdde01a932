package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.store.HuntRunner;
import dev.vigil.store.TenantStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** What the routes do: approvals and who may make them, hunting as HuntRunner does it, and the audit chain. */
@DisplayName("REST API operations")
class ApiOperationsTest {
    static final String KQL = "SysmonEvent | project Computer, CommandLine, EventID | sort by CommandLine asc";

    @TempDir
    Path data;

    ServerFixture fixture;

    @BeforeEach
    void start() {
        fixture = new ServerFixture(data);
    }

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    JsonNode actionState(String id) {
        JsonNode incident = fixture.get("/api/v1/tenants/acme/incidents/1", fixture.tokens.get("reader")).json();
        for (JsonNode action : incident.get("actions")) {
            if (action.get("id").asString().equals(id)) {
                return action;
            }
        }
        throw new AssertionError("no action " + id);
    }

    @Test
    void aReaderCannotApproveAndNothingIsRecordedButAnAnalystCan() {
        String id = fixture.firstAction();
        String before = actionState(id).get("status").asString();
        String path = "/api/v1/tenants/acme/incidents/1/actions/" + id + "/approve";

        ServerFixture.Answer refused = fixture.send("POST", path, fixture.tokens.get("reader"), null);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().get("code").asString()).isEqualTo("permission_denied");
        assertThat(actionState(id).get("status").asString()).isEqualTo(before);

        ServerFixture.Answer approved = fixture.send("POST", path, fixture.tokens.get("analyst"), null);
        assertThat(approved.status()).as(approved.body()).isEqualTo(200);
        assertThat(approved.json().get("status").asString()).isEqualToIgnoringCase("approved");
        assertThat(actionState(id).get("status").asString()).isEqualToIgnoringCase("approved");
        assertThat(actionState(id).get("decided_by").asString()).isEqualTo("acme-analyst");

        List<String> audit = AuditLog.records(data);
        assertThat(audit).anySatisfy(line -> assertThat(line).contains("/approve").contains("\"status\":403")
                .contains("\"actor\":\"acme-reader\""));
        assertThat(audit).anySatisfy(line -> assertThat(line).contains("/approve").contains("\"status\":200")
                .contains("\"actor\":\"acme-analyst\""));
        assertThat(audit).noneSatisfy(line -> assertThat(line).contains(ApiTokens.PREFIX));
    }

    @Test
    void huntReturnsTheRowsHuntRunnerReturnsAndErrorsWithLineAndColumn() {
        JsonNode answer = fixture.send("POST", "/api/v1/tenants/acme/hunt", fixture.tokens.get("analyst"),
                ApiJson.MAPPER.writeValueAsString(Map.of("query", KQL))).json();
        ServerFixture.Answer broken = fixture.send("POST", "/api/v1/tenants/acme/hunt", fixture.tokens.get("analyst"),
                "{\"query\":\"SysmonEvent\\n| wher x\"}");
        fixture.close(); // the server holds the store; HuntRunner reads it directly once it is released
        fixture = null;
        List<List<Object>> direct;
        try (TenantStore store = TenantStore.open(data, ServerFixture.ACME, TenantStore.Mode.READ_ONLY)) {
            direct = new HuntRunner(store).run(KQL, Map.of(), HuntRunner.Limits.defaults()).rows().rows();
        }
        List<List<Object>> overRest = new ArrayList<>();
        for (JsonNode row : answer.get("rows")) {
            overRest.add(List.of(row.get(0).asString(), row.get(1).asString(), row.get(2).asLong()));
        }
        assertThat(direct).hasSize(3);
        assertThat(overRest).isEqualTo(direct);
        assertThat(answer.get("kql").asString()).isEqualTo(KQL);
        assertThat(answer.get("sql").asString()).contains("\"tenant\" = 'acme'");

        assertThat(broken.status()).isEqualTo(400);
        assertThat(broken.json().get("code").asString()).isEqualTo("query_invalid");
        assertThat(broken.json().get("line").asInt()).isEqualTo(2);
        assertThat(broken.json().get("column").asInt()).isEqualTo(3);
        assertThat(broken.json().get("message").asString()).startsWith("2:3: ");
    }

    @Test
    void anIncidentUpdateOverRestIsRecordedWithTheTokensName() {
        ServerFixture.Answer updated = fixture.send("PATCH", "/api/v1/tenants/acme/incidents/1",
                fixture.tokens.get("analyst"), "{\"status\":\"active\",\"owner\":\"alice\",\"add_tags\":[\"x\"]}");
        assertThat(updated.status()).as(updated.body()).isEqualTo(200);
        assertThat(updated.json().get("status").asString()).isEqualTo("active");
        JsonNode history = fixture.get("/api/v1/tenants/acme/incidents/1", fixture.tokens.get("reader")).json()
                .get("history");
        assertThat(history.toString()).contains("acme-analyst");
        ServerFixture.Answer unknown = fixture.send("PATCH", "/api/v1/tenants/acme/incidents/1",
                fixture.tokens.get("analyst"), "{\"stauts\":\"active\"}");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().get("message").asString()).contains("stauts");
    }

    @Test
    void theAuditChainVerifiesAndATamperedRecordIsFoundAtThatRecord() throws Exception {
        for (int i = 0; i < 4; i++) {
            fixture.get("/api/v1/tenants/acme/alerts", fixture.tokens.get("reader"));
        }
        fixture.get("/api/v1/tenants/acme/alerts", null);
        AuditLog.Verification intact = AuditLog.verify(data);
        assertThat(intact.intact()).as(intact.reason()).isTrue();
        assertThat(intact.records()).isGreaterThanOrEqualTo(5);

        Path file = AuditLog.file(data);
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        lines.set(2, lines.get(2).replace("\"status\":200", "\"status\":201"));
        Files.write(file, lines);
        AuditLog.Verification tampered = AuditLog.verify(data);
        assertThat(tampered.brokenAt()).isEqualTo(3);
        assertThat(tampered.reason()).contains("changed");

        // a forger who also rehashes the record breaks the next record's link instead
        String line = lines.get(2);
        String unsealed = line.substring(0, line.lastIndexOf(",\"hash\":"));
        lines.set(2, unsealed + ",\"hash\":\"" + ApiTokens.sha256(unsealed) + "\"}");
        Files.write(file, lines);
        assertThat(AuditLog.verify(data).brokenAt()).isEqualTo(4);
    }
}
