package dev.vigil.cli;

import static dev.vigil.cli.CliTesting.vigil;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.vigil.cli.CliTesting.Run;
import dev.vigil.webhook.WebhookSignature;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code vigil incidents} on the demo tenant: listing, the explained incident, updates with their history, approvals
 * with a reader refused and a signed webhook carrying approved actions out, and the response figures.
 *
 * <p>The demo is seeded once for the class. Tests that change incidents use their own: incident 1 (the password
 * spray) for the lifecycle, incident 4 (the SSH brute force) is never classified, and each approval takes a different action of the
 * intrusion.
 */
@DisplayName("Incidents on the command line")
class IncidentsCliTest {
    static final String SECRET = "0123456789abcdef-test-secret";
    static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    static Path dir;

    static Path data;

    static long intrusion;

    HttpServer server;

    @BeforeAll
    static void seedTheDemo() {
        data = dir.resolve("data");
        Run demo = vigil(data, "demo", "--no-serve", "--scale", DemoCopilot.SCALE);
        assertThat(demo.exit()).as("%s", demo).isZero();
        for (JsonNode incident : incidents("list", "--json").json().get("incidents")) {
            if (incident.get("title").asString().contains("LSASS")) {
                intrusion = incident.get("number").asLong();
            }
        }
        assertThat(intrusion).as("the demo's intrusion incident").isPositive();
    }

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.stop(0);
        }
    }

    static Run incidents(String... args) {
        List<String> all = new ArrayList<>(List.of("incidents"));
        all.addAll(List.of(args));
        all.addAll(List.of("--tenant", "demo"));
        return vigil(data, all.toArray(String[]::new));
    }

    /** The id of the intrusion's proposed action of this kind on this target. */
    /** The id of the intrusion's proposed action of that kind on that target (any target when null). */
    static String action(String kind, String target) {
        Run show = incidents("show", Long.toString(intrusion), "--json");
        for (JsonNode action : show.json().get("actions")) {
            if (action.get("action").asString().equals(kind)
                    && (target == null || action.get("target").asString().equals(target))) {
                return action.get("id").asString();
            }
        }
        throw new AssertionError("incident " + intrusion + " proposes no " + kind + " " + target + ": " + show.out());
    }

    static JsonNode actionJson(String id) {
        for (JsonNode action : incidents("show", Long.toString(intrusion), "--json").json().get("actions")) {
            if (action.get("id").asString().equals(id)) {
                return action;
            }
        }
        throw new AssertionError("no action " + id);
    }

    /** A webhook receiver that checks Vigil's signature and answers with {@code status} and {@code body}. */
    List<JsonNode> receiver(int status, String body) throws IOException {
        List<JsonNode> received = new CopyOnWriteArrayList<>();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", exchange -> {
            String payload = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String timestamp = exchange.getRequestHeaders().getFirst("X-Vigil-Timestamp");
            String signature = exchange.getRequestHeaders().getFirst("X-Vigil-Signature");
            boolean signed = WebhookSignature.verify(SECRET.getBytes(StandardCharsets.UTF_8), timestamp,
                    payload.getBytes(StandardCharsets.UTF_8), signature);
            JsonNode json = JSON.readTree(payload);
            boolean forThisAction = json.get("action").get("id").asString()
                    .equals(exchange.getRequestHeaders().getFirst("X-Vigil-Action"));
            if (signed && forThisAction) {
                received.add(json);
                answer(exchange, status, body);
            } else {
                answer(exchange, 401, "bad signature");
            }
        });
        server.start();
        return received;
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    String hook() {
        return "response.webhook-url=http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    // --- reading ----------------------------------------------------------------------------------------------

    @Test
    void theHuntingQueriesTheInvestigationCardsProposeCompileAndFindTheIncidentsRecords() throws Exception {
        JsonNode view = incidents("show", Long.toString(intrusion), "--json").json().get("view");
        List<String> files = new ArrayList<>();
        for (JsonNode card : view.get("cards")) {
            String query = card.get("detail").asString();
            if (card.get("category").asString().equalsIgnoreCase("investigation") && !query.isEmpty()) {
                files.add(java.nio.file.Files.writeString(dir.resolve("card-" + files.size() + ".kql"), query)
                        .toString());
            }
        }
        assertThat(files).as("the intrusion proposes hunts").hasSizeGreaterThanOrEqualTo(2);

        List<String> check = new ArrayList<>(List.of("hunt", "--check"));
        check.addAll(files);
        check.addAll(List.of("--tenant", "demo", "--json"));
        Run checked = vigil(data, check.toArray(String[]::new));
        assertThat(checked.exit()).as("%s", checked).isZero();
        assertThat(checked.json().get("failed").asInt()).isZero();

        String hostHunt = java.nio.file.Files.readString(Path.of(files.stream().filter(f -> {
            try {
                return java.nio.file.Files.readString(Path.of(f)).startsWith("DeviceProcessEvents\n| where DeviceName");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).findFirst().orElseThrow()));
        Run rows = vigil(data, "hunt", hostHunt, "--tenant", "demo", "--json");
        assertThat(rows.exit()).as("%s", rows).isZero();
        assertThat(rows.json().get("rows").size()).as("the victim host's processes around the incident: %s", hostHunt)
                .isPositive();
    }

    @Test
    void listShowsATableWithMttaAndMttr() {
        Run run = incidents("list");

        assertThat(run.exit()).as("%s", run).isZero();
        assertThat(run.out()).contains("#", "SEVERITY", "STATUS", "TITLE", "ALERTS", "FIRST (UTC)", "OWNER")
                .contains("Process Opens LSASS Memory for Reading on ws007")
                .contains("Password Spray Against Entra ID Followed by a Successful Sign-in")
                .containsPattern("\\(5 incidents; \\d open; MTTA [^,]+, MTTR [^;]+; 'vigil incidents show N'");
    }

    @Test
    void listJsonHasEveryIncidentWithItsFieldsAndTheMetrics() {
        JsonNode body = incidents("list", "--json").json();

        assertThat(body.get("tenant").asString()).isEqualTo("demo");
        assertThat(body.get("incidents")).hasSize(5);
        JsonNode first = body.get("incidents").get(0);
        for (String field : List.of("number", "title", "status", "severity", "classification", "owner", "tags",
                "alerts", "first_seen", "last_seen", "created", "acknowledged", "resolved", "reference")) {
            assertThat(first.has(field)).as(field).isTrue();
        }
        assertThat(body.get("metrics").get("incidents").asInt()).isEqualTo(5);
        Run critical = incidents("list", "--severity", "critical", "--json");
        assertThat(critical.json().get("incidents")).allSatisfy(i -> assertThat(i.get("severity").asString())
                .isEqualTo("critical"));
    }

    @Test
    void incidentsAloneListsLikeListWithTheSameOptions() {
        Run bare = vigil(data, "incidents", "--tenant", "demo", "--json");

        assertThat(bare.exit()).as("%s", bare).isZero();
        assertThat(bare.json().get("incidents")).hasSize(5);
        assertThat(vigil(data, "incidents", "--tenant", "demo", "--limit", "1", "--json").json().get("incidents"))
                .hasSize(1);
    }

    @Test
    void showExplainsTheIncidentInItsSections() {
        Run run = incidents("show", Long.toString(intrusion));

        assertThat(run.exit()).as("%s", run).isZero();
        assertThat(run.out()).startsWith("Incident " + intrusion + ": Process Opens LSASS Memory for Reading")
                .containsSubsequence("\nSummary\n", "\nTimeline\n", "\nEntities\n", "\nTactics\n", "\nImpact\n",
                        "\nLikely source\n", "\nGuided response\n", "\nWhy these alerts are together\n",
                        "\nHistory\n")
                .contains("[alert ") // evidence after statements
                .contains("opened the incident: it shares no entity with a recent open incident")
                .contains("Approve with: vigil incidents approve " + intrusion + " <id>");
    }

    @Test
    void showOfAnUnknownIncidentIsNotFound() {
        Run run = incidents("show", "999");

        assertThat(run.exit()).as("%s", run).isEqualTo(3);
        assertThat(run.err()).contains("tenant 'demo' has no incident 999").contains("vigil incidents list");
    }

    // --- lifecycle --------------------------------------------------------------------------------------------

    @Test
    void resolvingWithoutAClassificationIsRefusedWithTheFix() {
        Run run = incidents("update", "4", "--status", "resolved");

        assertThat(run.exit()).as("%s", run).isEqualTo(2);
        assertThat(run.err()).contains("resolving incident 4 needs a classification")
                .contains("--classification true-positive, false-positive or informational");
        assertThat(incidents("show", "4", "--json").json().get("incident").get("status").asString())
                .isEqualTo("new");
    }

    @Test
    void updatesAreRecordedInTheHistoryWithWhoMadeThem() {
        Run active = incidents("update", "1", "--status", "active", "--owner", "alice", "--tag", "spray",
                "--comment", "blocking the address", "--as", "alice", "--role", "analyst");
        assertThat(active.exit()).as("%s", active).isZero();
        assertThat(active.out()).contains("Incident 1: active, severity critical, undetermined, owned by alice")
                .contains("alice    status: new -> active").contains("comment: blocking the address");

        Run resolved = incidents("update", "1", "--status", "resolved", "--classification", "true-positive",
                "--determination", "password spray", "--as", "bob");
        assertThat(resolved.exit()).as("%s", resolved).isZero();

        Run show = incidents("show", "1");
        assertThat(show.out()).contains("resolved · severity critical · owner alice · true-positive")
                .containsSubsequence("\nHistory\n", "alice  status: new -> active", "alice  owner: alice",
                        "alice  tag: spray", "alice  comment: blocking the address",
                        "bob  classification: undetermined -> true-positive", "bob  determination: password spray",
                        "bob  status: active -> resolved");
        JsonNode stats = incidents("stats", "--json").json();
        assertThat(stats.get("all").get("resolved").asInt()).isPositive();
        assertThat(stats.get("all").get("mttr_seconds").isNull()).isFalse();
    }

    @Test
    void statsShowsTheFiguresBySeverity() {
        Run run = incidents("stats");

        assertThat(run.exit()).as("%s", run).isZero();
        assertThat(run.out()).contains("SEVERITY", "INCIDENTS", "OPEN", "ACKNOWLEDGED", "RESOLVED", "MTTA", "MTTR")
                .containsSubsequence("critical", "high", "medium", "low", "informational", "all")
                .containsPattern("all\\s+5\\s")
                .contains("(MTTA: from the moment Vigil opened an incident to the first analyst action");
        JsonNode json = incidents("stats", "--json").json();
        assertThat(json.get("by_severity").propertyNames()).containsExactly("critical", "high", "medium", "low",
                "informational");
        assertThat(json.get("by_severity").get("critical").get("incidents").asInt()).isEqualTo(3);
    }

    // --- approvals --------------------------------------------------------------------------------------------

    @Test
    void aReaderCannotApproveAnActionAndExitsFour() {
        String id = action("disable-user", "quinn.kim");

        Run run = incidents("approve", Long.toString(intrusion), id.substring(0, 8), "--as", "rita", "--role",
                "reader");

        assertThat(run.exit()).as("%s", run).isEqualTo(4);
        assertThat(run.err()).contains("rita (reader) may not approve response actions")
                .contains("needs the analyst role");
        assertThat(actionJson(id).get("status").asString()).isEqualTo("proposed");
    }

    @Test
    void anApprovedActionGoesToTheSignedWebhookAndSucceeds() throws IOException {
        List<JsonNode> received = receiver(200, "isolated");
        String id = action("isolate-host", "ws007");

        Run run = incidents("approve", Long.toString(intrusion), id.substring(0, 8), "--as", "alice", "--role",
                "analyst", "--set", hook(), "--set", "response.webhook-secret=" + SECRET);

        assertThat(run.exit()).as("%s", run).isZero();
        assertThat(run.out()).contains("Action " + id.substring(0, 8) + " (isolate-host ws007) on incident "
                + intrusion + ": succeeded by alice").contains("HTTP 200 isolated");
        assertThat(received).singleElement().satisfies(payload -> {
            assertThat(payload.get("tenant").asString()).isEqualTo("demo");
            assertThat(payload.get("incident").get("number").asLong()).isEqualTo(intrusion);
            assertThat(payload.get("action").get("id").asString()).isEqualTo(id);
            assertThat(payload.get("action").get("action").asString()).isEqualTo("isolate-host");
            assertThat(payload.get("action").get("target").asString()).isEqualTo("ws007");
            assertThat(payload.get("action").get("approved_by").asString()).isEqualTo("alice");
            assertThat(payload.get("action").get("evidence")).isNotEmpty();
        });
        JsonNode stored = actionJson(id);
        assertThat(stored.get("status").asString()).isEqualTo("succeeded");
        assertThat(stored.get("outcome").asString()).endsWith("/hook: HTTP 200 isolated");
        assertThat(incidents("show", Long.toString(intrusion)).out())
                .contains("[" + id.substring(0, 8) + " succeeded by alice]")
                .contains("alice  action: " + id.substring(0, 8) + " isolate-host ws007 -> approved")
                .contains("alice  action: " + id.substring(0, 8) + " isolate-host ws007 -> succeeded: webhook");

        Run again = incidents("approve", Long.toString(intrusion), id.substring(0, 8), "--as", "alice");
        assertThat(again.exit()).as("a succeeded action is done").isEqualTo(2);
        assertThat(again.err()).contains("is succeeded (by alice)");
    }

    @Test
    void aWebhookThatAnswers500LeavesTheActionFailedAndRecorded() throws IOException {
        List<JsonNode> received = receiver(500, "EDR down");
        String id = action("block-ip", "198.51.100.23");

        Run run = incidents("approve", Long.toString(intrusion), id.substring(0, 8), "--as", "alice", "--set",
                hook(), "--set", "response.webhook-secret=" + SECRET);

        assertThat(run.exit()).as("%s", run).isEqualTo(1);
        assertThat(run.out()).contains(": failed by alice").contains("HTTP 500 EDR down");
        assertThat(received).hasSize(1);
        JsonNode stored = actionJson(id);
        assertThat(stored.get("status").asString()).isEqualTo("failed");
        assertThat(stored.get("outcome").asString()).endsWith("HTTP 500 EDR down");
        assertThat(incidents("show", Long.toString(intrusion)).out())
                .contains("action: " + id.substring(0, 8) + " block-ip 198.51.100.23 -> failed: webhook")
                .contains("/hook: HTTP 500 EDR down");
    }

    @Test
    void aWebhookWithoutASecretIsAConfigurationErrorThatApprovesNothing() throws IOException {
        receiver(200, "ok");
        String id = action("block-hash", null);

        Run run = incidents("approve", Long.toString(intrusion), id.substring(0, 8), "--set", hook());

        assertThat(run.exit()).as("%s", run).isEqualTo(2);
        assertThat(run.err()).contains("response.webhook-secret is empty").contains("VIGIL_RESPONSE_WEBHOOK_SECRET");
        assertThat(actionJson(id).get("status").asString()).as("nothing is approved that could not run")
                .isEqualTo("proposed");
    }

    @Test
    void anUnknownActionIdIsNotFound() {
        Run run = incidents("approve", Long.toString(intrusion), "ffffffff");

        assertThat(run.exit()).as("%s", run).isEqualTo(3);
        assertThat(run.err()).contains("incident " + intrusion + " proposes no action 'ffffffff'")
                .contains("vigil incidents show N");
    }
}
