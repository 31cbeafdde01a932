package dev.vigil.store;

import static dev.vigil.store.StoreTesting.ACME;
import static dev.vigil.store.StoreTesting.GLOBEX;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.vigil.incident.EntityKey;
import dev.vigil.incident.Incident;
import dev.vigil.incident.IncidentChange;
import dev.vigil.incident.IncidentMetrics;
import dev.vigil.incident.IncidentUpdate;
import dev.vigil.incident.JoinReason;
import dev.vigil.incident.Lifecycle;
import dev.vigil.incident.ResponseAction;
import dev.vigil.incident.ResponseCard;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.Principal;
import dev.vigil.model.Role;
import dev.vigil.model.TenantId;
import dev.vigil.model.VigilException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link IncidentRepository}, run against each store that keeps incidents (DuckDB, PostgreSQL):
 * correlation runs and their cursor, placements and merges, lifecycle with its history and the MTTA and MTTR it
 * yields, decisions on response actions, and tenant isolation.
 */
abstract class IncidentRepositoryContract {
    static final Principal ALICE = new Principal("alice", Role.ANALYST);
    static final Principal BOB = new Principal("bob", Role.ANALYST);
    static final Instant T0 = Instant.parse("2024-05-02T09:00:00Z");

    /** The incidents of the tenant in the store under test. */
    abstract IncidentRepository incidentsOf(TenantId tenant);

    IncidentRepository incidents() {
        return incidentsOf(ACME);
    }

    // --- building runs, as correlation would ---------------------------------------------------------------------

    static UUID alert(int n) {
        return UUID.fromString(String.format("%08x-0000-4000-8000-000000000000", 0xa1000000 + n));
    }

    static final JoinReason FIRST = new JoinReason(JoinReason.Kind.FIRST, null, null, 0, "");

    static JoinReason sharedHost(String host, int other, Duration gap) {
        return new JoinReason(JoinReason.Kind.SHARED_ENTITY, new EntityKey(EntityKey.Kind.HOST, host), alert(other),
                gap.toNanos() / 1000, "evidence 0.52, 0.25 needed to join: host " + host + " 0.52");
    }

    /** A run from the store's cursor: opens each incident of {@code alertsByIncident} (numbers from the cursor). */
    static IncidentRepository.Run opening(IncidentRepository incidents, long alertRowid, Instant at,
            List<List<Integer>> alertsByIncident, String severity) {
        IncidentRepository.Cursor from = incidents.cursor();
        List<IncidentRepository.Opened> opened = new ArrayList<>();
        List<IncidentRepository.Placement> placements = new ArrayList<>();
        List<IncidentRepository.Summary> summaries = new ArrayList<>();
        long number = from.nextNumber();
        for (List<Integer> alerts : alertsByIncident) {
            opened.add(new IncidentRepository.Opened(number, OptionalLong.empty()));
            for (int i = 0; i < alerts.size(); i++) {
                placements.add(new IncidentRepository.Placement(alert(alerts.get(i)), number, i == 0 ? FIRST
                        : sharedHost("ws1", alerts.get(0), Duration.ofMinutes(i))));
            }
            summaries.add(new IncidentRepository.Summary(number, "Detection " + alerts.get(0) + " on ws1", severity,
                    T0.plus(Duration.ofMinutes(alerts.get(0))), T0.plus(Duration.ofMinutes(alerts.getLast())),
                    alerts.size(), ""));
            number++;
        }
        return new IncidentRepository.Run(from, alertRowid, at, opened, placements, Map.of(), List.of(), summaries);
    }

    Incident update(IncidentRepository incidents, Principal actor, long number, IncidentUpdate update, Instant at) {
        return incidents.update(number, update.severity().isPresent(),
                current -> Lifecycle.apply(current, update, actor, at));
    }

    // --- correlation runs --------------------------------------------------------------------------------------------

    @Test
    void anEmptyStoreStartsCorrelationBeforeTheFirstAlertAndNumbersFromOne() {
        assertThat(incidents().cursor()).isEqualTo(new IncidentRepository.Cursor(-1, 1));
        assertThat(incidents().list(Optional.empty(), Optional.empty(), 50)).isEmpty();
        assertThat(incidents().find(1)).isEmpty();
        assertThat(incidents().mergedInto(1)).isEmpty();
    }

    @Test
    void aRunOpensItsIncidentsPlacesItsAlertsWithTheirReasonsAndMovesTheCursor() {
        incidents().apply(opening(incidents(), 2, T0, List.of(List.of(1, 2), List.of(3)), "high"));

        assertThat(incidents().cursor()).isEqualTo(new IncidentRepository.Cursor(2, 3));
        assertThat(incidents().list(Optional.empty(), Optional.empty(), 50))
                .extracting(Incident::number, Incident::title, Incident::status, Incident::severity,
                        Incident::alertCount, Incident::created)
                .containsExactly(tuple(2L, "Detection 3 on ws1", Incident.Status.NEW, "high", 1, T0),
                        tuple(1L, "Detection 1 on ws1", Incident.Status.NEW, "high", 2, T0));
        Incident first = incidents().find(1).orElseThrow();
        assertThat(first.firstSeen()).isEqualTo(T0.plus(Duration.ofMinutes(1)));
        assertThat(first.lastSeen()).isEqualTo(T0.plus(Duration.ofMinutes(2)));
        assertThat(first.acknowledged()).isNull();
        assertThat(first.classification()).isEqualTo(Incident.Classification.UNDETERMINED);
        assertThat(incidents().placements(1)).containsExactly(Map.entry(alert(1), FIRST),
                Map.entry(alert(2), sharedHost("ws1", 1, Duration.ofMinutes(1))));
        assertThat(incidents().incidentsOf(List.of(alert(1), alert(3), alert(9))))
                .containsExactlyInAnyOrderEntriesOf(Map.of(alert(1), 1L, alert(3), 2L));
    }

    @Test
    void aRunBegunFromACursorThatMovedSinceIsRefusedAndWritesNothing() {
        IncidentRepository.Run stale = opening(incidents(), 1, T0, List.of(List.of(1)), "low");
        incidents().apply(opening(incidents(), 1, T0, List.of(List.of(2)), "low"));

        assertThatThrownBy(() -> incidents().apply(stale)).isInstanceOfSatisfying(VigilException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.CORRELATION_CONFLICT))
                .hasMessageContaining("correlating tenant 'acme' conflicted");
        assertThat(incidents().incidentsOf(List.of(alert(1)))).isEmpty();
        assertThat(incidents().list(Optional.empty(), Optional.empty(), 50)).extracting(Incident::number)
                .containsExactly(1L);
    }

    @Test
    void theActivePlacementsRestoredForCorrelationAreThoseOfUnmergedIncidentsSeenSinceTheHorizon() {
        incidents().apply(opening(incidents(), 3, T0, List.of(List.of(1), List.of(30, 31)), "low"));
        update(incidents(), ALICE, 2, IncidentUpdate.none().withClassification(
                Incident.Classification.FALSE_POSITIVE, "").withStatus(Incident.Status.RESOLVED), T0);

        // alert 31 joined alert 30 through their shared host alone
        assertThat(incidents().activeSince(T0.plus(Duration.ofMinutes(10)))).containsExactlyInAnyOrderEntriesOf(
                Map.of(alert(30), new IncidentRepository.Active(2, true, false), alert(31),
                        new IncidentRepository.Active(2, true, true)));
        assertThat(incidents().activeSince(T0)).containsOnlyKeys(alert(1), alert(30), alert(31))
                .containsEntry(alert(1), new IncidentRepository.Active(1, false));
    }

    @Test
    void aMergeMovesTheMergedIncidentsAlertsAndItsNumberLeadsToWhereItWent() {
        incidents().apply(opening(incidents(), 2, T0, List.of(List.of(1), List.of(2)), "low"));
        // the next run's alert 3 bridges 1 and 2; 2 goes into 1, and so does the incident 3 the run opened for it
        IncidentRepository.Cursor from = incidents().cursor();
        IncidentRepository.Run bridging = new IncidentRepository.Run(from, 3, T0.plusSeconds(60),
                List.of(new IncidentRepository.Opened(3, OptionalLong.of(1))),
                List.of(new IncidentRepository.Placement(alert(3), 1, sharedHost("ws1", 1, Duration.ofMinutes(2)))),
                Map.of(2L, 1L), List.of(new IncidentChange(1, T0.plusSeconds(60), "vigil", "merged", "",
                        "incident 2 merged in: alert a1000003 belongs to both")),
                List.of(new IncidentRepository.Summary(1, "Detections on ws1", "medium", T0.plus(Duration.ofMinutes(1)),
                        T0.plus(Duration.ofMinutes(3)), 3, "")));
        incidents().apply(bridging);

        assertThat(incidents().list(Optional.empty(), Optional.empty(), 50)).extracting(Incident::number,
                Incident::alertCount, Incident::severity).containsExactly(tuple(1L, 3, "medium"));
        assertThat(incidents().placements(1)).containsOnlyKeys(alert(1), alert(2), alert(3));
        assertThat(incidents().placements(2)).isEmpty();
        assertThat(incidents().find(2)).isEmpty();
        assertThat(incidents().mergedInto(2)).hasValue(1);
        assertThat(incidents().mergedInto(3)).hasValue(1);
        assertThat(incidents().mergedInto(1)).isEmpty();
        assertThat(incidents().changes(1)).extracting(IncidentChange::actor, IncidentChange::field)
                .containsExactly(tuple("vigil", "merged"));
        assertThat(incidents().cursor()).isEqualTo(new IncidentRepository.Cursor(3, 4));
    }

    @Test
    void aMergedIncidentsNumberLeadsThroughLaterMergesToTheIncidentThatHoldsItsAlertsNow() {
        incidents().apply(opening(incidents(), 3, T0, List.of(List.of(1), List.of(2), List.of(3)), "low"));
        for (long[] merge : new long[][] {{3, 2}, {2, 1}}) {
            incidents().apply(new IncidentRepository.Run(incidents().cursor(), 3, T0, List.of(), List.of(),
                    Map.of(merge[0], merge[1]), List.of(), List.of()));
        }

        assertThat(incidents().mergedInto(3)).hasValue(1);
        assertThat(incidents().placements(1)).containsOnlyKeys(alert(1), alert(2), alert(3));
        assertThat(incidents().incidentsOf(List.of(alert(3)))).containsEntry(alert(3), 1L);
    }

    // --- lifecycle ------------------------------------------------------------------------------------------------

    @Test
    void anUpdateStoresTheLifecycleAndItsHistoryWithWhoAndWhenInOrder() {
        incidents().apply(opening(incidents(), 1, T0, List.of(List.of(1)), "medium"));
        Instant ack = T0.plus(Duration.ofMinutes(12));
        Instant resolve = T0.plus(Duration.ofHours(3));
        update(incidents(), ALICE, 1, IncidentUpdate.none().withOwner("alice").withTags(List.of("phishing", "vip"),
                List.of()), ack);
        update(incidents(), BOB, 1, IncidentUpdate.none().withComment("Mail gateway logs requested"), ack);
        update(incidents(), BOB, 1, IncidentUpdate.none().withClassification(Incident.Classification.TRUE_POSITIVE,
                "malware").withStatus(Incident.Status.RESOLVED).withSeverity("critical").withTags(List.of(),
                List.of("vip")), resolve);

        Incident stored = incidents().find(1).orElseThrow();
        assertThat(stored.status()).isEqualTo(Incident.Status.RESOLVED);
        assertThat(stored.severity()).isEqualTo("critical");
        assertThat(stored.classification()).isEqualTo(Incident.Classification.TRUE_POSITIVE);
        assertThat(stored.determination()).isEqualTo("malware");
        assertThat(stored.owner()).isEqualTo("alice");
        assertThat(stored.tags()).containsExactly("phishing");
        assertThat(stored.acknowledged()).isEqualTo(ack);
        assertThat(stored.resolved()).isEqualTo(resolve);
        assertThat(incidents().changes(1)).extracting(IncidentChange::at, IncidentChange::actor,
                IncidentChange::field).startsWith(tuple(ack, "alice", "owner")).contains(
                        tuple(ack, "bob", "comment"), tuple(resolve, "bob", "status"),
                        tuple(resolve, "bob", "classification"), tuple(resolve, "bob", "severity"));
        assertThat(incidents().changes(1)).extracting(IncidentChange::at).isSorted();
        assertThat(incidents().changes(1)).filteredOn(c -> c.field().equals("comment"))
                .extracting(IncidentChange::to).containsExactly("Mail gateway logs requested");
    }

    @Test
    void theStoredTimesGiveMeanTimesToAcknowledgeAndToResolve() {
        incidents().apply(opening(incidents(), 3, T0, List.of(List.of(1), List.of(2), List.of(3)), "high"));
        update(incidents(), ALICE, 1, IncidentUpdate.none().withStatus(Incident.Status.ACTIVE),
                T0.plus(Duration.ofMinutes(10)));
        update(incidents(), ALICE, 1, IncidentUpdate.none().withClassification(
                Incident.Classification.TRUE_POSITIVE, "").withStatus(Incident.Status.RESOLVED),
                T0.plus(Duration.ofHours(2)));
        update(incidents(), BOB, 2, IncidentUpdate.none().withOwner("bob"), T0.plus(Duration.ofMinutes(30)));

        IncidentMetrics metrics = IncidentMetrics.of(incidents().list(Optional.empty(), Optional.empty(), 50));

        assertThat(metrics.incidents()).isEqualTo(3);
        assertThat(metrics.open()).isEqualTo(2);
        assertThat(metrics.acknowledged()).isEqualTo(2);
        assertThat(metrics.resolved()).isEqualTo(1);
        assertThat(metrics.mtta()).hasValue(Duration.ofMinutes(20));
        assertThat(metrics.mttr()).hasValue(Duration.ofHours(2));
    }

    @Test
    void anAnalystsSeverityStandsWhenALaterRunRefreshesTheIncident() {
        incidents().apply(opening(incidents(), 1, T0, List.of(List.of(1)), "low"));
        update(incidents(), ALICE, 1, IncidentUpdate.none().withSeverity("critical"), T0);
        incidents().apply(new IncidentRepository.Run(incidents().cursor(), 2, T0, List.of(),
                List.of(new IncidentRepository.Placement(alert(2), 1, sharedHost("ws1", 1, Duration.ofMinutes(1)))),
                Map.of(), List.of(), List.of(new IncidentRepository.Summary(1, "Detections on ws1", "medium",
                        T0.plus(Duration.ofMinutes(1)), T0.plus(Duration.ofMinutes(2)), 2, ""))));

        assertThat(incidents().find(1).orElseThrow()).extracting(Incident::severity, Incident::title,
                Incident::alertCount).containsExactly("critical", "Detections on ws1", 2);
    }

    @Test
    void listingFiltersByStatusAndLeastSeverityMostRecentlyActiveFirstUpToTheLimit() {
        incidents().apply(opening(incidents(), 1, T0, List.of(List.of(1), List.of(5)), "low"));
        incidents().apply(opening(incidents(), 2, T0, List.of(List.of(9)), "high"));
        update(incidents(), ALICE, 2, IncidentUpdate.none().withStatus(Incident.Status.ACTIVE), T0);

        assertThat(incidents().list(Optional.empty(), Optional.empty(), 50)).extracting(Incident::number)
                .containsExactly(3L, 2L, 1L);
        assertThat(incidents().list(Optional.empty(), Optional.empty(), 2)).extracting(Incident::number)
                .containsExactly(3L, 2L);
        assertThat(incidents().list(Optional.of(Incident.Status.NEW), Optional.empty(), 50))
                .extracting(Incident::number).containsExactly(3L, 1L);
        assertThat(incidents().list(Optional.empty(), Optional.of("medium"), 50)).extracting(Incident::number)
                .containsExactly(3L);
    }

    @Test
    void aQueryKeepsStatusesSeverityActivityAndNumbersOrdersAsAskedAndCountsAllItMatches() {
        incidents().apply(opening(incidents(), 1, T0, List.of(List.of(1, 2), List.of(5)), "low"));
        incidents().apply(opening(incidents(), 2, T0, List.of(List.of(9)), "high"));
        update(incidents(), ALICE, 2, IncidentUpdate.none().withStatus(Incident.Status.ACTIVE), T0);
        update(incidents(), ALICE, 1, IncidentUpdate.none().withStatus(Incident.Status.RESOLVED)
                .withClassification(Incident.Classification.FALSE_POSITIVE, "a test"), T0);

        IncidentQuery.Matches all = incidents().query(IncidentQuery.all());
        assertThat(all.incidents()).extracting(Incident::number).containsExactly(3L, 2L, 1L);
        assertThat(all.total()).isEqualTo(3);
        assertThat(all.firstSeen()).contains(T0.plus(Duration.ofMinutes(1)));
        assertThat(all.lastSeen()).contains(T0.plus(Duration.ofMinutes(9)));

        IncidentQuery.Matches open = incidents().query(IncidentQuery.all().open().limit(1));
        assertThat(open.incidents()).extracting(Incident::number).containsExactly(3L);
        assertThat(open.total()).as("the total counts past the limit").isEqualTo(2);
        assertThat(open.firstSeen()).as("the span is that of every match").contains(T0.plus(Duration.ofMinutes(5)));

        assertThat(incidents().query(IncidentQuery.all().minimumSeverity("HIGH")).incidents())
                .extracting(Incident::number).containsExactly(3L);
        assertThat(incidents().query(IncidentQuery.all().activeIn(T0.plus(Duration.ofMinutes(2)),
                T0.plus(Duration.ofMinutes(6)))).incidents()).as("last seen at or after the start, first seen before"
                + " the end").extracting(Incident::number).containsExactly(2L, 1L);
        assertThat(incidents().query(IncidentQuery.all().numbers(Set.of(1L, 3L, 99L))).incidents())
                .extracting(Incident::number).containsExactly(3L, 1L);
        assertThat(incidents().query(IncidentQuery.all().numbers(Set.of()))).isEqualTo(IncidentQuery.Matches.none());
        assertThat(incidents().query(IncidentQuery.all().status(Incident.Status.RESOLVED).minimumSeverity("medium")))
                .isEqualTo(IncidentQuery.Matches.none());
    }

    @Test
    void aQueryOrderedBySeverityPutsTheMostSevereFirstThenTheMostRecentlyActive() {
        incidents().apply(opening(incidents(), 1, T0, List.of(List.of(1)), "critical"));
        incidents().apply(opening(incidents(), 2, T0, List.of(List.of(5), List.of(7)), "medium"));

        assertThat(incidents().query(IncidentQuery.all().orderBy(IncidentQuery.Order.MOST_SEVERE)).incidents())
                .extracting(Incident::number).containsExactly(1L, 3L, 2L);
    }

    @Test
    void aMergedIncidentIsNotQueriedButItsAlertsLeadToTheIncidentThatHoldsThemNow() {
        incidents().apply(opening(incidents(), 1, T0, List.of(List.of(1), List.of(5)), "low"));
        incidents().apply(new IncidentRepository.Run(incidents().cursor(), 1, T0, List.of(), List.of(),
                Map.of(1L, 2L), List.of(), List.of()));

        assertThat(incidents().query(IncidentQuery.all().numbers(Set.of(1L, 2L))).incidents())
                .extracting(Incident::number).containsExactly(2L);
        assertThat(incidents().incidentsOf(List.of(alert(1), alert(5)))).containsOnly(
                Map.entry(alert(1), 2L), Map.entry(alert(5), 2L));
    }

    @Test
    void updatingAnIncidentThereIsNotIsNotFound() {
        incidents().apply(opening(incidents(), 1, T0, List.of(List.of(1)), "low"));

        assertThatThrownBy(() -> incidents().update(7, false, current -> {
            throw new AssertionError("there is no incident 7 to change");
        })).isInstanceOfSatisfying(VigilException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.INCIDENT_NOT_FOUND))
                .hasMessage("tenant 'acme' has no incident 7");
    }

    @Test
    void anUpdateTheLifecycleRefusesStoresNothing() {
        incidents().apply(opening(incidents(), 1, T0, List.of(List.of(1)), "low"));

        assertThatThrownBy(() -> update(incidents(), ALICE, 1, IncidentUpdate.none().withStatus(
                Incident.Status.RESOLVED), T0)).isInstanceOf(VigilException.class)
                .hasMessageContaining("needs a classification");
        assertThat(incidents().find(1).orElseThrow().status()).isEqualTo(Incident.Status.NEW);
        assertThat(incidents().changes(1)).isEmpty();
    }

    // --- response actions -----------------------------------------------------------------------------------------

    @Test
    void theLatestDecisionOnEachActionStandsAndEachIsInTheHistory() {
        incidents().apply(opening(incidents(), 1, T0, List.of(List.of(1)), "high"));
        ResponseAction isolate = new ResponseAction(ResponseAction.idFor(ACME, 1, ResponseCard.Action.ISOLATE_HOST,
                "ws1"), 1, ResponseCard.Action.ISOLATE_HOST, "ws1", "ransomware on ws1", List.of("alert a1000001"),
                ResponseAction.Status.PROPOSED, "", null, "");
        ResponseAction block = new ResponseAction(ResponseAction.idFor(ACME, 1, ResponseCard.Action.BLOCK_IP,
                "203.0.113.7"), 1, ResponseCard.Action.BLOCK_IP, "203.0.113.7", "command and control", List.of(),
                ResponseAction.Status.PROPOSED, "", null, "");
        Instant approved = T0.plus(Duration.ofMinutes(5));
        Instant done = T0.plus(Duration.ofMinutes(6));
        record(isolate.decided(ResponseAction.Status.APPROVED, "alice", approved, ""), approved);
        record(block.decided(ResponseAction.Status.REJECTED, "bob", approved, "shared NAT address"), approved);
        record(isolate.decided(ResponseAction.Status.SUCCEEDED, "alice", approved, "isolated by EDR"), done);

        assertThat(incidents().decisions(1).values()).extracting(ResponseAction::action, ResponseAction::status,
                ResponseAction::decidedBy, ResponseAction::decidedAt, ResponseAction::outcome, ResponseAction::evidence)
                .containsExactly(
                        tuple(ResponseCard.Action.ISOLATE_HOST, ResponseAction.Status.SUCCEEDED, "alice", approved,
                                "isolated by EDR", List.of("alert a1000001")),
                        tuple(ResponseCard.Action.BLOCK_IP, ResponseAction.Status.REJECTED, "bob", approved,
                                "shared NAT address", List.of()));
        assertThat(incidents().changes(1)).extracting(IncidentChange::field, IncidentChange::to)
                .containsExactly(tuple("action", "approved"), tuple("action", "rejected: shared NAT address"),
                        tuple("action", "succeeded: isolated by EDR"));
        assertThat(incidents().decisions(2)).isEmpty();
    }

    void record(ResponseAction action, Instant now) {
        incidents().record(action, new IncidentChange(action.incident(), now, action.decidedBy(), "action",
                action.shortId() + " " + action.action() + " " + action.target(), action.status()
                        + (action.outcome().isEmpty() ? "" : ": " + action.outcome())), now);
    }

    // --- tenancy --------------------------------------------------------------------------------------------------

    @Test
    void aSecondTenantsRepositoryNeverSeesTheFirstsIncidentsAndNumbersItsOwnFromOne() {
        incidents().apply(opening(incidents(), 2, T0, List.of(List.of(1), List.of(2)), "high"));
        update(incidents(), ALICE, 1, IncidentUpdate.none().withComment("acme only"), T0);
        IncidentRepository globex = incidentsOf(GLOBEX);

        assertThat(globex.tenant()).isEqualTo(GLOBEX);
        assertThat(globex.list(Optional.empty(), Optional.empty(), 50)).isEmpty();
        assertThat(globex.find(1)).isEmpty();
        assertThat(globex.placements(1)).isEmpty();
        assertThat(globex.incidentsOf(List.of(alert(1), alert(2)))).isEmpty();
        assertThat(globex.changes(1)).isEmpty();
        assertThat(globex.activeSince(Instant.EPOCH)).isEmpty();
        assertThat(globex.cursor()).isEqualTo(new IncidentRepository.Cursor(-1, 1));

        globex.apply(opening(globex, 7, T0, List.of(List.of(100)), "low"));
        update(globex, BOB, 1, IncidentUpdate.none().withStatus(Incident.Status.ACTIVE), T0);

        assertThat(globex.list(Optional.empty(), Optional.empty(), 50)).extracting(Incident::number,
                Incident::severity, Incident::status).containsExactly(tuple(1L, "low", Incident.Status.ACTIVE));
        assertThat(incidents().find(1).orElseThrow()).extracting(Incident::severity, Incident::status)
                .containsExactly("high", Incident.Status.NEW);
        assertThat(incidents().changes(1)).extracting(IncidentChange::to).containsExactly("acme only");
        assertThat(incidents().placements(1)).containsOnlyKeys(alert(1));
        assertThat(incidents().cursor()).isEqualTo(new IncidentRepository.Cursor(2, 3));
    }
}
