package dev.vigil.server;

import static dev.vigil.server.CopilotFixture.NOW;
import static dev.vigil.server.CopilotFixture.copilot;
import static dev.vigil.server.CopilotFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
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
 * Copilot sessions and promptbooks over HTTP: a conversation that remembers, who may see and change a session, the
 * promptbooks a tenant has and who may add to them, and no byte of one tenant's copilot data in another's answers.
 */
@DisplayName("Copilot over REST: sessions and promptbooks")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CopilotSessionsTest {
    @TempDir
    static Path data;

    ServerFixture fixture;
    String reader;
    String analyst;

    @BeforeAll
    void start() {
        fixture = new ServerFixture(data, new ModelEmbedder());
        reader = fixture.tokens.get("reader");
        analyst = fixture.tokens.get("analyst");
    }

    @AfterAll
    void stop() {
        fixture.close();
    }

    JsonNode ok(ServerFixture.Answer answer) {
        assertThat(answer.status()).as(answer.body()).isBetween(200, 201);
        return answer.json();
    }

    ServerFixture.Answer ask(String token, String prompt, String session) {
        return fixture.send("POST", copilot("acme", "/ask"), token,
                json(Map.of("prompt", prompt, "session", session, "now", NOW)));
    }

    @Test
    void aFollowUpInASessionResolvesItToTheIncidentOfTheTurnBefore() {
        JsonNode first = ok(ask(reader, "summarize incident 1", "new"));
        String session = first.get("session").asString();
        assertThat(first.get("turn").asInt()).isEqualTo(1);

        JsonNode second = ok(ask(reader, "how do I contain it", session));
        assertThat(second.get("session").asString()).isEqualTo(session);
        assertThat(second.get("turn").asInt()).isEqualTo(2);
        JsonNode step = second.get("plan").get("steps").get(0);
        assertThat(step.get("skill").asString()).isEqualTo("incident-response");
        assertThat(step.get("inputs").get("incident").get(0).asString()).isEqualTo("1");
        assertThat(second.get("markdown").asString()).contains("Isolate host ws-acme");

        // the same follow-up without the session has nothing to refer to
        JsonNode alone = ok(fixture.send("POST", copilot("acme", "/ask"), reader,
                json(Map.of("prompt", "how do I contain it", "now", NOW))));
        assertThat(alone.get("plan").get("route").asString()).isNotEqualTo("SKILL");

        JsonNode stored = ok(fixture.get(copilot("acme", "/sessions/" + session), reader));
        assertThat(stored.get("name").asString()).isEqualTo("summarize incident 1");
        assertThat(stored.get("owner").asString()).isEqualTo("acme-reader");
        assertThat(stored.get("turns").size()).isEqualTo(2);
        assertThat(stored.get("turns").get(1).get("prompt").asString()).isEqualTo("how do I contain it");
        assertThat(stored.get("turns").get(1).get("answer").get("plan").get("steps").get(0).get("skill").asString())
                .isEqualTo("incident-response");
    }

    @Test
    void aSessionIsRenamedPinnedExportedDuplicatedAndDeletedByItsOwner() {
        String session = ok(fixture.send("POST", copilot("acme", "/sessions"), reader,
                json(Map.of("name", "triage")))).get("id").asString();
        ok(ask(reader, "summarize incident 1", session));
        String path = copilot("acme", "/sessions/" + session);

        JsonNode renamed = ok(fixture.send("PATCH", path, reader, json(Map.of("name", "triage of incident 1"))));
        assertThat(renamed.get("name").asString()).isEqualTo("triage of incident 1");
        assertThat(renamed.get("shared").asBoolean()).isFalse();

        JsonNode pin = ok(fixture.send("PUT", path + "/pins/1", reader, json(Map.of("note", "the key finding"))));
        assertThat(pin.get("note").asString()).isEqualTo("the key finding");
        assertThat(pin.get("by").asString()).isEqualTo("acme-reader");
        ServerFixture.Answer noTurn = fixture.send("PUT", path + "/pins/9", reader, json(Map.of("note", "x")));
        assertThat(noTurn.status()).isEqualTo(404);

        JsonNode listed = null;
        for (JsonNode s : ok(fixture.get(copilot("acme", "/sessions"), reader)).get("sessions")) {
            if (s.get("id").asString().equals(session)) {
                listed = s;
            }
        }
        assertThat(listed).isNotNull();
        assertThat(listed.get("turns").asInt()).isEqualTo(1);
        assertThat(listed.get("pins").asInt()).isEqualTo(1);

        ServerFixture.Answer markdown = fixture.get(path + "/export", reader);
        assertThat(markdown.status()).isEqualTo(200);
        assertThat(markdown.response().headers().firstValue("Content-Type").orElse("")).startsWith("text/markdown");
        assertThat(markdown.body()).contains("triage of incident 1").contains("summarize incident 1")
                .contains("the key finding");
        ServerFixture.Answer exported = fixture.get(path + "/export?format=json", reader);
        assertThat(exported.response().headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        assertThat(exported.json().get("turns").size()).isEqualTo(1);
        assertThat(fixture.get(path + "/export?format=pdf", reader).status()).isEqualTo(400);

        JsonNode unpinned = ok(fixture.send("DELETE", path + "/pins/1", reader, null));
        assertThat(unpinned.get("unpinned").asBoolean()).isTrue();

        ServerFixture.Answer copied = fixture.send("POST", path + "/duplicate", reader, null);
        assertThat(copied.status()).isEqualTo(201);
        assertThat(copied.json().get("name").asString()).isEqualTo("Copy of triage of incident 1");
        assertThat(copied.json().get("turns").asInt()).isEqualTo(1);

        ok(fixture.send("DELETE", path, reader, null));
        assertThat(fixture.get(path, reader).status()).isEqualTo(404);
    }

    @Test
    void anotherUsersPrivateSessionDoesNotExistAndASharedOneIsReadOnly() {
        String session = ok(ask(analyst, "summarize incident 1", "new")).get("session").asString();
        String path = copilot("acme", "/sessions/" + session);
        ServerFixture.Answer hidden = fixture.get(path, reader);
        assertThat(hidden.status()).isEqualTo(404);
        assertThat(hidden.json().get("code").asString()).isEqualTo("session_not_found");
        assertThat(ask(reader, "how do I contain it", session).status()).isEqualTo(404);
        assertThat(fixture.send("PATCH", path, reader, json(Map.of("shared", true))).status()).isEqualTo(404);
        assertThat(ok(fixture.get(copilot("acme", "/sessions"), reader)).toString()).doesNotContain(session);
        // whether an id exists does not show: the answer is the same as for one never used
        ServerFixture.Answer never = fixture.get(copilot("acme", "/sessions/" + ApiAccessTest.NO_SESSION), reader);
        assertThat(hidden.json().get("message").asString().replace(session, "ID"))
                .isEqualTo(never.json().get("message").asString().replace(ApiAccessTest.NO_SESSION, "ID"));

        assertThat(ok(fixture.send("PATCH", path, analyst, json(Map.of("shared", true)))).get("shared").asBoolean())
                .isTrue();
        assertThat(ok(fixture.get(path, reader)).get("turns").size()).isEqualTo(1);
        ServerFixture.Answer appended = ask(reader, "how do I contain it", session);
        assertThat(appended.status()).isEqualTo(403);
        assertThat(appended.json().get("message").asString()).contains("belongs to acme-analyst");
        assertThat(appended.json().get("fix").asString()).contains("duplicate");
        assertThat(fixture.send("PATCH", path, reader, json(Map.of("name", "mine"))).status()).isEqualTo(403);
        assertThat(fixture.send("DELETE", path, reader, null).status()).isEqualTo(403);
        assertThat(ok(fixture.get(path, analyst)).get("turns").size()).as("nothing was added").isEqualTo(1);

        JsonNode copy = ok(fixture.send("POST", path + "/duplicate", reader, null));
        assertThat(copy.get("owner").asString()).isEqualTo("acme-reader");
        assertThat(ok(ask(reader, "how do I contain it", copy.get("id").asString())).get("turn").asInt())
                .isEqualTo(2);
        // a tenant owner may delete any session
        ok(fixture.send("DELETE", path, fixture.tokens.get("owner"), null));
    }

    @Test
    void aPromptbookRunsAsOneSessionOfItsPrompts() {
        JsonNode run = ok(fixture.send("POST", copilot("acme", "/promptbooks/incident-investigation/run"), reader,
                json(Map.of("inputs", Map.of("IncidentId", 1), "now", NOW))));
        assertThat(run.get("prompts").asInt()).isEqualTo(5);
        assertThat(run.get("asked").asInt()).isEqualTo(5);
        assertThat(run.get("failed").asInt()).isZero();
        assertThat(run.get("stopped_at").isNull()).isTrue();
        assertThat(run.get("answers").get(0).get("prompt").asString()).isEqualTo("Summarize incident 1");
        assertThat(run.get("answers").get(4).get("turn").asInt()).isEqualTo(5);
        String session = run.get("session").get("id").asString();
        JsonNode stored = ok(fixture.get(copilot("acme", "/sessions/" + session), reader));
        assertThat(stored.get("turns").size()).isEqualTo(5);
        assertThat(stored.get("owner").asString()).isEqualTo("acme-reader");

        ServerFixture.Answer missing = fixture.send("POST", copilot("acme",
                "/promptbooks/incident-investigation/run"), reader, json(Map.of("inputs", Map.of())));
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().get("message").asString()).contains("IncidentId");
        ServerFixture.Answer unknown = fixture.send("POST", copilot("acme", "/promptbooks/nosuch/run"), reader,
                json(Map.of()));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("code").asString()).isEqualTo("promptbook_not_found");
        assertThat(unknown.json().get("fix").asString()).contains("incident-investigation");
    }

    @Test
    void aPromptbookStopsAtAPromptWithoutAnAnswerUnlessItContinuesOnFailure() {
        String book = json(Map.of("name", "stops-early", "prompts", List.of(
                Map.of("content", "/no-such-skill at all"),
                Map.of("content", "summarize incident 1"))));
        ok(fixture.send("POST", copilot("acme", "/promptbooks"), analyst, book));
        JsonNode run = ok(fixture.send("POST", copilot("acme", "/promptbooks/stops-early/run"), reader, null));
        assertThat(run.get("asked").asInt()).as(run.toString()).isEqualTo(1);
        assertThat(run.get("stopped_at").asInt()).isEqualTo(1);
        assertThat(run.get("failed").asInt()).isEqualTo(1);
    }

    @Test
    void onlyAnAnalystImportsPromptbooksAndTheyAreKeptPerTenant() {
        String book = json(Map.of("name", "host-check", "description", "Checks a host",
                "inputs", List.of(Map.of("name", "Host", "description", "the host")),
                "prompts", List.of(Map.of("content", "Analyze host <Host>"))));
        ServerFixture.Answer refused = fixture.send("POST", copilot("acme", "/promptbooks"), reader, book);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().get("code").asString()).isEqualTo("permission_denied");
        assertThat(fixture.send("POST", copilot("acme", "/promptbooks"), null, book).status()).isEqualTo(401);
        assertThat(Files.exists(data.resolve("promptbooks/acme/host-check.json"))).isFalse();

        ServerFixture.Answer imported = fixture.send("POST", copilot("acme", "/promptbooks"), analyst, book);
        assertThat(imported.status()).as(imported.body()).isEqualTo(201);
        assertThat(imported.json().get("imported").get(0).asString()).isEqualTo("host-check");
        assertThat(data.resolve("promptbooks/acme/host-check.json")).exists();

        List<String> names = new ArrayList<>();
        ok(fixture.get(copilot("acme", "/promptbooks"), reader)).get("promptbooks")
                .forEach(b -> names.add(b.get("name").asString() + ":" + b.get("source").asString()));
        assertThat(names).contains("incident-investigation:built-in", "host-check:tenant");

        ServerFixture.Answer exported = fixture.get(copilot("acme", "/promptbooks/host-check"), reader);
        assertThat(exported.json().get("prompts").get(0).get("content").asString()).isEqualTo("Analyze host <Host>");
        ServerFixture.Answer securityCopilot = fixture.get(copilot("acme",
                "/promptbooks/host-check?shape=security-copilot"), reader);
        assertThat(securityCopilot.json().has("promptbookinputs")).as(securityCopilot.body()).isTrue();

        ServerFixture.Answer invalid = fixture.send("POST", copilot("acme", "/promptbooks"), analyst,
                json(Map.of("name", "broken", "inputs", List.of(Map.of("name", "Hostname")),
                        "prompts", List.of(Map.of("content", "Analyze host <Host>")))));
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.json().get("code").asString()).isEqualTo("promptbook_invalid");
        assertThat(invalid.json().get("message").asString()).contains("<Host>");
        ServerFixture.Answer escaping = fixture.send("POST", copilot("acme", "/promptbooks"), analyst,
                json(Map.of("name", "../../globex/evil", "prompts", List.of(Map.of("content", "list alerts")))));
        assertThat(escaping.status()).isEqualTo(400);
        assertThat(data.resolve("promptbooks/globex")).doesNotExist();
        ServerFixture.Answer malformed = fixture.send("POST", copilot("acme", "/promptbooks"), analyst,
                "{\"name\": \"x\",\n\"prompts\": [}");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.json().get("message").asString()).contains("2:");
    }

    @Test
    void anotherTenantsTokenNeverSeesThisTenantsSessionsPromptbooksOrData() {
        String marker = ServerFixture.CANARY;
        String session = ok(ask(reader, "summarize incident 1 " + marker, "new")).get("session").asString();
        ok(fixture.send("PATCH", copilot("acme", "/sessions/" + session), reader, json(Map.of("shared", true))));
        ok(fixture.send("POST", copilot("acme", "/promptbooks"), analyst, json(Map.of("name", "acme-book",
                "description", "About " + marker, "prompts", List.of(Map.of("content", "list alerts"))))));

        String globex = fixture.tokens.get("other-tenant");
        List<ServerFixture.Answer> answers = new ArrayList<>();
        answers.add(fixture.get(copilot("globex", "/sessions"), globex));
        answers.add(fixture.get(copilot("globex", "/sessions/" + session), globex));
        answers.add(fixture.get(copilot("globex", "/sessions/" + session + "/export?format=json"), globex));
        answers.add(fixture.send("POST", copilot("globex", "/sessions/" + session + "/duplicate"), globex, null));
        answers.add(fixture.send("POST", copilot("globex", "/ask"), globex,
                json(Map.of("prompt", "how do I contain it", "session", session))));
        answers.add(fixture.get(copilot("globex", "/promptbooks"), globex));
        answers.add(fixture.get(copilot("globex", "/promptbooks/acme-book"), globex));
        for (String prompt : List.of("summarize incident 1", "list the alerts", "show alerts mentioning CANARY",
                "which processes ran on ws-acme", "/hunt query=\"SysmonEvent | take 100\"")) {
            answers.add(fixture.send("POST", copilot("globex", "/ask"), globex, json(Map.of("prompt", prompt))));
        }
        answers.add(fixture.send("POST", copilot("globex", "/plan"), globex,
                json(Map.of("prompt", "how do I contain it", "session", session))));
        CopilotFixture.Stream stream = CopilotFixture.stream(fixture, "POST", copilot("globex", "/ask/stream"),
                globex, json(Map.of("prompt", "summarize incident 1")));
        // and through acme's paths, which the token does not open
        answers.add(fixture.get(copilot("acme", "/sessions/" + session), globex));
        answers.add(fixture.get(copilot("acme", "/promptbooks/acme-book"), globex));

        assertThat(answers).allSatisfy(answer -> assertThat(answer.body()).doesNotContain(marker));
        assertThat(stream.body()).doesNotContain(marker);
        assertThat(answers.get(1).status()).isEqualTo(404);
        assertThat(answers.get(6).status()).isEqualTo(404);
        assertThat(answers.get(answers.size() - 1).status()).isEqualTo(403);
        // globex's own incident is answered, so the copilot did run for it
        assertThat(answers.get(7).body()).contains("ws-globex");
        // and the marker is really there for acme, so the checks above can fail
        assertThat(fixture.get(copilot("acme", "/sessions/" + session), reader).body()).contains(marker);
        assertThat(fixture.get(copilot("acme", "/promptbooks"), reader).body()).contains(marker);
    }
}
