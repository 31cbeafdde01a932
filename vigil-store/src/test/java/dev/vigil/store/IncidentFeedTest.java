package dev.vigil.store;

import static dev.vigil.store.StoreTesting.ACME;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.vigil.incident.Assignment;
import dev.vigil.incident.EntityKey;
import dev.vigil.incident.Incident;
import dev.vigil.incident.IncidentChange;
import dev.vigil.incident.JoinReason;
import dev.vigil.model.Alert;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.EventId;
import dev.vigil.model.VigilException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The Kafka pipeline's placements applied to a tenant's incidents, in the embedded store and in PostgreSQL: its
 * numbers and merges kept, summaries from every alert of an incident, and each alert placed once however often a
 * batch is delivered.
 */
@DisplayName("The pipeline's placements applied to the incidents")
class IncidentFeedTest {
    static final Instant NOW = Instant.parse("2024-05-02T09:00:00Z");
    static final long BASE_MICROS = Instant.parse("2024-05-02T08:00:00Z").toEpochMilli() * 1000;

    enum Store { EMBEDDED, POSTGRESQL }

    @TempDir
    Path data;

    final List<AutoCloseable> opened = new ArrayList<>();
    final Map<UUID, Alert> alerts = new HashMap<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable closeable : opened.reversed()) {
            closeable.close();
        }
    }

    IncidentRepository repository(Store kind) {
        return switch (kind) {
            case EMBEDDED -> {
                TenantStore store = TenantStore.open(data, ACME, TenantStore.Mode.READ_WRITE);
                opened.add(store);
                yield store.incidents().repository();
            }
            case POSTGRESQL -> {
                PostgresTesting.TestDatabase database = PostgresTesting.freshState();
                opened.add(database);
                yield database.state().incidents(ACME);
            }
        };
    }

    IncidentFeed feed(IncidentRepository repository) {
        return new IncidentFeed(repository, (Collection<UUID> ids) -> ids.stream().map(alerts::get)
                .filter(java.util.Objects::nonNull).toList());
    }

    /** Alert {@code n} on a host, at {@code minute} past the base time, as the pipeline's alerts topic carries it. */
    UUID alert(int n, String level, int minute, String host) {
        UUID id = UUID.nameUUIDFromBytes(("alert " + n).getBytes(StandardCharsets.UTF_8));
        alerts.put(id, new Alert(id, ACME, "sigma", "rule-" + n, "Detection " + n, level, "",
                BASE_MICROS + minute * 60_000_000L, List.of(), Map.of(), List.of(new Alert.Entity("host", host)),
                List.of(EventId.derive(ACME, BASE_MICROS / 1000 + n, ("event " + n).getBytes(StandardCharsets.UTF_8),
                        0)), "SysmonEvent", ""));
        return id;
    }

    static final JoinReason FIRST = new JoinReason(JoinReason.Kind.FIRST, null, null, 0, "");

    /** A join through a host shared with an earlier alert, a minute apart. */
    static JoinReason host(String host) {
        return new JoinReason(JoinReason.Kind.SHARED_ENTITY, new EntityKey(EntityKey.Kind.HOST, host),
                UUID.nameUUIDFromBytes(host.getBytes(StandardCharsets.UTF_8)), 60_000_000L,
                "evidence 0.52, 0.25 needed to join: host " + host + " 0.52");
    }

    static IncidentFeed.Placed opened(UUID alert, long incident, long position) {
        return new IncidentFeed.Placed(alert, incident, true, FIRST, List.of(), position);
    }

    static IncidentFeed.Placed joined(UUID alert, long incident, JoinReason reason, long position,
            Assignment.Merge... merged) {
        return new IncidentFeed.Placed(alert, incident, false, reason, List.of(merged), position);
    }

    @ParameterizedTest
    @EnumSource(Store.class)
    void aBatchOpensThePipelinesIncidentsUnderItsNumbersAndABatchDeliveredAgainChangesNothing(Store kind) {
        IncidentRepository incidents = repository(kind);
        UUID a1 = alert(1, "medium", 0, "ws-1");
        UUID a2 = alert(2, "high", 4, "ws-1");
        UUID a3 = alert(3, "low", 2, "ws-9");
        List<IncidentFeed.Placed> batch = List.of(opened(a1, 1, 40), joined(a2, 1, host("ws-1"), 41),
                opened(a3, 2, 42));

        IncidentFeed.Applied applied = feed(incidents).apply(batch, NOW);

        assertThat(applied).isEqualTo(new IncidentFeed.Applied(3, 0, 2, 0));
        assertThat(incidents.list(Optional.empty(), Optional.empty(), 10)).extracting(Incident::number,
                Incident::title, Incident::severity, Incident::alertCount).containsExactly(
                        tuple(1L, "Detection 2 on ws-1 (+1 more detection)", "high", 2),
                        tuple(2L, "Detection 3 on ws-9", "low", 1));
        assertThat(incidents.placements(1)).containsOnlyKeys(a1, a2).containsEntry(a2, host("ws-1"));
        assertThat(incidents.cursor()).isEqualTo(new IncidentRepository.Cursor(42, 3));

        assertThat(feed(incidents).apply(batch, NOW.plusSeconds(60))).isEqualTo(new IncidentFeed.Applied(0, 3, 0, 0));
        assertThat(incidents.find(1).orElseThrow().alertCount()).isEqualTo(2);
    }

    @ParameterizedTest
    @EnumSource(Store.class)
    void aMergeThePipelineMadeMovesTheMergedIncidentsAlertsAndIsInTheHistory(Store kind) {
        IncidentRepository incidents = repository(kind);
        UUID a1 = alert(1, "medium", 0, "ws-1");
        UUID a2 = alert(2, "medium", 5, "ws-2");
        feed(incidents).apply(List.of(opened(a1, 1, 0), opened(a2, 2, 1)), NOW);

        UUID a3 = alert(3, "critical", 10, "ws-1");
        IncidentFeed.Applied applied = feed(incidents).apply(List.of(joined(a3, 1, host("ws-1"), 2,
                new Assignment.Merge(2, host("ws-2")))), NOW.plusSeconds(600));

        assertThat(applied).isEqualTo(new IncidentFeed.Applied(1, 0, 0, 1));
        assertThat(incidents.list(Optional.empty(), Optional.empty(), 10)).extracting(Incident::number,
                Incident::severity, Incident::alertCount).containsExactly(tuple(1L, "critical", 3));
        assertThat(incidents.placements(1)).containsOnlyKeys(a1, a2, a3);
        assertThat(incidents.mergedInto(2)).hasValue(1);
        assertThat(incidents.changes(1)).extracting(IncidentChange::actor, IncidentChange::field)
                .containsExactly(tuple("vigil", "merged"));
        assertThat(incidents.changes(1).getFirst().to()).startsWith("incident 2 merged in: alert "
                + a3.toString().substring(0, 8));
    }

    @ParameterizedTest
    @EnumSource(Store.class)
    void anAlertThePipelinePlacesAgainLaterKeepsItsFirstPlacement(Store kind) {
        IncidentRepository incidents = repository(kind);
        UUID a1 = alert(1, "medium", 0, "ws-1");
        feed(incidents).apply(List.of(opened(a1, 1, 0)), NOW);
        UUID a2 = alert(2, "high", 3, "ws-2");

        // pruned from the pipeline's memory and delivered again, the alert opens another incident there
        IncidentFeed.Applied applied = feed(incidents).apply(List.of(opened(a2, 2, 1), joined(a1, 2, host("ws-1"),
                2)), NOW);

        assertThat(applied).isEqualTo(new IncidentFeed.Applied(1, 1, 1, 0));
        assertThat(incidents.incidentsOf(List.of(a1, a2))).containsExactlyInAnyOrderEntriesOf(Map.of(a1, 1L, a2, 2L));
        assertThat(incidents.find(2).orElseThrow().alertCount()).isEqualTo(1);
        assertThat(incidents.cursor().alertRowid()).isEqualTo(2);
    }

    @ParameterizedTest
    @EnumSource(Store.class)
    void thePipelineOpeningANumberTheTenantUsesAlreadyIsAConflictAndNothingIsApplied(Store kind) {
        IncidentRepository incidents = repository(kind);
        feed(incidents).apply(List.of(opened(alert(1, "low", 0, "ws-1"), 1, 0)), NOW);

        assertThatThrownBy(() -> feed(incidents).apply(List.of(opened(alert(2, "low", 1, "ws-2"), 1, 1)), NOW))
                .isInstanceOfSatisfying(VigilException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.CORRELATION_CONFLICT))
                .hasMessageContaining("the pipeline opened incident 1, a number the tenant's incidents use already");
        assertThat(incidents.cursor()).isEqualTo(new IncidentRepository.Cursor(0, 2));
    }
}
