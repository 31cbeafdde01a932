package dev.vigil.server;

import static dev.vigil.server.CopilotFixture.NOW;
import static dev.vigil.server.CopilotFixture.copilot;
import static dev.vigil.server.CopilotFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.copilot.Answer;
import dev.vigil.copilot.session.SessionJson;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Asking the copilot over HTTP: the whole answer, the answer streamed as server-sent events, planning without running,
 * the skills, the limits on what is asked, and the audit of every call. The server ranks skills with the in-jar
 * embedding model, as in production (word overlap when it cannot load).
 */
@DisplayName("Copilot over REST: asking")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CopilotAskTest {
    static final String QUESTION = "summarize incident 1 and tell me how to contain it";

    @TempDir
    static Path data;

    ServerFixture fixture;
    String reader;

    @BeforeAll
    void start() {
        fixture = new ServerFixture(data, new ModelEmbedder());
        reader = fixture.tokens.get("reader");
    }

    @AfterAll
    void stop() {
        fixture.close();
    }

    ServerFixture.Answer ask(Map<String, ?> body) {
        return fixture.send("POST", copilot("acme", "/ask"), reader, json(body));
    }

    @Test
    void askAnswersWithTheAnswerObjectAsTheCliPrintsIt() {
        ServerFixture.Answer answer = ask(Map.of("prompt", QUESTION, "now", NOW));
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        JsonNode json = answer.json();
        assertThat(json.get("prompt").asString()).isEqualTo(QUESTION);
        assertThat(json.get("markdown").asString()).contains("Incident #1").contains("Isolate host ws-acme");
        assertThat(json.get("plan").get("route").asString()).isEqualTo("SKILL");
        List<String> skills = new ArrayList<>();
        json.get("plan").get("steps").forEach(step -> skills.add(step.get("skill").asString()));
        assertThat(skills).containsExactly("incident-summary", "incident-response");
        assertThat(json.get("evidence").isEmpty()).isFalse();
        assertThat(json.get("evidence").get(0).get("refs").toString()).contains("incident:1");
        assertThat(json.get("log").size()).isEqualTo(3);
        assertThat(json.has("session")).as("asked outside a session").isFalse();
        // the same JSON as SessionJson writes: it reads back as an answer
        Answer read = SessionJson.readAnswer(answer.body());
        assertThat(read.prompt()).isEqualTo(QUESTION);
        assertThat(read.plan().skillNames()).isEqualTo(skills);
    }

    @Test
    void aDataQuestionAnswersWithTheQueriesItRan() {
        ServerFixture.Answer answer = ask(Map.of("prompt", "which processes ran on ws-acme", "now", NOW));
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        JsonNode json = answer.json();
        assertThat(json.get("queries").isEmpty()).as(answer.body()).isFalse();
        assertThat(json.get("queries").get(0).get("text").asString()).isNotBlank();
        assertThat(json.get("evidence").isEmpty()).isFalse();
        assertThat(json.get("markdown").asString()).contains("ws-acme");
    }

    @Test
    void theStreamSendsThePlanThenProgressAndStepsThenTheAnswerThenDone() {
        CopilotFixture.Stream stream = CopilotFixture.stream(fixture, "POST", copilot("acme", "/ask/stream"), reader,
                json(Map.of("prompt", QUESTION, "now", NOW)));
        assertThat(stream.status()).as(stream.body()).isEqualTo(200);
        assertThat(stream.contentType()).startsWith("text/event-stream");
        List<String> names = stream.names();
        assertThat(names.getFirst()).isEqualTo("plan");
        assertThat(names.subList(names.size() - 2, names.size())).containsExactly("answer", "done");
        assertThat(names.subList(1, names.size() - 2)).containsOnly("progress", "step");
        assertThat(names).doesNotContain("error");

        JsonNode plan = stream.first("plan").data();
        assertThat(plan.get("route").asString()).isEqualTo("SKILL");
        assertThat(plan.get("steps").get(0).get("display").asString()).isEqualTo("/incident-summary incident=1");
        assertThat(plan.get("rationale").asString()).isNotBlank();
        assertThat(plan.get("planner_micros").asLong()).isPositive();

        List<String> started = stream.events().stream().filter(e -> e.name().equals("progress"))
                .map(e -> e.data().get("message").asString()).filter(m -> m.startsWith("running /")).toList();
        List<String> finished = stream.events().stream().filter(e -> e.name().equals("step"))
                .map(e -> e.data().get("step").asString()).toList();
        assertThat(started).containsExactly("running /incident-summary incident=1",
                "running /incident-response incident=1 phase=containment");
        assertThat(finished).containsExactly("/incident-summary incident=1",
                "/incident-response incident=1 phase=containment");
        assertThat(names.indexOf("step")).as("skills finish after they start").isGreaterThan(names.indexOf("progress"));

        JsonNode answer = stream.first("answer").data();
        assertThat(answer.get("prompt").asString()).isEqualTo(QUESTION);
        assertThat(SessionJson.readAnswer(answer.toString()).plan().skillNames())
                .containsExactly("incident-summary", "incident-response");
        assertThat(stream.first("done").data().get("total_micros").asLong()).isPositive();
    }

    @Test
    void theStreamIsAlsoServedForEventSourceOverGetWithTheQuestionInTheQuery() {
        CopilotFixture.Stream stream = CopilotFixture.stream(fixture, "GET", copilot("acme",
                "/ask/stream?prompt=summarize%20incident%201&session=new&now=" + NOW), reader, null);
        assertThat(stream.status()).as(stream.body()).isEqualTo(200);
        assertThat(stream.names()).startsWith("plan", "progress", "step").endsWith("answer", "done");
        String session = stream.first("done").data().get("session").asString();
        assertThat(stream.first("answer").data().get("session").asString()).isEqualTo(session);
        ServerFixture.Answer stored = fixture.get(copilot("acme", "/sessions/" + session), reader);
        assertThat(stored.json().get("turns").size()).isEqualTo(1);
    }

    @Test
    void aStreamThatFailsBeforeItStartsAnswersWithTheErrorsStatus() {
        CopilotFixture.Stream unknown = CopilotFixture.stream(fixture, "POST", copilot("acme", "/ask/stream"),
                reader, json(Map.of("prompt", "how do I contain it", "session", ApiAccessTest.NO_SESSION)));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.contentType()).startsWith("application/json");
        assertThat(unknown.body()).contains("\"code\":\"session_not_found\"");

        CopilotFixture.Stream anonymous = CopilotFixture.stream(fixture, "POST", copilot("acme", "/ask/stream"), null,
                json(Map.of("prompt", QUESTION)));
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.events()).isEmpty();
    }

    @Test
    void planShowsThePlanTheReadingAndTheRankingWithoutRunning() {
        ServerFixture.Answer planned = fixture.send("POST", copilot("acme", "/plan"), reader,
                json(Map.of("prompt", "which processes ran on ws-acme yesterday", "now", NOW)));
        assertThat(planned.status()).as(planned.body()).isEqualTo(200);
        JsonNode json = planned.json();
        assertThat(json.get("plan").get("route").asString()).isEqualTo("QUERY");
        assertThat(json.get("plan").get("steps").get(0).get("skill").asString()).isEqualTo("hunt");
        JsonNode reading = json.get("reading");
        assertThat(reading.get("mentions").get(0).get("value").asString()).isEqualTo("ws-acme");
        assertThat(reading.get("time").get("from").asString()).isEqualTo("2024-05-01T00:00:00Z");
        assertThat(reading.get("time").get("text").asString()).isEqualTo("yesterday");
        assertThat(json.get("frame").get("concept").asString()).isEqualTo("process");
        assertThat(json.get("ranking").size()).isEqualTo(CopilotApi.RANKED_SHOWN);
        assertThat(json.get("planner_micros").asLong()).isPositive();

        ServerFixture.Answer corrected = fixture.send("POST", copilot("acme", "/plan"), reader,
                json(Map.of("prompt", "list the open incidnets")));
        assertThat(corrected.json().get("reading").get("corrections").toString()).contains("incidnets -> incidents");
    }

    @Test
    void skillsListEachSkillWithItsInputs() {
        JsonNode skills = fixture.get(copilot("acme", "/skills"), reader).json().get("skills");
        JsonNode summary = null;
        for (JsonNode skill : skills) {
            assertThat(skill.get("description").asString()).as(skill.toString()).isNotBlank();
            if (skill.get("name").asString().equals("incident-summary")) {
                summary = skill;
            }
        }
        assertThat(summary).isNotNull();
        assertThat(summary.get("category").asString()).isEqualTo("incidents");
        assertThat(summary.get("examples").isEmpty()).isFalse();
        assertThat(summary.get("inputs").get(0).get("name").asString()).isEqualTo("incident");
        assertThat(summary.get("inputs").get(0).get("required").asBoolean()).isTrue();
    }

    @Test
    void badQuestionsAreRefusedWithTheFieldAndTheFix() {
        ServerFixture.Answer large = ask(Map.of("prompt", "x".repeat(CopilotApi.MAX_PROMPT_BYTES + 1)));
        assertThat(large.status()).isEqualTo(413);
        assertThat(large.json().get("code").asString()).isEqualTo("request_too_large");
        assertThat(large.json().get("message").asString()).isEqualTo("the prompt has 65537 bytes; the limit is 65536"
                + " (64 KiB)");
        assertThat(large.json().get("fix").asString()).startsWith("Shorten the prompt");
        // the limit counts bytes, not characters
        assertThat(ask(Map.of("prompt", "é".repeat(CopilotApi.MAX_PROMPT_BYTES / 2 + 1))).status()).isEqualTo(413);

        ServerFixture.Answer missing = ask(Map.of("session", "new"));
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().get("message").asString()).isEqualTo("the request needs a 'prompt'");
        assertThat(missing.json().get("fix").asString()).contains("\"prompt\"");

        ServerFixture.Answer malformed = fixture.send("POST", copilot("acme", "/ask"), reader,
                "{\"prompt\": \"summarize incident 1\",\n  session: \"new\"}");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.json().get("message").asString())
                .startsWith("the request body is not a JSON object at line 2, column 3: ");

        ServerFixture.Answer unknownMember = ask(Map.of("prompt", "hi", "sesion", "new"));
        assertThat(unknownMember.status()).isEqualTo(400);
        assertThat(unknownMember.json().get("message").asString()).contains("'sesion'");

        ServerFixture.Answer badTime = ask(Map.of("prompt", "alerts yesterday", "now", "yesterday"));
        assertThat(badTime.status()).isEqualTo(400);
        assertThat(badTime.json().get("message").asString()).contains("'now'");

        ServerFixture.Answer badZone = ask(Map.of("prompt", "alerts yesterday", "zone", "Mars/Olympus"));
        assertThat(badZone.status()).isEqualTo(400);
        assertThat(badZone.json().get("message").asString()).contains("'zone'");

        for (String session : List.of(ApiAccessTest.NO_SESSION, "not-a-session")) {
            ServerFixture.Answer unknown = ask(Map.of("prompt", "how do I contain it", "session", session));
            assertThat(unknown.status()).as(session).isEqualTo(404);
            assertThat(unknown.json().get("code").asString()).isEqualTo("session_not_found");
        }
    }

    @Test
    void everyCopilotCallIsAuditedWithItsRouteStatusAndActorAndTheChainHolds() {
        int before = AuditLog.records(data).size();
        ask(Map.of("prompt", "summarize incident 1"));
        CopilotFixture.stream(fixture, "POST", copilot("acme", "/ask/stream"), reader,
                json(Map.of("prompt", "summarize incident 1")));
        fixture.send("POST", copilot("acme", "/ask"), null, json(Map.of("prompt", "summarize incident 1")));
        ask(Map.of("prompt", "x".repeat(CopilotApi.MAX_PROMPT_BYTES + 1)));
        fixture.get(copilot("acme", "/skills"), fixture.tokens.get("other-tenant"));
        List<String> records = AuditLog.records(data);
        List<String> added = records.subList(before, records.size());
        assertThat(added).hasSize(5);
        assertThat(added.get(0)).contains("\"route\":\"POST /api/v1/tenants/{tenant}/copilot/ask\"")
                .contains("\"status\":200").contains("\"actor\":\"acme-reader\"").contains("\"tenant\":\"acme\"");
        assertThat(added.get(1)).contains("\"route\":\"POST /api/v1/tenants/{tenant}/copilot/ask/stream\"")
                .contains("\"status\":200").contains("\"code\":\"\"");
        assertThat(added.get(2)).contains("\"status\":401").contains("\"code\":\"authentication_required\"");
        assertThat(added.get(3)).contains("\"status\":413").contains("\"code\":\"request_too_large\"");
        assertThat(added.get(4)).contains("\"status\":403").contains("\"actor\":\"globex-owner\"");
        // the prompt asked is audited (the issue: every prompt is recorded); the answer is not
        assertThat(added.get(0)).contains("\"detail\":{\"client\":\"127.0.0.1\",\"prompt\":\"summarize incident 1\"}");
        assertThat(added).allSatisfy(line -> assertThat(line).doesNotContain("\"markdown\""));
        AuditLog.Verification verification = AuditLog.verify(data);
        assertThat(verification.intact()).as(verification.reason()).isTrue();
    }

    @Test
    void theOpenApiDocumentDescribesTheCopilotRoutes() {
        JsonNode document = fixture.get("/api/v1/openapi.json", reader).json();
        JsonNode paths = document.get("paths");
        JsonNode stream = paths.get("/api/v1/tenants/{tenant}/copilot/ask/stream").get("post");
        assertThat(stream.get("x-vigil-role").asString()).isEqualTo("reader");
        assertThat(stream.get("responses").get("200").get("content").has("text/event-stream")).isTrue();
        assertThat(paths.get("/api/v1/tenants/{tenant}/copilot/promptbooks").get("post").get("x-vigil-role")
                .asString()).isEqualTo("analyst");
        JsonNode pin = paths.get("/api/v1/tenants/{tenant}/copilot/sessions/{session}/pins/{turn}").get("put");
        assertThat(pin.get("parameters").toString()).contains("\"session\"").contains("\"turn\"");
        List<String> ids = new ArrayList<>();
        paths.forEach(item -> item.forEach(operation -> ids.add(operation.get("operationId").asString())));
        assertThat(ids).doesNotHaveDuplicates();
    }
}
