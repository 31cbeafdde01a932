package dev.vigil.cli;

import static dev.vigil.cli.CliTesting.vigil;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.incident.Assignment;
import dev.vigil.incident.EntityKey;
import dev.vigil.incident.JoinReason;
import dev.vigil.model.Alert;
import dev.vigil.model.EventId;
import dev.vigil.model.TenantId;
import dev.vigil.store.PostgresState;
import dev.vigil.store.PostgresTesting;
import dev.vigil.stream.StreamJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code vigil stream incidents} against a one-node broker in this JVM, with the incidents in PostgreSQL: the
 * pipeline's placements become incidents that {@code vigil incidents} lists and shows, their alerts stored in
 * PostgreSQL beside them (nothing in the data directory), and reading the topic again, or after a crash between the
 * alerts and the placements, stores nothing twice.
 */
@DisplayName("vigil stream incidents")
class StreamIncidentsCliTest {
    static final TenantId ACME = TenantId.of("acme");
    static final long BASE_MICROS = Instant.parse("2024-05-06T10:00:00Z").toEpochMilli() * 1000;
    static KafkaClusterTestKit cluster;

    @TempDir
    Path data;

    String url;

    @BeforeAll
    static void startBroker() throws Exception {
        cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder().setCombined(true).setNumBrokerNodes(1)
                .setNumControllerNodes(1).build())
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .build();
        cluster.format();
        cluster.startup();
        cluster.waitForReadyBrokers();
    }

    @AfterAll
    static void stopBroker() throws Exception {
        cluster.close();
    }

    @BeforeEach
    void database() {
        url = PostgresTesting.freshDatabase();
    }

    @AfterEach
    void drop() {
        PostgresTesting.dropDatabase(url);
    }

    CliTesting.Run vigilOnPostgres(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--set", "store.state=postgresql", "--set", "store.postgresql.url=" + url));
        return vigil(data, all.toArray(String[]::new));
    }

    static Alert alert(int n, String level, int minute, String host) {
        return new Alert(UUID.nameUUIDFromBytes(("alert " + n).getBytes(StandardCharsets.UTF_8)), ACME, "sigma",
                "rule-" + n, "Failed logon burst " + n, level, "", BASE_MICROS + minute * 60_000_000L,
                List.of("T1110"), Map.of("EventID", "4625"), List.of(new Alert.Entity("host", host)),
                List.of(EventId.derive(ACME, BASE_MICROS / 1000 + n, ("event " + n).getBytes(StandardCharsets.UTF_8),
                        0)), "WindowsEvent", "");
    }

    @Test
    void thePipelinesPlacementsBecomeIncidentsThatTheCommandsListAndShowOnce() {
        thePipelinesPlacementsAreApplied(false);
    }

    @Test
    void aConsumerThatStoredABatchsAlertsButCrashedBeforeItsPlacementsStoresEachOnceOnItsRestart() {
        thePipelinesPlacementsAreApplied(true);
    }

    void thePipelinesPlacementsAreApplied(boolean crashedAfterTheAlerts) {
        Alert first = alert(1, "medium", 0, "ws-1");
        Alert second = alert(2, "high", 20, "ws-1");
        Alert other = alert(3, "low", 5, "ws-9");
        JoinReason opened = new JoinReason(JoinReason.Kind.FIRST, null, null, 0, "");
        JoinReason sharedHost = new JoinReason(JoinReason.Kind.SHARED_ENTITY, new EntityKey(EntityKey.Kind.HOST,
                "ws-1"), first.id(), 20 * 60_000_000L, "evidence 0.52, 0.25 needed to join: host ws-1 0.52");
        Properties properties = new Properties();
        properties.put("bootstrap.servers", cluster.bootstrapServers());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(properties, new StringSerializer(),
                new ByteArraySerializer())) {
            for (byte[] placement : List.of(
                    StreamJson.placement(first, new Assignment(first.id(), 1, true, opened, List.of())),
                    StreamJson.placement(second, new Assignment(second.id(), 1, false, sharedHost, List.of())),
                    StreamJson.placement(other, new Assignment(other.id(), 2, true, opened, List.of())))) {
                producer.send(new ProducerRecord<>("vigil.incidents", "acme", placement));
            }
            producer.flush();
        }
        if (crashedAfterTheAlerts) { // what the crashed consumer left: the alerts of its batch, none of its placements
            try (PostgresState database = PostgresState.open(url, "", Optional.empty(), 1)) {
                assertThat(database.alerts(ACME).append(List.of(first, second, other))).isEqualTo(3);
            }
        }

        CliTesting.Run applied = vigilOnPostgres("stream", "incidents", "--bootstrap", cluster.bootstrapServers(),
                "--until-idle", "8");

        assertThat(applied.exit()).as("%s", applied).isZero();
        assertThat(applied.out()).contains("incidents: 3 placement(s) applied, 2 opened, 0 merged");
        JsonNode listed = vigilOnPostgres("incidents", "list", "--tenant", "acme", "--json").json().get("incidents");
        assertThat(listed).extracting(i -> i.get("number").asLong(), i -> i.get("alerts").asInt(),
                i -> i.get("severity").asString()).containsExactly(
                        org.assertj.core.api.Assertions.tuple(1L, 2, "high"),
                        org.assertj.core.api.Assertions.tuple(2L, 1, "low"));
        CliTesting.Run shown = vigilOnPostgres("incidents", "show", "1", "--tenant", "acme", "--json");
        assertThat(shown.exit()).as("%s", shown).isZero();
        assertThat(shown.json().get("reasons")).extracting(r -> r.get("alert").asString())
                .containsExactly(first.id().toString(), second.id().toString());

        CliTesting.Run alerts = vigilOnPostgres("alerts", "--tenant", "acme", "--json");
        assertThat(alerts.exit()).as("%s", alerts).isZero();
        assertThat(alerts.json()).extracting(a -> a.get("id").asString())
                .containsExactly(second.id().toString(), other.id().toString(), first.id().toString());

        CliTesting.Run again = vigilOnPostgres("stream", "incidents", "--bootstrap", cluster.bootstrapServers(),
                "--set", "stream.application-id=another-reader", "--until-idle", "8");
        assertThat(again.out()).contains("incidents: 0 placement(s) applied, 0 opened, 0 merged; 3 already applied");
        try (PostgresState database = PostgresState.open(url, "", Optional.empty(), 1)) {
            assertThat(database.incidents(ACME).placements(1)).hasSize(2);
            assertThat(database.incidents(ACME).cursor().nextNumber()).isEqualTo(3);
            assertThat(database.alerts(ACME).count()).isEqualTo(3);
            assertThat(database.alerts(ACME).byIds(List.of(first.id(), second.id(), other.id())))
                    .containsExactly(first, other, second);
        }
        assertThat(dev.vigil.store.TenantStore.exists(data, ACME)).as("a tenant store in the data directory").isFalse();
    }
}
