package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Reports over HTTP against a real server on a free port: the templates a tenant has, a report in each format with
 * its media type, the same bytes for the same request, the caller's tenant only, and errors that say what to fix.
 */
@DisplayName("Reports over REST")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReportApiTest {
    static final String REPORTS = "/api/v1/tenants/acme/reports";
    /** A day after the seeded events, so reports do not depend on the clock. */
    static final Map<String, Object> PERIOD = Map.of("period", "7d", "as-of", "2024-05-02");

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

    /** A response read as bytes, for the PDF. */
    record Bytes(int status, String contentType, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    Bytes post(String template, String token, Map<String, Object> body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(fixture.uri(REPORTS + "/" + template))
                .timeout(Duration.ofSeconds(120)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(CopilotFixture.json(body)));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<byte[]> response = fixture.client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Bytes(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                    response.body());
        } catch (IOException e) {
            throw new AssertionError("cannot reach the server: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static Map<String, Object> with(Map<String, Object> base, Object... more) {
        Map<String, Object> body = new java.util.LinkedHashMap<>(base);
        for (int i = 0; i < more.length; i += 2) {
            body.put((String) more[i], more[i + 1]);
        }
        return body;
    }

    @Test
    void aReaderListsTheBuiltInTemplatesWithTheirSections() {
        ServerFixture.Answer answer = fixture.get(REPORTS + "/templates", reader);

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        List<String> names = new ArrayList<>();
        for (JsonNode template : answer.json().get("templates")) {
            names.add(template.get("name").asString());
            assertThat(template.get("sections").isEmpty()).as(template.toString()).isFalse();
        }
        assertThat(names).containsExactly("executive", "incident", "posture", "weekly-soc", "actor-brief",
                "session-export");
    }

    @Test
    void aMarkdownReportIsTheTenantsOwnAndTheSameForTheSameRequest() {
        Bytes first = post("executive", reader, with(PERIOD, "format", "md", "org", "Acme Corp"));

        assertThat(first.status()).as(first.text()).isEqualTo(200);
        assertThat(first.contentType()).startsWith("text/markdown");
        assertThat(first.text()).startsWith("# Executive security summary\n")
                .contains("**Acme Corp** · 2024-04-26 to 2024-05-02 (last 7 days) · as of 2024-05-02")
                .contains("1 incident was active in the period")
                .contains("## Appendix: the queries behind the numbers")
                .doesNotContain("globex");
        assertThat(post("executive", reader, with(PERIOD, "format", "md", "org", "Acme Corp")).body())
                .as("same data, same parameters, same bytes").isEqualTo(first.body());
    }

    @Test
    void htmlIsWellFormedXhtmlAndPdfIsAPdf() throws Exception {
        Bytes html = post("weekly-soc", reader, with(PERIOD, "format", "html", "colour", "#0b5394"));
        assertThat(html.status()).as(html.text()).isEqualTo(200);
        assertThat(html.contentType()).startsWith("text/html");
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", false);
        assertThat(factory.newDocumentBuilder().parse(new ByteArrayInputStream(html.body())).getDocumentElement()
                .getTagName()).isEqualTo("html");
        assertThat(html.text()).contains("<svg").contains("#0b5394");

        Bytes pdf = post("executive", reader, with(PERIOD, "format", "pdf"));
        assertThat(pdf.status()).as(pdf.text()).isEqualTo(200);
        assertThat(pdf.contentType()).isEqualTo("application/pdf");
        assertThat(new String(pdf.body(), 0, 5, StandardCharsets.US_ASCII)).isEqualTo("%PDF-");
    }

    @Test
    void errorsSayWhatToFix() {
        Bytes unknown = post("board-pack", reader, PERIOD);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.text()).contains("there is no report template 'board-pack'").contains("executive");

        Bytes needsIncident = post("incident", reader, PERIOD);
        assertThat(needsIncident.status()).isEqualTo(400);
        assertThat(needsIncident.text()).contains("needs the incident").contains("--incident");

        Bytes logo = post("executive", reader, with(PERIOD, "logo", "/etc/passwd"));
        assertThat(logo.status()).as("a file on the server is never read for a request").isEqualTo(400);
        assertThat(logo.text()).contains("logo");

        Bytes format = post("executive", reader, with(PERIOD, "format", "docx"));
        assertThat(format.status()).isEqualTo(400);
        assertThat(format.text()).contains("'docx' is not a report format");

        Bytes period = post("executive", reader, with(PERIOD, "period", "last month"));
        assertThat(period.status()).isEqualTo(400);
        assertThat(period.text()).contains("'last month' is not a period").contains("30d");
    }

    @Test
    void anotherTenantsTokenAndNoTokenAreRefused() {
        assertThat(post("executive", fixture.tokens.get("other-tenant"), PERIOD).status()).isEqualTo(403);
        assertThat(post("executive", null, PERIOD).status()).isEqualTo(401);
    }
}
