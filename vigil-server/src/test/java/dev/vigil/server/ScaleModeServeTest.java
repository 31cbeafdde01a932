package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.config.ConfigLoader;
import dev.vigil.config.LakeSettings;
import dev.vigil.config.VigilConfig;
import dev.vigil.incident.Assignment;
import dev.vigil.incident.EntityKey;
import dev.vigil.incident.IncidentChange;
import dev.vigil.incident.JoinReason;
import dev.vigil.ingest.EventSink;
import dev.vigil.lake.LakeLayout;
import dev.vigil.lake.LakeWriter;
import dev.vigil.model.Alert;
import dev.vigil.model.CommonColumn;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.Event;
import dev.vigil.model.EventId;
import dev.vigil.model.Role;
import dev.vigil.model.SourcePosition;
import dev.vigil.model.TenantId;
import dev.vigil.model.VigilException;
import dev.vigil.store.IncidentFeed;
import dev.vigil.store.PostgresState;
import dev.vigil.store.PostgresTesting;
import dev.vigil.stream.RawEnvelope;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code vigil serve --mode scale} against a real broker (Kafka's in-process KRaft test kit), a throwaway PostgreSQL
 * and a lake folder: ingest goes to the raw topic, once per record and acknowledged only when the broker has it;
 * hunts read the tenant's events from the lake; alerts and incidents the stream's correlation stored in PostgreSQL
 * are listed, shown over the lake's events and updated there; the node keeps nothing of its own; a configuration
 * that lacks a service, or names one that does not answer, fails the start with the key.
 */
@DisplayName("vigil serve --mode scale: a stateless API node over Kafka, the lake and PostgreSQL")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScaleModeServeTest {
    static final TenantId ACME = TenantId.of("acme");
    static final TenantId GLOBEX = TenantId.of("globex");
    static final String PREFIX = "scale-test.";
    static final int MAX_RECORD = 512;
    /** The ids of the events written to the lake, by tenant. */
    static final Map<TenantId, List<EventId>> WRITTEN = new HashMap<>();

    @TempDir
    static Path folder;

    KafkaClusterTestKit kafka;
    String url;
    VigilConfig config;
    VigilServer server;
    String ingestToken;
    String analystToken;
    String readerToken;
    String ownerToken;
    final HttpClient client = HttpClient.newHttpClient();

    @BeforeAll
    void start() throws Exception {
        kafka = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder().setCombined(true).setNumBrokerNodes(1)
                .setNumControllerNodes(1).build())
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .build();
        kafka.format();
        kafka.startup();
        kafka.waitForReadyBrokers();
        url = PostgresTesting.freshDatabase();
        Path lake = Files.createDirectories(folder.resolve("lake"));
        writeLake(lake, ACME, "CANARY-acme-only");
        writeLake(lake, GLOBEX, "globex-benign");
        config = config(Map.of());
        try (ServerState state = ServerState.open(config)) {
            ingestToken = state.tokens().create(ACME, Role.INGEST, "acme-ingest", null, Instant.now()).token();
            analystToken = state.tokens().create(ACME, Role.ANALYST, "acme-analyst", null, Instant.now()).token();
            readerToken = state.tokens().create(ACME, Role.READER, "acme-reader", null, Instant.now()).token();
            ownerToken = state.tokens().create(ACME, Role.OWNER, "acme-owner", null, Instant.now()).token();
        }
        server = VigilServer.start(config, "127.0.0.1", 0, Optional.empty(), Clock.systemUTC(), Optional::empty);
    }

    @AfterAll
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (kafka != null) {
            kafka.close();
        }
        PostgresTesting.dropDatabase(url);
    }

    /** The scale-mode configuration of the test's services, with {@code overrides} on top (an empty value unsets). */
    VigilConfig config(Map<String, String> overrides) {
        Map<String, String> flags = new LinkedHashMap<>();
        flags.put("data-dir", folder.resolve("node-data").toString());
        flags.put("server.mode", "scale");
        flags.put("store.state", "postgresql");
        flags.put("store.postgresql.url", url);
        flags.put("stream.bootstrap", kafka.bootstrapServers());
        flags.put("stream.topic-prefix", PREFIX);
        flags.put("stream.partitions", "2");
        flags.put("stream.connect-timeout", "5s");
        flags.put("lake.root", folder.resolve("lake").toString());
        flags.put("ingest.max-record-bytes", Integer.toString(MAX_RECORD));
        flags.put("server.syslog.listeners", "tcp:0=acme");
        flags.putAll(overrides);
        flags.values().removeIf(String::isEmpty);
        return ConfigLoader.load(null, Map.of(), flags);
    }

    /** Three Sysmon process events of the tenant in the lake, each command line carrying the marker. */
    static void writeLake(Path lake, TenantId tenant, String marker) {
        List<Event> events = new ArrayList<>();
        for (int n = 1; n <= 3; n++) {
            long millis = 1_714_564_800_000L + n * 60_000L;
            String raw = "{\"n\":" + n + ",\"cmd\":\"" + marker + "\"}";
            String[] common = new String[CommonColumn.count()];
            common[CommonColumn.HOST.ordinal()] = "ws-" + tenant;
            common[CommonColumn.COMMAND_LINE.ordinal()] = "powershell -c " + marker;
            common[CommonColumn.EVENT_CODE.ordinal()] = "1";
            common[CommonColumn.ACTION.ordinal()] = "process_create";
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("EventID", 1L);
            fields.put("CommandLine", "powershell -c " + marker);
            EventId id = EventId.derive(tenant, millis, raw.getBytes(StandardCharsets.UTF_8), 0);
            WRITTEN.computeIfAbsent(tenant, t -> new ArrayList<>()).add(id);
            events.add(new Event(id, tenant, "SysmonEvent", millis * 1000, common, fields, raw,
                    new SourcePosition("seed.json", n, 0)));
        }
        try (LakeWriter writer = new LakeWriter(new LakeLayout(LakeSettings.local(lake.toString())))) {
            writer.append(new EventSink.Batch(events, List.of()));
            writer.commit();
        }
    }

    record Answer(int status, String body, HttpResponse<String> response) {
        JsonNode json() {
            return ApiJson.MAPPER.readTree(body);
        }
    }

    Answer send(String method, String path, String token, String contentType, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + token)
                .header("Content-Type", contentType)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.body(), response);
    }

    /** Everything on the raw topic, read from the start until {@code expected} records came and a second passed. */
    List<ConsumerRecord<String, byte[]>> rawTopic(int expected) {
        Map<String, Object> settings = new HashMap<>();
        settings.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<ConsumerRecord<String, byte[]>> read = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(settings, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(PREFIX + "raw").stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            long settled = Long.MAX_VALUE;
            while (System.nanoTime() < Math.min(deadline, settled)) {
                consumer.poll(Duration.ofMillis(200)).forEach(read::add);
                if (read.size() >= expected && settled == Long.MAX_VALUE) {
                    settled = System.nanoTime() + Duration.ofSeconds(1).toNanos(); // anything sent twice shows now
                }
            }
        }
        return read;
    }

    @Test
    @Order(1)
    void ingestPutsEachRecordOnTheRawTopicOnceAndAnswersWithTheCounts() throws Exception {
        List<String> lines = List.of(
                "{\"EventID\":4625,\"Computer\":\"ws-1\",\"TargetUserName\":\"alice\",\"TimeCreated\":\"2026-11-29T10:00:00Z\"}",
                "{\"EventID\":4625,\"Computer\":\"ws-1\",\"TargetUserName\":\"bob\",\"TimeCreated\":\"2026-11-29T10:00:01Z\"}",
                "{\"EventID\":4624,\"Computer\":\"ws-2\",\"TargetUserName\":\"carol\",\"TimeCreated\":\"2026-11-29T10:00:02Z\"}",
                "{\"EventID\":4688,\"CommandLine\":\"" + "A".repeat(MAX_RECORD) + "\"}");
        Answer answer = send("POST", "/api/v1/tenants/acme/ingest", ingestToken, "application/x-ndjson",
                String.join("\n", lines) + "\n");

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        JsonNode json = answer.json();
        assertThat(json.get("read").asLong()).isEqualTo(4);
        assertThat(json.get("accepted").asLong()).isEqualTo(3);
        assertThat(json.get("quarantined").asLong()).isEqualTo(1);
        assertThat(json.get("quarantined_records").get(0).get("line").asLong()).isEqualTo(4);
        assertThat(json.get("quarantined_records").get(0).get("reason").asString()).isEqualTo("record_too_large");
        assertThat(json.get("topic").asString()).isEqualTo(PREFIX + "raw");
        assertThat(json.get("stored_new").isNull()).isTrue();

        List<ConsumerRecord<String, byte[]>> onTopic = rawTopic(4);
        assertThat(onTopic).hasSize(4).allSatisfy(record -> assertThat(record.key()).isEqualTo("acme"));
        List<RawEnvelope> envelopes = onTopic.stream().map(r -> RawEnvelope.decode(r.value())).toList();
        assertThat(envelopes).allSatisfy(e -> assertThat(e.record().position().source()).isEqualTo("stdin"));
        assertThat(envelopes).allSatisfy(e -> assertThat(e.tenant()).isEqualTo(ACME));
        assertThat(envelopes.stream().filter(e -> e.refusal() == null)
                .map(e -> new String(e.record().bytes(), StandardCharsets.UTF_8)))
                .containsExactlyInAnyOrderElementsOf(lines.subList(0, 3));
        assertThat(envelopes.stream().filter(e -> e.refusal() != null))
                .singleElement().satisfies(refused -> {
                    assertThat(refused.record().position().line()).isEqualTo(4);
                    assertThat(refused.refusal().fullLength()).isGreaterThan(MAX_RECORD);
                });
    }

    @Test
    @Order(2)
    void huntsReadTheTenantsEventsFromTheLake() throws Exception {
        Answer answer = send("POST", "/api/v1/tenants/acme/hunt", analystToken, "application/json",
                "{\"query\": \"SysmonEvent | project CommandLine, Computer = host | order by CommandLine\"}");

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.json().get("rows").toString()).contains("CANARY-acme-only").doesNotContain("globex");
        assertThat(answer.json().get("rows").size()).isEqualTo(3);

        Answer counted = send("POST", "/api/v1/tenants/acme/hunt", analystToken, "application/json",
                "{\"query\": \"SysmonEvent | summarize n = count() by tenant\"}");
        assertThat(counted.status()).as(counted.body()).isEqualTo(200);
        assertThat(counted.json().get("rows").toString()).isEqualTo("[[\"acme\",3]]");
    }

    @Test
    @Order(3)
    void syslogMessagesGoToTheRawTopicToo() throws Exception {
        int port = server.syslogPorts().get(0);
        List<String> messages = List.of("<34>Oct 11 22:14:15 mymachine su: 'su root' failed for lonvick on /dev/pts/8",
                "<13>Oct 11 22:14:16 mymachine sshd[42]: Accepted publickey for alice from 203.0.113.7");
        try (java.net.Socket socket = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), port)) {
            socket.getOutputStream().write((String.join("\n", messages) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        List<RawEnvelope> syslog = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (syslog.size() < 2 && System.nanoTime() < deadline) {
            syslog = rawTopic(6).stream().map(r -> RawEnvelope.decode(r.value()))
                    .filter(e -> e.record().position().source().equals("syslog")).toList();
        }
        assertThat(syslog).hasSize(2).allSatisfy(e -> assertThat(e.tenant()).isEqualTo(ACME));
        assertThat(syslog.stream().map(e -> new String(e.record().bytes(), StandardCharsets.UTF_8)))
                .containsExactlyInAnyOrderElementsOf(messages);
    }

    @Test
    @Order(4)
    void theCopilotAnswersFromTheLakeAndKeepsItsSessionInPostgresql() throws Exception {
        Answer answer = send("POST", "/api/v1/tenants/acme/copilot/ask", analystToken, "application/json",
                ApiJson.MAPPER.writeValueAsString(Map.of("prompt", "hunt: SysmonEvent | where CommandLine has"
                        + " 'CANARY' | count", "session", "new")));
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.json().get("markdown").asString()).startsWith("There were 3 process starts");
        assertThat(answer.json().get("queries").toString()).contains("CANARY");
        java.util.UUID session = java.util.UUID.fromString(answer.json().get("session").asString());
        try (dev.vigil.store.PostgresState otherNode = dev.vigil.store.PostgresState.open(url, "", Optional.empty(),
                1)) {
            assertThat(otherNode.sessions(ACME).get(new dev.vigil.model.Principal("acme-analyst", Role.ANALYST),
                    session).turns()).hasSize(1);
        }
    }

    @Test
    @Order(5)
    void evidenceOpensTheTenantsEventsFromTheLakeAndNoOtherTenants() throws Exception {
        EventId mine = WRITTEN.get(ACME).get(0);
        Answer answer = send("GET", "/api/v1/tenants/acme/evidence?ref=event:" + mine, analystToken,
                "application/json", null);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.json().get("event").get("table").asString()).isEqualTo("SysmonEvent");
        assertThat(answer.json().get("event").get("fields").get("CommandLine").asString())
                .isEqualTo("powershell -c CANARY-acme-only");

        EventId theirs = WRITTEN.get(GLOBEX).get(0);
        Answer other = send("GET", "/api/v1/tenants/acme/evidence?ref=event:" + theirs, analystToken,
                "application/json", null);
        assertThat(other.status()).as(other.body()).isEqualTo(404);
        assertThat(other.body()).doesNotContain("globex-benign");
    }

    @Test
    @Order(6)
    void routesOverStateTheNodeDoesNotHoldAnswerThatTheyAreNotServedYet() throws Exception {
        Answer posture = send("GET", "/api/v1/tenants/acme/posture", analystToken, "application/json", null);
        assertThat(posture.status()).isEqualTo(409);
        assertThat(posture.json().get("code").asString()).isEqualTo("scale_mode_unsupported");
        assertThat(posture.json().get("message").asString()).contains("posture", "embedded store");
        assertThat(posture.json().get("fix").asString()).contains("embedded mode");
        JsonNode openApi = send("GET", "/api/v1/openapi.json", analystToken, "application/json", null).json();
        assertThat(openApi.toString()).contains("not served in scale mode yet");
        assertThat(openApi.get("paths").get("/api/v1/tenants/{tenant}/incidents").toString())
                .doesNotContain("not served in scale mode");
        assertThat(openApi.get("paths").get("/api/v1/tenants/{tenant}/alerts").toString())
                .doesNotContain("not served in scale mode");
    }

    static final long ALERT_MICROS = (1_714_564_800_000L + 60_000L) * 1000;

    /** An alert of the tenant on its lake events, as the pipeline's detection raises it. */
    static Alert alert(TenantId tenant, int n, String level, String host) {
        return new Alert(java.util.UUID.nameUUIDFromBytes((tenant + " alert " + n).getBytes(StandardCharsets.UTF_8)),
                tenant, "sigma", "rule-" + n, "Encoded PowerShell " + n, level, "", ALERT_MICROS + n * 60_000_000L,
                List.of("T1059.001"), Map.of("CommandLine", "powershell -c"), List.of(new Alert.Entity("host", host)),
                List.of(WRITTEN.get(tenant).get(n - 1)), "SysmonEvent", "");
    }

    /**
     * What {@code vigil stream incidents} does with the pipeline's placements: the alerts into PostgreSQL, then the
     * placements applied to the incidents there.
     */
    void streamCorrelationStores(TenantId tenant, List<Alert> alerts, List<Assignment> placements, long position) {
        try (PostgresState database = PostgresState.open(url, "", Optional.empty(), 1)) {
            database.alerts(tenant).append(alerts);
            List<IncidentFeed.Placed> placed = new ArrayList<>();
            for (Assignment assignment : placements) {
                placed.add(new IncidentFeed.Placed(assignment.alert(), assignment.incident(), assignment.opened(),
                        assignment.reason(), assignment.merged(), position++));
            }
            new IncidentFeed(database.incidents(tenant), database.alerts(tenant)::byIds).apply(placed, Instant.now());
        }
    }

    @Test
    @Order(7)
    void alertsAndIncidentsTheStreamCorrelationStoredAreListedShownAndUpdatedOnTheNode() throws Exception {
        JoinReason first = new JoinReason(JoinReason.Kind.FIRST, null, null, 0, "");
        Alert opening = alert(ACME, 1, "medium", "ws-acme");
        Alert joining = alert(ACME, 2, "high", "ws-acme");
        streamCorrelationStores(ACME, List.of(opening, joining), List.of(
                new Assignment(opening.id(), 1, true, first, List.of()),
                new Assignment(joining.id(), 1, false, new JoinReason(JoinReason.Kind.SHARED_ENTITY,
                        new EntityKey(EntityKey.Kind.HOST, "ws-acme"), opening.id(), 60_000_000L,
                        "evidence 0.52, 0.25 needed to join: host ws-acme 0.52"), List.of())), 0);
        Alert theirs = alert(GLOBEX, 1, "critical", "ws-globex");
        streamCorrelationStores(GLOBEX, List.of(theirs), List.of(new Assignment(theirs.id(), 1, true, first,
                List.of())), 0);

        Answer alerts = send("GET", "/api/v1/tenants/acme/alerts", readerToken, "application/json", null);
        assertThat(alerts.status()).as(alerts.body()).isEqualTo(200);
        assertThat(alerts.json().get("alerts")).extracting(a -> a.get("id").asString())
                .containsExactly(joining.id().toString(), opening.id().toString());
        Answer high = send("GET", "/api/v1/tenants/acme/alerts?level=high", readerToken, "application/json", null);
        assertThat(high.json().get("alerts")).extracting(a -> a.get("id").asString())
                .containsExactly(joining.id().toString());

        Answer listed = send("GET", "/api/v1/tenants/acme/incidents", readerToken, "application/json", null);
        assertThat(listed.status()).as(listed.body()).isEqualTo(200);
        assertThat(listed.json().get("incidents")).singleElement().satisfies(incident -> {
            assertThat(incident.get("number").asLong()).isEqualTo(1);
            assertThat(incident.get("alerts").asInt()).isEqualTo(2);
            assertThat(incident.get("severity").asString()).isEqualTo("high");
            assertThat(incident.toString()).doesNotContain("ws-globex");
        });

        Answer shown = send("GET", "/api/v1/tenants/acme/incidents/1", readerToken, "application/json", null);
        assertThat(shown.status()).as(shown.body()).isEqualTo(200);
        assertThat(shown.json().get("reasons")).extracting(r -> r.get("alert").asString())
                .containsExactly(opening.id().toString(), joining.id().toString());
        assertThat(shown.json().get("view").get("timeline").toString())
                .as("the timeline's events, read from the lake").contains("CANARY-acme-only")
                .doesNotContain("globex");

        Answer refused = send("PATCH", "/api/v1/tenants/acme/incidents/1", readerToken, "application/json",
                "{\"status\": \"active\"}");
        assertThat(refused.status()).as(refused.body()).isEqualTo(403);
        Answer updated = send("PATCH", "/api/v1/tenants/acme/incidents/1", analystToken, "application/json",
                "{\"status\": \"active\", \"owner\": \"acme-analyst\", \"comment\": \"looking into it\"}");
        assertThat(updated.status()).as(updated.body()).isEqualTo(200);
        assertThat(updated.json().get("status").asString()).isEqualTo("active");
        try (PostgresState otherNode = PostgresState.open(url, "", Optional.empty(), 1)) {
            assertThat(otherNode.incidents(ACME).find(1).orElseThrow().owner()).isEqualTo("acme-analyst");
            assertThat(otherNode.incidents(ACME).changes(1)).extracting(IncidentChange::to)
                    .contains("looking into it");
            assertThat(otherNode.incidents(GLOBEX).find(1).orElseThrow().owner()).isEmpty();
        }

        JsonNode actions = send("GET", "/api/v1/tenants/acme/incidents/1", readerToken, "application/json", null)
                .json().get("actions");
        assertThat(actions).as("the response cards' proposed actions").isNotEmpty();
        String action = actions.get(0).get("id").asString();
        Answer rejected = send("POST", "/api/v1/tenants/acme/incidents/1/actions/" + action + "/reject",
                analystToken, "application/json", "{\"reason\": \"not warranted\"}");
        assertThat(rejected.status()).as(rejected.body()).isEqualTo(200);
        try (PostgresState otherNode = PostgresState.open(url, "", Optional.empty(), 1)) {
            assertThat(otherNode.incidents(ACME).decisions(1).values()).singleElement()
                    .satisfies(decision -> assertThat(decision.status().toString()).isEqualTo("rejected"));
        }

        Answer evidence = send("GET", "/api/v1/tenants/acme/evidence?ref=alert:" + joining.id(), readerToken,
                "application/json", null);
        assertThat(evidence.status()).as(evidence.body()).isEqualTo(200);
        assertThat(evidence.json().get("alert").get("title").asString()).isEqualTo("Encoded PowerShell 2");
        Answer notOurs = send("GET", "/api/v1/tenants/acme/evidence?ref=alert:" + theirs.id(), readerToken,
                "application/json", null);
        assertThat(notOurs.status()).as(notOurs.body()).isEqualTo(404);
    }

    @Test
    @Order(8)
    void theCopilotsIncidentAndAlertSkillsAnswerFromWhatTheStreamCorrelationStored() throws Exception {
        Answer summary = send("POST", "/api/v1/tenants/acme/copilot/ask", analystToken, "application/json",
                ApiJson.MAPPER.writeValueAsString(Map.of("prompt", "summarize incident 1")));
        assertThat(summary.status()).as(summary.body()).isEqualTo(200);
        assertThat(summary.json().get("markdown").asString()).contains("Encoded PowerShell");

        Answer alerts = send("POST", "/api/v1/tenants/acme/copilot/ask", analystToken, "application/json",
                ApiJson.MAPPER.writeValueAsString(Map.of("prompt", "Show the latest alerts")));
        assertThat(alerts.status()).as(alerts.body()).isEqualTo(200);
        assertThat(alerts.json().get("markdown").asString()).contains("There are 2 alerts", "Encoded PowerShell")
                .doesNotContain("ws-globex");

        Answer open = send("POST", "/api/v1/tenants/acme/copilot/ask", analystToken, "application/json",
                ApiJson.MAPPER.writeValueAsString(Map.of("prompt", "List the open incidents")));
        assertThat(open.status()).as(open.body()).isEqualTo(200);
        assertThat(open.json().get("markdown").asString()).as("the incidents list reads PostgreSQL's incidents")
                .contains("There is 1 incident", "#1");
    }

    @Test
    @Order(9)
    void anOwnerInstallsAPluginThatTheNodeKeepsInPostgresqlAndItsCopilotLoads() throws Exception {
        Answer installed = send("POST", "/api/v1/tenants/acme/plugins", ownerToken, "application/json",
                ApiJson.MAPPER.writeValueAsString(Map.of("manifest", PluginsAndModelApiTest.MANIFEST, "settings",
                        Map.of("BaseUrl", "http://localhost:8089", "ApiKey", "s3cret-key"))));
        assertThat(installed.status()).as(installed.body()).isEqualTo(201);

        Answer listed = send("GET", "/api/v1/tenants/acme/plugins", ownerToken, "application/json", null);
        assertThat(listed.status()).as(listed.body()).isEqualTo(200);
        assertThat(listed.body()).contains("device-risk", "********").doesNotContain("s3cret-key");
        assertThat(send("GET", "/api/v1/tenants/acme/copilot/skills", analystToken, "application/json", null).body())
                .contains("device-risk-failed-logons-of-account");
        assertThat(send("GET", "/api/v1/tenants/acme/plugins", analystToken, "application/json", null).status())
                .as("plugins are the owner's").isEqualTo(403);
        try (PostgresState otherNode = PostgresState.open(url, "", Optional.empty(), 1)) {
            assertThat(otherNode.plugins(ACME).get("device-risk").settings()).containsEntry("ApiKey", "s3cret-key");
            assertThat(otherNode.plugins(GLOBEX).list()).isEmpty();
        }

        Answer removed = send("DELETE", "/api/v1/tenants/acme/plugins/device-risk", ownerToken, "application/json",
                null);
        assertThat(removed.status()).as(removed.body()).isBetween(200, 204);
        assertThat(send("GET", "/api/v1/tenants/acme/copilot/skills", analystToken, "application/json", null).body())
                .doesNotContain("device-risk-failed-logons-of-account");
    }

    @Test
    @Order(10)
    void theNodeKeepsNothingOfItsOwnOnDisk() {
        Path data = folder.resolve("node-data");
        assertThat(data.resolve("tenants")).doesNotExist();
        assertThat(data.resolve("server").resolve("tokens.json")).doesNotExist();
        assertThat(data.resolve("server").resolve("audit.jsonl")).doesNotExist();
        assertThat(data.resolve("plugins")).doesNotExist();
    }

    @Test
    @Order(11)
    void ingestedRecordsReachTheLakeThroughTheWorkersAndTheSinkAndAnswerHuntsOnTheNode() throws Exception {
        dev.vigil.stream.StreamSettings settings = dev.vigil.stream.StreamSettings.from(config, null)
                .withStateDir(folder.resolve("worker-state"));
        dev.vigil.stream.SinkSettings every = dev.vigil.stream.SinkSettings.from(config);
        dev.vigil.stream.LakeSink sink = new dev.vigil.stream.LakeSink(settings, new dev.vigil.stream.SinkSettings(
                every.groupId(), every.commitRecords(), every.commitBytes(), Duration.ofSeconds(1)),
                new LakeLayout(config.lake()), Map.of());
        Thread sinking = Thread.ofPlatform().name("test-lake-sink").start(
                () -> sink.run(null, dev.vigil.stream.LakeSink.Listener.NONE));
        try (dev.vigil.stream.StreamWorker worker = dev.vigil.stream.StreamWorker.start(settings)) {
            assertThat(worker.awaitRunning(Duration.ofSeconds(60))).isTrue();
            String hunt = "{\"query\": \"WindowsEvent | where TargetUserName in ('alice', 'bob', 'carol')"
                    + " | project TargetUserName | order by TargetUserName asc\"}";
            Answer answer = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (System.nanoTime() < deadline) {
                answer = send("POST", "/api/v1/tenants/acme/hunt", analystToken, "application/json", hunt);
                if (answer.status() == 200 && answer.json().get("rows").size() == 3) {
                    break;
                }
                Thread.sleep(500);
            }
            List<String> lake;
            try (var files = Files.walk(folder.resolve("lake"))) {
                lake = files.map(f -> folder.resolve("lake").relativize(f).toString()).toList();
            }
            assertThat(answer.status()).as("%s; the sink wrote %d events; the lake holds %s", answer.body(),
                    sink.progress().events(), lake).isEqualTo(200);
            assertThat(answer.json().get("rows").toString()).isEqualTo("[[\"alice\"],[\"bob\"],[\"carol\"]]");
        } finally {
            sink.stop();
            sinking.join(30_000);
            sink.close();
        }
        assertThat(sink.progress().events()).as("the three records and the two syslog messages").isEqualTo(5);
    }

    @Test
    void startRefusesAConfigurationWithoutSharedStateNamingTheKey() {
        assertThatThrownBy(() -> VigilServer.start(config(Map.of("store.state", "embedded")), "127.0.0.1", 0))
                .isInstanceOfSatisfying(VigilException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID);
                    assertThat(e.getMessage()).contains("store.state");
                    assertThat(e.fix()).contains("store.state: postgresql");
                });
    }

    @Test
    void startRefusesAConfigurationWithoutBrokersOrLakeNamingTheKey() {
        assertThatThrownBy(() -> VigilServer.start(config(Map.of("stream.bootstrap", "")), "127.0.0.1", 0))
                .isInstanceOfSatisfying(VigilException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID);
                    assertThat(e.getMessage()).contains("stream.bootstrap");
                });
        assertThatThrownBy(() -> VigilServer.start(config(Map.of("lake.root", "")), "127.0.0.1", 0))
                .isInstanceOfSatisfying(VigilException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID);
                    assertThat(e.getMessage()).contains("lake.root");
                });
        assertThatThrownBy(() -> VigilServer.start(config(Map.of("lake.root", folder.resolve("no-lake").toString())),
                "127.0.0.1", 0)).isInstanceOfSatisfying(VigilException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID);
                    assertThat(e.getMessage()).contains("lake.root", "no-lake", "not a readable folder");
                });
    }

    @Test
    void startRefusesBrokersThatDoNotAnswerNamingTheKey() {
        assertThatThrownBy(() -> VigilServer.start(config(Map.of("stream.bootstrap", "127.0.0.1:1",
                "stream.connect-timeout", "2s")), "127.0.0.1", 0))
                .isInstanceOfSatisfying(VigilException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.BROKER_UNAVAILABLE);
                    assertThat(e.getMessage()).contains("stream.bootstrap", "127.0.0.1:1");
                });
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void ingestAnswers503WithRetryAfterWhenTheBrokerIsGoneAndNeverReportsRecordsAsTaken() throws Exception {
        kafka.close();
        Answer answer = send("POST", "/api/v1/tenants/acme/ingest", ingestToken, "application/x-ndjson",
                "{\"EventID\":4625,\"Computer\":\"ws-9\"}\n");
        kafka = null;

        assertThat(answer.status()).as(answer.body()).isEqualTo(503);
        assertThat(answer.json().get("code").asString()).isEqualTo("broker_unavailable");
        assertThat(answer.response().headers().firstValue("Retry-After")).hasValue("5");
    }
}
