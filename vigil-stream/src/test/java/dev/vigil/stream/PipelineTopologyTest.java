package dev.vigil.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.incident.CorrelationPolicy;
import dev.vigil.ingest.EventSink;
import dev.vigil.ingest.Format;
import dev.vigil.ingest.IngestDefaults;
import dev.vigil.ingest.IngestLimits;
import dev.vigil.ingest.Ingestor;
import dev.vigil.ingest.Normalizer;
import dev.vigil.ingest.SourceSplitter;
import dev.vigil.model.Alert;
import dev.vigil.model.CommonColumn;
import dev.vigil.model.Event;
import dev.vigil.model.TenantId;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The topology on Kafka Streams' test driver: no broker, every record processed as it is piped in. */
class PipelineTopologyTest {
    static final Instant NOW = Instant.parse("2030-01-02T03:04:05Z");
    static final TenantId ACME = TenantId.of("acme");
    static final TenantId GLOBEX = TenantId.of("globex");
    static final Topics TOPICS = Topics.withPrefix("test.");

    static final String FAILED_LOGON = """
            title: Failed logon
            id: 0b0e8a62-4d1b-4c8e-9d0a-1a2b3c4d5e01
            status: test
            level: low
            tags: [attack.credential-access, attack.t1110]
            logsource: {product: windows, service: security}
            detection:
                selection:
                    EventID: 4625
                condition: selection
            """;

    @TempDir
    Path dir;
    TopologyTestDriver driver;
    TestInputTopic<String, byte[]> raw;
    TestInputTopic<String, byte[]> config;
    TestOutputTopic<String, byte[]> events;
    TestOutputTopic<String, byte[]> quarantine;
    TestOutputTopic<String, byte[]> alerts;
    TestOutputTopic<String, byte[]> incidents;

    @BeforeEach
    void start() {
        open(dir.resolve("state"));
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    private void open(Path stateDir) {
        Properties properties = new Properties();
        properties.put(StreamsConfig.APPLICATION_ID_CONFIG, "vigil-test");
        properties.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        properties.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(PipelineTopology.build(TOPICS, IngestLimits.DEFAULTS,
                CorrelationPolicy.defaults(), Clock.fixed(NOW, ZoneOffset.UTC)), properties);
        raw = driver.createInputTopic(TOPICS.raw(), new StringSerializer(), new ByteArraySerializer());
        config = driver.createInputTopic(TOPICS.config(), new StringSerializer(), new ByteArraySerializer());
        events = driver.createOutputTopic(TOPICS.events(), new StringDeserializer(), new ByteArrayDeserializer());
        quarantine = driver.createOutputTopic(TOPICS.quarantine(), new StringDeserializer(),
                new ByteArrayDeserializer());
        alerts = driver.createOutputTopic(TOPICS.alerts(), new StringDeserializer(), new ByteArrayDeserializer());
        incidents = driver.createOutputTopic(TOPICS.incidents(), new StringDeserializer(),
                new ByteArrayDeserializer());
    }

    @Test
    void parsesAndNormalizesEveryRecordAsIngestDoes() throws IOException {
        Path file = dir.resolve("security.json");
        Files.writeString(file, logon(4625, "alice", "2024-05-06T10:00:00Z") + "\n"
                + logon(4624, "bob", "2024-05-06T10:01:00Z") + "\n"
                + logon(4624, "bob", "2024-05-06T10:01:00Z") + "\n" // the same record twice: two events
                + "{\"EventID\": 4625, \"broken\n"
                + "{\"Message\":\"no time of its own\"}\n");

        send(ACME, file);

        List<Event> streamed = events.readValuesToList().stream().map(StreamJson::event).toList();
        List<Event> ingested = ingest(ACME, file);
        assertThat(streamed).extracting(Event::id).containsExactlyElementsOf(ingested.stream().map(Event::id).toList());
        assertThat(streamed).extracting(Event::table).containsExactlyElementsOf(
                ingested.stream().map(Event::table).toList());
        assertThat(streamed).extracting(e -> e.common(CommonColumn.USER)).containsExactly("alice", "bob", "bob",
                null);
        assertThat(streamed.get(3).timeMicros()).as("a record without a time takes the raw record's timestamp")
                .isEqualTo(NOW.toEpochMilli() * 1000);
        assertThat(streamed.get(1).id()).isNotEqualTo(streamed.get(2).id());

        List<Map<String, Object>> quarantined = quarantine.readValuesToList().stream().map(StreamJson::map).toList();
        assertThat(quarantined).singleElement().satisfies(q -> {
            assertThat(q).containsEntry("tenant", "acme").containsEntry("reason", "malformed_json")
                    .containsEntry("source", file.toString()).containsEntry("line", 4);
            assertThat(new String(java.util.Base64.getDecoder().decode((String) q.get("raw_base64")),
                    StandardCharsets.UTF_8)).isEqualTo("{\"EventID\": 4625, \"broken");
        });
    }

    @Test
    void processingARecordAgainYieldsTheSameEvent() throws IOException {
        Path file = dir.resolve("once.json");
        Files.writeString(file, "{\"Message\":\"no time of its own\"}\n");

        send(ACME, file);
        send(ACME, file);

        assertThat(events.readValuesToList()).extracting(v -> StreamJson.event(v).id()).hasSize(2)
                .containsOnly(StreamJson.event(StreamJson.event(ingest(ACME, file).getFirst())).id());
    }

    @Test
    void quarantinesValuesThatAreNotRawRecords() {
        raw.pipeInput("acme", "hello".getBytes(StandardCharsets.UTF_8), NOW);

        assertThat(events.isEmpty()).isTrue();
        Map<String, Object> quarantined = StreamJson.map(quarantine.readValue());
        assertThat(quarantined).containsEntry("tenant", "acme").containsEntry("reason", "unsupported_format")
                .containsEntry("source", "test.raw-0@0");
        assertThat((String) quarantined.get("detail")).contains("vigil stream send");
    }

    @Test
    void quarantinesRecordsTheSenderRefused() throws IOException {
        Path file = dir.resolve("big.json");
        Files.writeString(file, "{\"Message\":\"" + "x".repeat(200) + "\"}\n{\"Message\":\"small\"}\n");
        IngestLimits limits = new IngestLimits(100, 64, 1000, 10_000, 131_072, 32 << 20);
        Envelopes envelopes = new Envelopes(ACME, new SourceSplitter(Format.AUTO, IngestDefaults.DEFAULT_TABLE,
                limits, ZoneOffset.UTC), limits);
        envelopes.split(file.toString(), Files.newInputStream(file), e -> raw.pipeInput("acme", e.encode(), NOW));

        assertThat(events.readValuesToList()).hasSize(1);
        assertThat(StreamJson.map(quarantine.readValue())).containsEntry("reason", "record_too_large")
                .containsEntry("raw_length", 214);
    }

    @Test
    void detectsWithEachTenantsOwnPublishedRules() throws IOException {
        config.pipeInput("acme", new TenantContent(Map.of("failed-logon.yml", FAILED_LOGON), Map.of()).encode());
        Path file = dir.resolve("logons.json");
        Files.writeString(file, logon(4625, "alice", "2024-05-06T10:00:00Z") + "\n"
                + logon(4624, "alice", "2024-05-06T10:01:00Z") + "\n");

        send(ACME, file);
        send(GLOBEX, file); // globex published no rules

        List<Event> acmeEvents = events.readValuesToList().stream().map(StreamJson::event)
                .filter(e -> e.tenant().equals(ACME)).toList();
        List<Alert> raised = alerts.readValuesToList().stream().map(StreamJson::alert).toList();
        assertThat(raised).singleElement().satisfies(alert -> {
            assertThat(alert.tenant()).isEqualTo(ACME);
            assertThat(alert.ruleId()).isEqualTo("0b0e8a62-4d1b-4c8e-9d0a-1a2b3c4d5e01");
            assertThat(alert.eventIds()).containsExactly(acmeEvents.getFirst().id());
            assertThat(alert.techniques()).containsExactly("T1110");
        });
    }

    @Test
    void matchesTheTenantsIndicators() throws IOException {
        config.pipeInput("acme", new TenantContent(Map.of(), Map.of("bad.txt", "203.0.113.66\n")).encode());
        Path file = dir.resolve("conn.json");
        Files.writeString(file, "{\"EventTime\":\"2024-05-06T10:00:00Z\",\"Hostname\":\"ws1\",\"DestinationIp\":"
                + "\"203.0.113.66\",\"EventID\":3,\"Channel\":\"Microsoft-Windows-Sysmon/Operational\"}\n");

        send(ACME, file);

        assertThat(alerts.readValuesToList()).singleElement().satisfies(bytes -> {
            Alert alert = StreamJson.alert(bytes);
            assertThat(alert.source()).isEqualTo("ioc");
            assertThat(alert.matchedFields()).containsValue("203.0.113.66");
        });
    }

    @Test
    void correlatesAlertsIntoIncidentsAndPlacesEachAlertOnce() throws IOException {
        config.pipeInput("acme", new TenantContent(Map.of("failed-logon.yml", FAILED_LOGON), Map.of()).encode());
        Path file = dir.resolve("logons.json");
        Files.writeString(file, logon(4625, "alice", "2024-05-06T10:00:00Z") + "\n"
                + logon(4625, "alice", "2024-05-06T10:20:00Z") + "\n"
                + logon(4625, "mallory", "2024-05-09T10:00:00Z", "ws9.corp.example", "10.9.9.9") + "\n");

        send(ACME, file);
        send(ACME, file); // delivered again: the same alerts, placed once

        List<Map<String, Object>> placed = incidents.readValuesToList().stream().map(StreamJson::map).toList();
        assertThat(placed).hasSize(3);
        assertThat(placed).extracting(p -> ((Number) p.get("incident")).longValue()).containsExactly(1L, 1L, 2L);
        assertThat(placed).extracting(p -> p.get("opened")).containsExactly(true, false, true);
        assertThat(placed).extracting(p -> p.get("id")).doesNotHaveDuplicates();
    }

    @Test
    void aPlacementCarriesItsAlertAndReadsBackAsCorrelationMadeIt() throws IOException {
        config.pipeInput("acme", new TenantContent(Map.of("failed-logon.yml", FAILED_LOGON), Map.of()).encode());
        Path file = dir.resolve("logons.json");
        Files.writeString(file, logon(4625, "alice", "2024-05-06T10:00:00Z") + "\n"
                + logon(4625, "alice", "2024-05-06T10:20:00Z") + "\n");

        send(ACME, file);

        List<Alert> raised = alerts.readValuesToList().stream().map(StreamJson::alert).toList();
        List<StreamJson.Placement> placed = incidents.readValuesToList().stream().map(StreamJson::placement)
                .toList();
        assertThat(placed).extracting(StreamJson.Placement::alert).containsExactlyElementsOf(raised);
        assertThat(placed.get(0).assignment().opened()).isTrue();
        dev.vigil.incident.JoinReason joined = placed.get(1).assignment().reason();
        assertThat(placed.get(1).assignment().incident()).isEqualTo(1);
        assertThat(joined.kind()).isEqualTo(dev.vigil.incident.JoinReason.Kind.SHARED_ENTITY);
        assertThat(joined.otherAlert()).isEqualTo(raised.get(0).id());
        assertThat(joined.gapMicros()).isEqualTo(java.time.Duration.ofMinutes(20).toNanos() / 1000);
        assertThat(joined.entity()).isNotNull();
        assertThat(joined.detail()).contains("needed to join");
    }

    @Test
    void placedAlertsArePrunedOnceTwiceTheProgressionWindowBehindTheLatest() throws IOException {
        config.pipeInput("acme", new TenantContent(Map.of("failed-logon.yml", FAILED_LOGON), Map.of()).encode());
        Path old = dir.resolve("old.json");
        Files.writeString(old, logon(4625, "alice", "2024-05-01T10:00:00Z") + "\n");
        Path recent = dir.resolve("recent.json");
        Files.writeString(recent, logon(4625, "bob", "2024-05-03T10:00:01Z") + "\n"); // 48 h and 1 s later
        send(ACME, old);
        send(ACME, recent);

        driver.advanceWallClockTime(CorrelateProcessor.PRUNE_EVERY);

        KeyValueStore<String, byte[]> store = driver.getKeyValueStore(PipelineTopology.CORRELATION_STORE);
        List<String> placed = new ArrayList<>();
        try (var rows = store.prefixScan("a\u0000acme\u0000", new StringSerializer())) {
            rows.forEachRemaining(row -> placed.add(row.key));
        }
        assertThat(placed).hasSize(1);
        assertThat(incidents.readValuesToList()).hasSize(2);
        send(ACME, recent);
        assertThat(incidents.isEmpty()).as("the recent alert is still known").isTrue();
    }

    private void send(TenantId tenant, Path file) throws IOException {
        Envelopes envelopes = new Envelopes(tenant, new SourceSplitter(Format.AUTO, IngestDefaults.DEFAULT_TABLE,
                IngestLimits.DEFAULTS, ZoneOffset.UTC), IngestLimits.DEFAULTS);
        try (var in = Files.newInputStream(file)) {
            envelopes.split(file.toString(), in, e -> raw.pipeInput(tenant.value(), e.encode(), NOW));
        }
    }

    /** The events that embedded ingest stores for the file, with its clock at the same instant. */
    static List<Event> ingest(TenantId tenant, Path file) {
        List<Event> stored = new ArrayList<>();
        EventSink sink = new EventSink() {
            @Override
            public Result append(Batch batch) {
                stored.addAll(batch.events());
                return new Result(batch.events().size(), 0, batch.quarantined().size(), 0);
            }

            @Override
            public void commit() {}
        };
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        new Ingestor(new Ingestor.Options(tenant, Format.AUTO, IngestDefaults.DEFAULT_TABLE, IngestLimits.DEFAULTS,
                ZoneOffset.UTC), Normalizer.standard(clock), sink, Ingestor.ProgressListener.NONE, clock,
                new ByteArrayInputStream(new byte[0])).ingest(List.of(file.toString()));
        return stored;
    }

    static String logon(int eventId, String user, String time) {
        return logon(eventId, user, time, "ws1.corp.example", "10.0.0.9");
    }

    static String logon(int eventId, String user, String time, String host, String address) {
        return "{\"EventTime\":\"" + time + "\",\"Hostname\":\"" + host + "\",\"EventID\":" + eventId
                + ",\"Channel\":\"Security\",\"SourceName\":\"Microsoft-Windows-Security-Auditing\","
                + "\"TargetUserName\":\"" + user + "\",\"IpAddress\":\"" + address + "\",\"LogonType\":\"3\"}";
    }
}
