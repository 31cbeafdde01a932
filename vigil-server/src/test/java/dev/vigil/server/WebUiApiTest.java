package dev.vigil.server;

import static dev.vigil.server.CopilotFixture.NOW;
import static dev.vigil.server.CopilotFixture.copilot;
import static dev.vigil.server.CopilotFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * What the web UI asks of the server beyond the rest of the API: its files (content types, ETags, the Content
 * Security Policy, nothing outside {@code web/}), the record behind an evidence reference, suggestions while typing,
 * a promptbook run streamed, and the incident list's owner and text filters. A real server on a free port.
 */
@DisplayName("Web UI: files and routes")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebUiApiTest {
    @TempDir
    static Path data;

    ServerFixture fixture;
    String reader;

    @BeforeAll
    void start() {
        fixture = new ServerFixture(data);
        reader = fixture.tokens.get("reader");
    }

    @AfterAll
    void stop() {
        fixture.close();
    }

    HttpResponse<String> fetch(String path, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(fixture.uri(path));
        headers.forEach(request::header);
        return fixture.client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    @Nested
    @DisplayName("files")
    class Files {
        @Test
        void thePageIsServedAtTheRootWithAPolicyThatAllowsOnlyTheServersOwnScripts() throws Exception {
            HttpResponse<String> page = fetch("/", Map.of());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t)
                    .startsWith("text/html"));
            String policy = page.headers().firstValue("Content-Security-Policy").orElseThrow();
            assertThat(policy).contains("script-src 'self'", "frame-ancestors 'none'", "connect-src 'self'")
                    .doesNotContain("unsafe-inline", "unsafe-eval");
            assertThat(page.body()).contains("<script type=\"module\" src=\"/ui/js/app.js\">")
                    .doesNotContain("onclick=", "onload=");
        }

        @Test
        void filesCarryTheirTypeAndAnETagThatAnswersNotModified() throws Exception {
            HttpResponse<String> script = fetch("/ui/js/app.js", Map.of());
            assertThat(script.statusCode()).isEqualTo(200);
            assertThat(script.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/javascript");
            assertThat(script.headers().firstValue("Cache-Control")).hasValue("no-cache");
            String etag = script.headers().firstValue("ETag").orElseThrow();
            assertThat(etag).matches("\"[0-9a-f]{32}\"");
            HttpResponse<String> again = fetch("/ui/js/app.js", Map.of("If-None-Match", etag));
            assertThat(again.statusCode()).isEqualTo(304);
            assertThat(again.body()).isEmpty();
            assertThat(fetch("/ui/js/app.js", Map.of("If-None-Match", "\"stale\"")).statusCode()).isEqualTo(200);
            assertThat(fetch("/ui/app.css", Map.of()).headers().firstValue("Content-Type").orElseThrow())
                    .startsWith("text/css");
            assertThat(fetch("/ui/icon.svg", Map.of()).headers().firstValue("Content-Type")).hasValue(
                    "image/svg+xml");
        }

        @ParameterizedTest
        @ValueSource(strings = {"/ui/../../vigil.yaml", "/ui/js/%2e%2e/%2e%2e/META-INF/MANIFEST.MF",
                "/ui/js/App.JS", "/ui/missing.js", "/ui/dev/vigil/server/WebUi.class"})
        void namesOutsideTheUiOrOfAnotherShapeAreRefused(String path) throws Exception {
            HttpResponse<String> answer = fetch(path, Map.of());
            // Jetty itself refuses a path that climbs out with "..", before any handler (400); the rest are 404
            assertThat(answer.statusCode()).as(path).isIn(400, 404);
            assertThat(answer.body()).doesNotContain("data-dir", "Manifest-Version", "CAFEBABE");
        }

        @Test
        void noScriptUsesInnerHtmlEvalOrInlineHandlers() throws Exception {
            for (String module : List.of("app", "api", "dom", "markdown", "charts", "graph", "evidence", "login", "ask",
                    "incidents", "posture", "hunt", "reports", "settings")) {
                String source = fetch("/ui/js/" + module + ".js", Map.of()).body();
                assertThat(source).as(module).isNotEmpty().doesNotContain("innerHTML", "outerHTML", "eval(",
                        "new Function", "insertAdjacentHTML", "document.write");
            }
        }
    }

    @Nested
    @DisplayName("evidence")
    class Evidence {
        JsonNode open(String ref, String token, int status) {
            ServerFixture.Answer answer = fixture.get("/api/v1/tenants/acme/evidence?ref=" + encode(ref), token);
            assertThat(answer.status()).as(answer.body()).isEqualTo(status);
            return answer.json();
        }

        String firstAlertRef() {
            JsonNode alerts = fixture.get("/api/v1/tenants/acme/alerts?limit=1", reader).json().get("alerts");
            return "alert:" + alerts.get(0).get("id").asString();
        }

        @Test
        void anAlertReferenceOpensTheStoredAlertAndItsEvents() {
            JsonNode record = open(firstAlertRef(), reader, 200);
            assertThat(record.get("kind").asString()).isEqualTo("alert");
            assertThat(record.get("alert").get("title").asString()).contains(ServerFixture.CANARY);
            String event = record.get("alert").get("event_ids").get(0).asString();
            JsonNode eventRecord = open("event:" + event, reader, 200);
            assertThat(eventRecord.get("event").get("table").asString()).isEqualTo("SysmonEvent");
            assertThat(eventRecord.get("event").get("fields").get("command_line").asString())
                    .contains(ServerFixture.CANARY);
            // the form with the table's name, as some skills write it
            assertThat(open("event:SysmonEvent:" + event, reader, 200).get("event").get("id").asString())
                    .isEqualTo(event);
        }

        @Test
        void anIncidentReferenceOpensItsSummary() {
            assertThat(open("incident:1", reader, 200).get("incident").get("number").asInt()).isEqualTo(1);
        }

        @Test
        void unknownMalformedAndKnowledgeReferencesAreNotFoundWithTheReason() {
            assertThat(open("alert:00000000-0000-0000-0000-000000000000", reader, 404).get("code").asString())
                    .isEqualTo("record_not_found");
            assertThat(open("event:nonsense", reader, 404).get("message").asString()).contains("not an event id");
            assertThat(open("attack:T1059", reader, 404).get("message").asString())
                    .contains("knowledge references");
            assertThat(open("incident:99", reader, 404).get("code").asString()).isEqualTo("incident_not_found");
            assertThat(fixture.get("/api/v1/tenants/acme/evidence", reader).status()).isEqualTo(400);
        }

        @Test
        void anotherTenantsTokenNeverOpensThisTenantsRecords() {
            String ref = firstAlertRef();
            assertThat(fixture.get("/api/v1/tenants/acme/evidence?ref=" + encode(ref),
                    fixture.tokens.get("other-tenant")).status()).isEqualTo(403);
            // and globex's own path does not find acme's alert
            ServerFixture.Answer answer = fixture.get("/api/v1/tenants/globex/evidence?ref=" + encode(ref),
                    fixture.tokens.get("other-tenant"));
            assertThat(answer.status()).isEqualTo(404);
            assertThat(answer.body()).doesNotContain(ServerFixture.CANARY);
        }
    }

    @Nested
    @DisplayName("suggestions")
    class Suggestions {
        JsonNode suggest(String q) {
            ServerFixture.Answer answer = fixture.get(copilot("acme", "/suggest?q=" + encode(q) + "&limit=20"),
                    reader);
            assertThat(answer.status()).as(answer.body()).isEqualTo(200);
            return answer.json().get("suggestions");
        }

        List<String> texts(JsonNode suggestions, String kind) {
            List<String> texts = new ArrayList<>();
            suggestions.forEach(s -> {
                if (s.get("kind").asString().equals(kind)) {
                    texts.add(s.get("text").asString());
                }
            });
            return texts;
        }

        @Test
        void aSlashCompletesSkillNamesThenTheSkillsInputs() {
            assertThat(texts(suggest("/incident-s"), "skill")).contains("/incident-summary ")
                    .allMatch(t -> t.startsWith("/incident-s") || t.contains("incident-s"));
            assertThat(texts(suggest("/incident-summary "), "input")).containsExactly("/incident-summary incident=");
            assertThat(texts(suggest("/incident-summary incident=1"), "input")).isEmpty();
        }

        @Test
        void theLastWordIsCompletedFromTheTenantsOwnNames() {
            assertThat(texts(suggest("what happened on ws-a"), "host")).containsExactly("what happened on ws-acme");
            assertThat(texts(suggest("what did user-a"), "user")).containsExactly("what did user-acme");
        }

        @Test
        void examplesAndPromptbooksMatchEveryWordTyped() {
            JsonNode suggestions = suggest("investig incid");
            assertThat(texts(suggestions, "promptbook")).contains("incident-investigation");
            assertThat(suggest("")).isEmpty();
        }

        @Test
        void theLimitIsChecked() {
            assertThat(fixture.get(copilot("acme", "/suggest?q=a&limit=0"), reader).status()).isEqualTo(400);
        }
    }

    @Test
    void aStreamedPromptbookRunSendsTheSessionThenEachAnswerThenDone() {
        CopilotFixture.Stream stream = CopilotFixture.stream(fixture, "POST",
                copilot("acme", "/promptbooks/incident-investigation/run/stream"), reader,
                json(Map.of("inputs", Map.of("IncidentId", "1"), "now", NOW)));
        assertThat(stream.status()).as(stream.body()).isEqualTo(200);
        assertThat(stream.names()).first().isEqualTo("session");
        assertThat(stream.names()).last().isEqualTo("done");
        assertThat(stream.names().stream().filter("answer"::equals).count()).isEqualTo(5);
        String session = stream.first("session").data().get("id").asString();
        assertThat(stream.first("answer").data().get("session").asString()).isEqualTo(session);
        assertThat(stream.first("done").data().get("asked").asInt()).isEqualTo(5);
        JsonNode stored = fixture.get(copilot("acme", "/sessions/" + session), reader).json();
        assertThat(stored.get("turns").size()).isEqualTo(5);
    }

    @Test
    void aStreamedRunOfAnUnknownPromptbookFailsBeforeTheStreamStarts() {
        CopilotFixture.Stream stream = CopilotFixture.stream(fixture, "POST",
                copilot("acme", "/promptbooks/no-such-book/run/stream"), reader, json(Map.of()));
        assertThat(stream.status()).isEqualTo(404);
        assertThat(stream.body()).contains("promptbook_not_found");
    }

    @Test
    void incidentsFilterByOwnerAndText() {
        String path = "/api/v1/tenants/acme/incidents";
        assertThat(fixture.get(path + "?q=powershell", reader).json().get("incidents").size()).isEqualTo(1);
        assertThat(fixture.get(path + "?q=" + encode("no such words"), reader).json().get("incidents").size())
                .isZero();
        assertThat(fixture.get(path + "?owner=-", reader).json().get("incidents").size()).isEqualTo(1);
        assertThat(fixture.get(path + "?owner=somebody", reader).json().get("incidents").size()).isZero();
    }
}
