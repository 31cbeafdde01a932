package dev.vigil.ai;

import static dev.vigil.ai.FakeOpenAiServer.stream;
import static dev.vigil.ai.FakeOpenAiServer.text;
import static dev.vigil.ai.FakeOpenAiServer.toolCalls;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.copilot.Plan;
import dev.vigil.copilot.SkillCall;
import dev.vigil.copilot.model.EvidenceLedger;
import dev.vigil.copilot.model.ModelAssistant;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** The model path end to end, over LangChain4j's real HTTP client and a scripted OpenAI-compatible server. */
class ModelAssistantTest {
    @TempDir
    Path data;

    FakeOpenAiServer server;
    Tenant tenant;
    List<String> partial;

    @BeforeEach
    void start() throws Exception {
        server = new FakeOpenAiServer();
        tenant = new Tenant();
        partial = new ArrayList<>();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    ModelAssistant assistant(String policy) {
        return Tenant.assistant(Tenant.config(server.baseUrl(), policy, "5s"), data);
    }

    @Test
    void goodPlanRunsAndItsAnswerStreamsWithCheckedCitations() {
        server.then(toolCalls("alerts-list", "{\"host\":\"HOST_1\",\"status\":\"open\"}"))
                .then(stream("HOST_1 had 3 failed logons ", "by USER_1 [E1]. ", "It raised an alert [E2]. ",
                        "The attacker is surely APT29 [E7]. ", "57 processes ran [E1]."));

        ModelAssistant.Outcome outcome = tenant.ask(assistant("redact"), "show open alerts on ws007", partial);

        assertThat(outcome.byModel()).isTrue();
        assertThat(outcome.plan().route()).isEqualTo(Plan.Route.SKILL);
        assertThat(tenant.ran).containsExactly(SkillCall.of("alerts-list",
                Map.of("host", List.of("WS007"), "status", List.of("open"))));
        EvidenceLedger.Checked prose = outcome.prose().orElseThrow();
        assertThat(prose.markdown()).isEqualTo("WS007 had 3 failed logons by alice [E1]. It raised an alert [E2]."
                + " The attacker is surely APT29 " + EvidenceLedger.UNVERIFIED + ". 57 "
                + EvidenceLedger.UNKNOWN_NUMBER + " processes ran [E1].");
        assertThat(prose.cited()).containsExactly("E1", "E2");
        assertThat(prose.removedCitations()).containsExactly("E7");
        assertThat(prose.unknownNumbers()).containsExactly("57");
        assertThat(String.join("", partial)).startsWith("WS007 had 3 failed logons by alice [E1].");

        List<FakeOpenAiServer.Received> requests = server.received();
        assertThat(requests).hasSize(2);
        JsonNode plan = requests.get(0).json();
        assertThat(plan.has("tools")).isTrue();
        assertThat(toolNames(plan)).containsExactly("hunt", "host-analysis", "alerts-list", "indicator-reputation",
                "article-impact");
        assertThat(requests.get(0).body()).doesNotContain("WS007", "ws007").contains("HOST_1");
        JsonNode compose = requests.get(1).json();
        assertThat(compose.has("tools")).as("a composition offers no tools").isFalse();
        assertThat(compose.get("stream").asBoolean()).isTrue();
        assertThat(requests.get(1).body()).doesNotContain("WS007", "alice", "10.1.2.3", "Hunter2!")
                .contains("HOST_1", "USER_1", "SECRET_1")
                .contains("IP_2"); // IP_1 is the address in a tool's example, redacted while planning
        assertThat(requests.get(0).body()).contains("is IP_1 malicious").doesNotContain("203.0.113.7");
    }

    @Test
    void everyCallIsAuditedExactlyAsSent() throws Exception {
        server.then(toolCalls("host-analysis", "{\"host\":\"HOST_1\"}")).then(stream("Done [E1]."));

        tenant.ask(assistant("redact"), "what happened on WS007", partial);

        List<String> lines = Files.readAllLines(ModelAuditLog.file(data, "acme"), StandardCharsets.UTF_8);
        assertThat(lines).hasSize(2);
        for (int i = 0; i < 2; i++) {
            JsonNode record = FakeOpenAiServer.JSON.readTree(lines.get(i));
            assertThat(record.get("request").asString()).isEqualTo(server.received().get(i).body());
            assertThat(record.get("purpose").asString()).isEqualTo(i == 0 ? "plan" : "compose");
            assertThat(record.get("policy").asString()).isEqualTo("redact");
        }
        assertThat(FakeOpenAiServer.JSON.readTree(lines.get(1)).get("prev").asString())
                .isEqualTo(FakeOpenAiServer.JSON.readTree(lines.get(0)).get("hash").asString());
    }

    @Test
    void unknownSkillIsRejectedAndTheEmbeddedPlanAnswers() {
        server.then(toolCalls("delete-all-events", "{}")).then(stream("WS007 had 3 failed logons [E1]."));

        ModelAssistant.Outcome outcome = tenant.ask(assistant("allow"), "what happened on WS007", partial);

        assertThat(outcome.byModel()).isFalse();
        assertThat(outcome.log().get(0).detail()).contains("'delete-all-events', which is not an offered skill");
        assertThat(tenant.ran).extracting(SkillCall::skill).containsExactly("host-analysis");
    }

    @Test
    void anActionIsNeverOfferedNorRun() {
        server.then(toolCalls("isolate-host", "{\"host\":\"WS007\"}")).then(stream("Nothing was isolated [E1]."));

        ModelAssistant.Outcome outcome = tenant.ask(assistant("allow"), "isolate WS007 now", partial);

        assertThat(toolNames(server.received().get(0).json())).doesNotContain("isolate-host");
        assertThat(outcome.byModel()).isFalse();
        assertThat(tenant.ran).extracting(SkillCall::skill).doesNotContain("isolate-host");
    }

    @Test
    void ungroundedInputIsRejected() {
        server.then(toolCalls("host-analysis", "{\"host\":\"SRV-EVIL99\"}")).then(stream("x [E1]."));

        ModelAssistant.Outcome outcome = tenant.ask(assistant("allow"), "what happened on WS007", partial);

        assertThat(outcome.byModel()).isFalse();
        assertThat(outcome.log().get(0).detail()).contains("'SRV-EVIL99'", "neither in the prompt");
        assertThat(tenant.ran).containsExactly(SkillCall.of("host-analysis", Map.of("host", List.of("WS007"))));
    }

    @Test
    void anInventedIndicatorIsRejected() {
        server.then(toolCalls("indicator-reputation", "{\"indicator\":\"198.51.100.9\"}")).then(stream("x [E1]."));

        ModelAssistant.Outcome outcome = tenant.ask(assistant("allow"), "is 203.0.113.7 malicious", partial);

        assertThat(outcome.byModel()).isFalse();
        assertThat(tenant.ran).isEmpty(); // the embedded plan of this test tenant has nothing for it
    }

    @Test
    void aQueryThatFailsToCompileTwiceFallsBack() {
        String bad = "{\"query\":\"SecurityEvent | where FakeColumn == 4625\"}";
        server.then(toolCalls("hunt", bad)).then(toolCalls("hunt", bad)).then(toolCalls("hunt", bad))
                .then(stream("WS007 had 3 failed logons [E1]."));

        ModelAssistant.Outcome outcome = tenant.ask(assistant("allow"), "failed logons on WS007", partial);

        assertThat(outcome.byModel()).isFalse();
        assertThat(outcome.log().get(0).detail()).contains("after 2 repairs", "unknown column 'FakeColumn'");
        List<FakeOpenAiServer.Received> requests = server.received();
        assertThat(requests).hasSize(4);
        JsonNode repair = requests.get(1).json().get("messages");
        JsonNode last = repair.get(repair.size() - 1);
        assertThat(last.get("role").asString()).isEqualTo("tool");
        assertThat(last.get("tool_call_id").asString()).isEqualTo("call_1");
        assertThat(last.get("content").asString()).contains("does not compile", "unknown column 'FakeColumn'");
        assertThat(requests.get(2).json().get("messages")).hasSize(6);
        assertThat(tenant.ran).extracting(SkillCall::skill).containsExactly("host-analysis");
    }

    @Test
    void aQueryRepairedOnceIsAccepted() {
        server.then(toolCalls("hunt", "{\"query\":\"SecurityEvent | where FakeColumn == 4625\"}"))
                .then(toolCalls("hunt", "{\"query\":\"SecurityEvent | where EventID == 4625 | count\"}"))
                .then(stream("The query returned 2 rows [E1]."));

        ModelAssistant.Outcome outcome = tenant.ask(assistant("allow"), "how many failed logons", partial);

        assertThat(outcome.byModel()).isTrue();
        assertThat(outcome.plan().route()).isEqualTo(Plan.Route.QUERY);
        assertThat(tenant.ran).containsExactly(SkillCall.of("hunt",
                Map.of("query", List.of("SecurityEvent | where EventID == 4625 | count"))));
        assertThat(outcome.prose().orElseThrow().markdown()).isEqualTo("The query returned 2 rows [E1].");
    }

    @Test
    void aTimeoutFallsBackWithoutComposing() {
        ModelAssistant slow = Tenant.assistant(Tenant.config(server.baseUrl(), "allow", "300ms"), data);
        server.then(new FakeOpenAiServer.Reply.Late(3_000, toolCalls("host-analysis", "{\"host\":\"WS007\"}")));

        long started = System.nanoTime();
        ModelAssistant.Outcome outcome = tenant.ask(slow, "what happened on WS007", partial);

        assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(2_500);
        assertThat(outcome.byModel()).isFalse();
        assertThat(outcome.log().get(0).detail()).contains("300 ms");
        assertThat(outcome.prose()).isEmpty();
        assertThat(tenant.ran).extracting(SkillCall::skill).containsExactly("host-analysis");
    }

    @Test
    void malformedJsonFromTheServerFallsBack() {
        server.then(new FakeOpenAiServer.Reply.Raw(200, "application/json", "{\"choices\": [ {\"message\": "));

        ModelAssistant.Outcome outcome = tenant.ask(assistant("allow"), "what happened on WS007", partial);

        assertThat(outcome.byModel()).isFalse();
        assertThat(outcome.log().get(0).detail()).contains("the model failed");
        assertThat(tenant.ran).extracting(SkillCall::skill).containsExactly("host-analysis");
    }

    @Test
    void malformedToolArgumentsFallBack() {
        server.then(toolCalls("host-analysis", "{\"host\": \"WS007\"")).then(stream("x [E1]."));

        ModelAssistant.Outcome outcome = tenant.ask(assistant("allow"), "what happened on WS007", partial);

        assertThat(outcome.byModel()).isFalse();
        assertThat(outcome.log().get(0).detail()).contains("not JSON");
    }

    @Test
    void aReplyWithoutToolCallsFallsBack() {
        server.then(text("WS007 is fine, trust me.")).then(stream("x [E1]."));

        ModelAssistant.Outcome outcome = tenant.ask(assistant("allow"), "what happened on WS007", partial);

        assertThat(outcome.byModel()).isFalse();
        assertThat(outcome.log().get(0).detail()).contains("no skill call");
    }

    @Test
    void localOnlyMakesNoCallToARemoteModel() {
        ModelAssistant remote = Tenant.assistant(Tenant.config("https://api.example.com/v1", "local-only", "5s"), data);

        ModelAssistant.Outcome outcome = tenant.ask(remote, "what happened on WS007", partial);

        assertThat(outcome.byModel()).isFalse();
        assertThat(outcome.prose()).isEmpty();
        assertThat(outcome.log().get(0).detail()).contains("policy local-only");
        assertThat(Files.exists(ModelAuditLog.file(data, "acme"))).isFalse();
    }

    @Test
    void localOnlyCallsALoopbackModel() {
        server.then(toolCalls("host-analysis", "{\"host\":\"HOST_1\"}")).then(stream("Done [E1]."));

        ModelAssistant.Outcome outcome = tenant.ask(assistant("local-only"), "what happened on WS007", partial);

        assertThat(outcome.byModel()).isTrue();
        assertThat(server.received().get(0).body()).doesNotContain("WS007");
    }

    @Test
    void azureSendsTheApiKeyHeaderAndVersion() {
        dev.vigil.copilot.model.ModelConfig azure = dev.vigil.copilot.model.ModelConfig.parse(Map.of(
                "provider", "azure-openai", "base-url", server.baseUrl(), "model", "gpt-4o-deployment",
                "api-key-env", "AZURE_OPENAI_KEY", "api-version", "2024-10-21", "policy", "allow"), "test");
        OpenAiCompatibleModel model = OpenAiCompatibleModel.of(azure,
                name -> name.equals("AZURE_OPENAI_KEY") ? "azure-secret-key" : null, ModelAuditLog.in(data, "acme"));
        server.then(text("ok"));

        assertThat(model.test()).isEqualTo("ok");

        FakeOpenAiServer.Received request = server.received().get(0);
        assertThat(request.path()).isEqualTo("/v1/chat/completions?api-version=2024-10-21");
        assertThat(request.headers().get("Api-key")).containsExactly("azure-secret-key");
        assertThat(request.headers()).doesNotContainKey("Authorization");
        assertThat(request.json().get("model").asString()).isEqualTo("gpt-4o-deployment");
        assertThat(ModelAuditLog.file(data, "acme")).content().doesNotContain("azure-secret-key");
    }

    static List<String> toolNames(JsonNode request) {
        List<String> names = new ArrayList<>();
        request.get("tools").forEach(t -> names.add(t.get("function").get("name").asString()));
        return names;
    }
}
