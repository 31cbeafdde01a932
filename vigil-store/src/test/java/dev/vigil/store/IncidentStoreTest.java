package dev.vigil.store;

import static dev.vigil.store.StoreTesting.ACME;
import static dev.vigil.store.StoreTesting.BASE_MILLIS;
import static dev.vigil.store.StoreTesting.batch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.incident.CorrelationPolicy;
import dev.vigil.incident.CorrelationSummary;
import dev.vigil.incident.EntityKey;
import dev.vigil.incident.EventSummary;
import dev.vigil.incident.Incident;
import dev.vigil.incident.IncidentChange;
import dev.vigil.incident.IncidentUpdate;
import dev.vigil.incident.JoinReason;
import dev.vigil.incident.PlacedAlert;
import dev.vigil.incident.Prevalence;
import dev.vigil.incident.ResponseAction;
import dev.vigil.incident.ResponseCard;
import dev.vigil.incident.TacticStages;
import dev.vigil.model.Alert;
import dev.vigil.model.CommonColumn;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.Event;
import dev.vigil.model.EventId;
import dev.vigil.model.Principal;
import dev.vigil.model.Role;
import dev.vigil.model.SourcePosition;
import dev.vigil.model.VigilException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tenant's incidents in a real store: correlation of stored alerts across runs and restarts, merges, imported
 * groupings, updates with their history, decisions on actions, event summaries and the prevalence baseline.
 */
@DisplayName("A tenant store's incidents")
class IncidentStoreTest {
    static final Principal ANALYST = new Principal("alice", Role.ANALYST);
    static final Principal READER = new Principal("rita", Role.READER);
    static final Instant NOW = Instant.parse("2024-05-02T09:00:00Z");
    static final CorrelationPolicy POLICY = CorrelationPolicy.defaults();

    @TempDir
    Path data;

    TenantStore store;

    @BeforeEach
    void open() {
        store = opened();
    }

    /** The tenant's store, with its incidents where the configuration under test keeps them (here: in the store). */
    TenantStore opened() {
        return TenantStore.open(data, ACME, TenantStore.Mode.READ_WRITE);
    }

    /** How many placements the incidents' store holds. */
    long placementsStored() {
        return ((Number) StoreTesting.single(store, "SELECT count(*) FROM vigil_incident_alerts")).longValue();
    }

    @AfterEach
    void close() {
        store.close();
    }

    IncidentStore incidents() {
        return store.incidents();
    }

    void reopen() {
        store.close();
        store = opened();
    }

    // --- building ---------------------------------------------------------------------------------------------

    static EventId eventId(int n) {
        return EventId.derive(ACME, BASE_MILLIS + n, ("event " + n).getBytes(StandardCharsets.UTF_8), 0);
    }

    /** An event on a host, by a user, to an address (any may be null), at {@code minute} after the base time. */
    static Event event(int n, int minute, String host, String user, String dstIp) {
        String[] common = new String[CommonColumn.count()];
        common[CommonColumn.HOST.ordinal()] = host;
        common[CommonColumn.USER.ordinal()] = user;
        common[CommonColumn.DST_IP.ordinal()] = dstIp;
        common[CommonColumn.EVENT_CODE.ordinal()] = "3";
        long millis = BASE_MILLIS + minute * 60_000L;
        String raw = "event " + n;
        return new Event(eventId(n), ACME, "SysmonEvent", millis * 1000, common, new LinkedHashMap<>(), raw,
                new SourcePosition("test.json", n, 0));
    }

    static UUID alertId(int n) {
        return UUID.fromString(String.format("%08x-0000-4000-8000-000000000000", 0xa1000000 + n));
    }

    /** Alert {@code n} at {@code minute} after the base time, on these entities (kind, value, kind, value ...). */
    static Alert alert(int n, String level, int minute, String... kindsAndValues) {
        return imported(n, level, minute, "", kindsAndValues);
    }

    static Alert imported(int n, String level, int minute, String reference, String... kindsAndValues) {
        List<Alert.Entity> entities = new ArrayList<>();
        for (int i = 0; i < kindsAndValues.length; i += 2) {
            entities.add(new Alert.Entity(kindsAndValues[i], kindsAndValues[i + 1]));
        }
        return new Alert(alertId(n), ACME, "sigma", "rule-" + n, "Detection " + n, level, "",
                (BASE_MILLIS + minute * 60_000L) * 1000, List.of(), Map.of(), entities, List.of(eventId(n)),
                "SysmonEvent", reference);
    }

    void store(Alert... alerts) {
        store.appendAlerts(List.of(alerts));
        store.commit();
    }

    CorrelationSummary correlate() {
        return correlate(POLICY);
    }

    CorrelationSummary correlate(CorrelationPolicy policy) {
        CorrelationSummary summary = incidents().correlate(policy, TacticStages.unknown(), NOW, step -> { });
        store.commit();
        return summary;
    }

    List<UUID> alertIds(long incident) {
        return incidents().alertsOf(READER, incident).stream().map(p -> p.alert().id()).toList();
    }

    /** A join through one shared entity, as stored: with the evidence the correlator weighed for it. */
    static JoinReason shared(EntityKey.Kind kind, String value, int other, Duration gap, String weight) {
        return new JoinReason(JoinReason.Kind.SHARED_ENTITY, new EntityKey(kind, value), alertId(other),
                gap.toNanos() / 1000, "evidence " + weight + ", 0.25 needed to join: " + kind.label() + " " + value
                        + " " + weight);
    }

    // --- correlation ------------------------------------------------------------------------------------------

    @Test
    void correlationOpensIncidentsNumberedFromOneAndRecordsWhyEachAlertIsThere() {
        store(alert(1, "medium", 0, "host", "WS-1.corp.local", "user", "CORP\\alice"),
                alert(2, "high", 10, "host", "ws-1", "process", "cmd.exe"),
                alert(3, "low", 5, "host", "ws-9"));

        CorrelationSummary summary = correlate();

        assertThat(summary.alerts()).isEqualTo(3);
        assertThat(summary.opened()).isEqualTo(2);
        assertThat(summary.joined()).isEqualTo(1);
        assertThat(summary.merged()).isZero();
        assertThat(incidents().list(READER, Optional.empty(), Optional.empty(), 10)).extracting(Incident::number)
                .containsExactly(1L, 2L); // most recently active first: incident 1's last alert is at minute 10
        List<PlacedAlert> first = incidents().alertsOf(READER, 1);
        assertThat(first).extracting(p -> p.alert().id()).containsExactly(alertId(1), alertId(2));
        assertThat(first).extracting(PlacedAlert::reason).containsExactly(new JoinReason(JoinReason.Kind.FIRST, null,
                null, 0, ""), shared(EntityKey.Kind.HOST, "ws-1", 1, Duration.ofMinutes(10),
                        "0.79"));
        assertThat(alertIds(2)).containsExactly(alertId(3));

        Incident one = incidents().get(READER, 1);
        assertThat(one.status()).isEqualTo(Incident.Status.NEW);
        assertThat(one.severity()).isEqualTo("high");
        assertThat(one.title()).isEqualTo("Detection 2 on ws-1 (+1 more detection)");
        assertThat(one.alertCount()).isEqualTo(2);
        assertThat(one.firstSeen()).isEqualTo(Instant.ofEpochMilli(BASE_MILLIS));
        assertThat(one.lastSeen()).isEqualTo(Instant.ofEpochMilli(BASE_MILLIS + 600_000));
        assertThat(one.created()).isEqualTo(NOW);
    }

    @Test
    void aLaterRunJoinsTheIncidentsItRestoresFromTheStoreAndPlacesEachAlertOnce() {
        store(alert(1, "medium", 0, "host", "ws-1"), alert(2, "medium", 1, "host", "ws-2"));
        correlate();
        reopen();

        store(alert(3, "high", 30, "host", "ws-2", "user", "bob"));
        CorrelationSummary second = correlate();

        assertThat(second.alerts()).isEqualTo(1);
        assertThat(second.opened()).isZero();
        assertThat(alertIds(2)).containsExactly(alertId(2), alertId(3));
        assertThat(incidents().alertsOf(READER, 2).get(1).reason())
                .isEqualTo(shared(EntityKey.Kind.HOST, "ws-2", 2, Duration.ofMinutes(29), "0.51"));
        assertThat(incidents().get(READER, 2).alertCount()).isEqualTo(2);
        assertThat(incidents().get(READER, 2).severity()).isEqualTo("high");

        CorrelationSummary third = correlate();
        assertThat(third.alerts()).isZero();
        assertThat(incidents().list(READER, Optional.empty(), Optional.empty(), 10)).hasSize(2);
        assertThat(placementsStored()).isEqualTo(3L);
    }

    /** Sixty alerts over six hosts, four users and three addresses, minutes apart, drawn from the seed. */
    static List<Alert> randomAlerts(long seed) {
        List<Alert> alerts = new ArrayList<>();
        java.util.Random random = new java.util.Random(seed);
        int minute = 0;
        for (int n = 1; n <= 60; n++) {
            minute += random.nextInt(25);
            List<String> entities = new ArrayList<>(List.of("host", "ws-" + random.nextInt(6)));
            if (random.nextBoolean()) {
                entities.addAll(List.of("user", "user" + random.nextInt(4)));
            }
            if (random.nextInt(3) == 0) {
                entities.addAll(List.of("dst_ip", "203.0.113." + random.nextInt(3)));
            }
            alerts.add(alert(n, List.of("low", "medium", "high").get(random.nextInt(3)), minute,
                    entities.toArray(String[]::new)));
        }
        return alerts;
    }

    @Test
    void runsThatEachRestoreTheCorrelatorFromTheStoredIncidentsPlaceAlertsAsOneRunOverAllOfThemDoes() {
        for (long seed : new long[] {7, 11, 19}) {
            List<Alert> alerts = randomAlerts(seed);
            Path each = data.resolve("each-" + seed);
            Path once = data.resolve("once-" + seed);
            try (TenantStore restoring = TenantStore.open(each, ACME, TenantStore.Mode.READ_WRITE);
                    TenantStore allAtOnce = TenantStore.open(once, ACME, TenantStore.Mode.READ_WRITE)) {
                for (Alert alert : alerts) {
                    restoring.appendAlerts(List.of(alert));
                    restoring.commit();
                    restoring.incidents().forgetCorrelator();
                    restoring.incidents().correlate(POLICY, TacticStages.unknown(), NOW, step -> { });
                    restoring.commit();
                }
                allAtOnce.appendAlerts(alerts);
                allAtOnce.commit();
                allAtOnce.incidents().correlate(POLICY, TacticStages.unknown(), NOW, step -> { });
                allAtOnce.commit();

                List<Incident> restored = restoring.incidents().list(READER, Optional.empty(), Optional.empty(), 100);
                assertThat(restored).as("seed %d", seed).isEqualTo(allAtOnce.incidents().list(READER,
                        Optional.empty(), Optional.empty(), 100));
                // the same alerts in each incident, each joined through the same entity; the evidence's weights may
                // differ in the second decimal (what a restored correlator learned of an entity's partners)
                for (Incident incident : restored) {
                    assertThat(grouping(restoring, incident.number())).as("seed %d, incident %d", seed,
                            incident.number()).isEqualTo(grouping(allAtOnce, incident.number()));
                }
            }
        }
    }

    /** Each alert of the incident with the kind of its reason and the entity it joined through. */
    static List<String> grouping(TenantStore store, long incident) {
        return store.incidents().alertsOf(READER, incident).stream().map(p -> p.alert().id() + " "
                + p.reason().kind() + " " + p.reason().entity()).toList();
    }

    @Test
    void runsOfOneAlertEachPlaceAlertsAsOneRunOverAllOfThemDoesForTheCorrelatorIsKeptBetweenRuns() {
        List<Alert> alerts = randomAlerts(7);
        List<String> steps = new ArrayList<>();
        for (Alert alert : alerts) {
            store(alert);
            incidents().correlate(POLICY, TacticStages.unknown(), NOW, steps::add);
            store.commit();
        }
        try (TenantStore allAtOnce = TenantStore.open(data.resolve("all-at-once"), ACME,
                TenantStore.Mode.READ_WRITE)) {
            allAtOnce.appendAlerts(alerts);
            allAtOnce.commit();
            allAtOnce.incidents().correlate(POLICY, TacticStages.unknown(), NOW, step -> { });
            allAtOnce.commit();

            assertThat(placementsStored()).isEqualTo(60L);
            // Incidents kept elsewhere (PostgreSQL) may be changed by another node: each run restores from them (see
            // the next case for what restoring keeps).
            if (store.sharedIncidents().isEmpty()) {
                assertThat(steps).filteredOn(step -> step.startsWith("restoring")).as("only the first run restores")
                        .hasSize(1);
                List<Incident> kept = incidents().list(READER, Optional.empty(), Optional.empty(), 100);
                assertThat(kept).hasSizeBetween(5, 40).isEqualTo(allAtOnce.incidents().list(READER, Optional.empty(),
                        Optional.empty(), 100));
                for (Incident incident : kept) {
                    assertThat(incidents().alertsOf(READER, incident.number())).as("incident %d", incident.number())
                            .isEqualTo(allAtOnce.incidents().alertsOf(READER, incident.number()));
                }
            }
        }
    }

    @Test
    void anAnalystsUpdateDropsTheKeptCorrelatorAndTheNextRunRestoresIt() {
        store(alert(1, "high", 0, "host", "ws-1"));
        correlate();
        incidents().update(ANALYST, 1, IncidentUpdate.none().withOwner("alice"), NOW);
        store(alert(2, "high", 5, "host", "ws-1"));
        List<String> steps = new ArrayList<>();

        incidents().correlate(POLICY, TacticStages.unknown(), NOW, steps::add);

        assertThat(steps).anyMatch(step -> step.startsWith("restoring incidents active since"));
        assertThat(alertIds(1)).containsExactly(alertId(1), alertId(2));
    }

    @Test
    void aResolvedIncidentTakesNoNewAlertASharedHostOpensANewOne() {
        store(alert(1, "high", 0, "host", "ws-1"));
        correlate();
        incidents().update(ANALYST, 1, IncidentUpdate.none().withStatus(Incident.Status.RESOLVED)
                .withClassification(Incident.Classification.FALSE_POSITIVE, "admin script"), NOW);

        store(alert(2, "high", 20, "host", "ws-1"));
        CorrelationSummary summary = correlate();

        assertThat(summary.opened()).isEqualTo(1);
        assertThat(alertIds(1)).containsExactly(alertId(1));
        assertThat(alertIds(2)).containsExactly(alertId(2));
        assertThat(incidents().alertsOf(READER, 2).getFirst().reason().kind()).isEqualTo(JoinReason.Kind.FIRST);
    }

    @Test
    void anAlertBridgingTwoOpenIncidentsMergesThemIntoTheOldest() {
        // the bridge is three minutes from ws-1's alert: a machine alone merges two incidents only that close
        store(alert(1, "medium", 7, "host", "ws-1"), alert(2, "medium", 8, "user", "bob"));
        correlate();
        reopen();

        store(alert(3, "high", 10, "host", "ws-1", "user", "CORP\\bob"));
        CorrelationSummary summary = correlate();

        assertThat(summary.merged()).isEqualTo(1);
        assertThat(alertIds(1)).containsExactly(alertId(1), alertId(2), alertId(3));
        assertThat(incidents().get(READER, 1).alertCount()).isEqualTo(3);
        assertThat(incidents().list(READER, Optional.empty(), Optional.empty(), 10)).extracting(Incident::number)
                .containsExactly(1L);
        assertThatThrownBy(() -> incidents().get(READER, 2)).isInstanceOfSatisfying(VigilException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.INCIDENT_NOT_FOUND);
            assertThat(e.getMessage()).isEqualTo("incident 2 was merged into incident 1");
            assertThat(e.fix()).contains("vigil incidents show 1");
        });
        assertThat(incidents().changesOf(READER, 1)).singleElement().satisfies(change -> {
            assertThat(change.actor()).isEqualTo("vigil");
            assertThat(change.field()).isEqualTo("merged");
            assertThat(change.to()).startsWith("incident 2 merged in: alert a1000003 belongs to both");
        });
    }

    @Test
    void alertsAProductGroupedStayTogetherAndTwoProductsIncidentsAreNeverMerged() {
        store(imported(1, "high", 0, "defender:42", "host", "ws-1"),
                imported(2, "high", 1, "defender:42", "host", "ws-7"),
                imported(3, "medium", 2, "defender:43", "host", "ws-1"));

        correlate();

        assertThat(alertIds(1)).containsExactly(alertId(1), alertId(2));
        assertThat(incidents().get(READER, 1).reference()).isEqualTo("defender:42");
        assertThat(incidents().alertsOf(READER, 1)).extracting(p -> p.reason().kind())
                .containsOnly(JoinReason.Kind.IMPORTED);
        assertThat(alertIds(2)).containsExactly(alertId(3));
        assertThat(incidents().get(READER, 2).reference()).isEqualTo("defender:43");

        reopen();
        store(imported(4, "low", 30, "defender:42", "host", "ws-99"));
        correlate();
        assertThat(alertIds(1)).as("the reference is restored too").contains(alertId(4));
    }

    @Test
    void anUnknownIncidentIsNotFoundNamingTheTenant() {
        assertThatThrownBy(() -> incidents().get(READER, 5)).isInstanceOfSatisfying(VigilException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.INCIDENT_NOT_FOUND);
            assertThat(e.getMessage()).isEqualTo("tenant 'acme' has no incident 5");
        });
    }

    // --- lifecycle --------------------------------------------------------------------------------------------

    @Test
    void anUpdateIsStoredWithItsChangesAndSurvivesAReopen() {
        store(alert(1, "medium", 0, "host", "ws-1"));
        correlate();

        Incident updated = incidents().update(ANALYST, 1, IncidentUpdate.none().withStatus(Incident.Status.ACTIVE)
                .withOwner("alice").withSeverity("critical").withTags(List.of("phishing"), List.of())
                .withComment("user clicked"), NOW);
        reopen();

        Incident stored = incidents().get(READER, 1);
        assertThat(stored).isEqualTo(updated);
        assertThat(stored.acknowledged()).isEqualTo(NOW);
        assertThat(stored.tags()).containsExactly("phishing");
        assertThat(incidents().changesOf(READER, 1)).extracting(IncidentChange::actor, IncidentChange::field,
                IncidentChange::from, IncidentChange::to).containsExactly(
                        org.assertj.core.groups.Tuple.tuple("alice", "status", "new", "active"),
                        org.assertj.core.groups.Tuple.tuple("alice", "severity", "medium", "critical"),
                        org.assertj.core.groups.Tuple.tuple("alice", "owner", "", "alice"),
                        org.assertj.core.groups.Tuple.tuple("alice", "tag", "", "phishing"),
                        org.assertj.core.groups.Tuple.tuple("alice", "comment", "", "user clicked"));

        store(alert(2, "low", 10, "host", "ws-1"));
        correlate();
        assertThat(incidents().get(READER, 1).severity()).as("an analyst's severity outlives new alerts")
                .isEqualTo("critical");
    }

    @Test
    void aReaderCannotUpdateAndNothingIsRecorded() {
        store(alert(1, "medium", 0, "host", "ws-1"));
        correlate();

        assertThatThrownBy(() -> incidents().update(READER, 1, IncidentUpdate.none().withComment("hi"), NOW))
                .isInstanceOfSatisfying(VigilException.class, e -> assertThat(e.code())
                        .isEqualTo(ErrorCode.PERMISSION_DENIED));
        assertThat(incidents().changesOf(READER, 1)).isEmpty();
    }

    @Test
    void decisionsOnActionsRoundTripAndTheLatestStands() {
        store(alert(1, "high", 0, "host", "ws-1"));
        correlate();
        Instant approvedAt = Instant.parse("2024-05-02T09:01:02.123456Z");
        ResponseAction proposed = new ResponseAction(ResponseAction.idFor(ACME, 1, ResponseCard.Action.ISOLATE_HOST,
                "ws-1"), 1, ResponseCard.Action.ISOLATE_HOST, "ws-1", "1 high-severity alert on it",
                List.of("alert:" + alertId(1)), ResponseAction.Status.PROPOSED, "", null, "");
        ResponseAction approved = proposed.decided(ResponseAction.Status.APPROVED, "alice", approvedAt, "");
        ResponseAction succeeded = approved.decided(ResponseAction.Status.SUCCEEDED, "alice", approvedAt.plusSeconds(1),
                "webhook http://soar/hook: HTTP 200");

        incidents().record(approved, approvedAt);
        assertThat(incidents().decisions(READER, 1)).containsExactly(Map.entry(approved.id(), approved));
        incidents().record(succeeded, approvedAt.plusSeconds(1));
        reopen();

        assertThat(incidents().decisions(READER, 1)).containsExactly(Map.entry(succeeded.id(), succeeded));
        assertThat(incidents().decisions(READER, 2)).isEmpty();
        assertThat(incidents().changesOf(READER, 1)).extracting(IncidentChange::field, IncidentChange::to)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("action", "approved"),
                        org.assertj.core.groups.Tuple.tuple("action", "succeeded: webhook http://soar/hook: HTTP 200"));
        assertThat(incidents().changesOf(READER, 1).getFirst().from()).isEqualTo(proposed.shortId()
                + " isolate-host ws-1");
    }

    // --- what the analysis reads ------------------------------------------------------------------------------

    @Test
    void eventsAreSummarizedByTheirCommonColumnsInTimeOrderAndUnknownIdsAreSkipped() {
        store.append(batch(event(2, 5, "ws-1", "CORP\\alice", "10.0.0.53"), event(1, 1, "ws-2", null, null)));
        store.commit();

        List<EventSummary> events = incidents().events(READER, List.of(eventId(2), eventId(1), eventId(99)));

        assertThat(events).extracting(EventSummary::id).containsExactly(eventId(1), eventId(2));
        EventSummary second = events.get(1);
        assertThat(second.table()).isEqualTo("SysmonEvent");
        assertThat(second.timeMicros()).isEqualTo((BASE_MILLIS + 5 * 60_000L) * 1000);
        assertThat(second.common()).containsEntry("host", "ws-1").containsEntry("user", "CORP\\alice")
                .containsEntry("dst_ip", "10.0.0.53").containsEntry("event_code", "3");
        assertThat(events.get(0).common()).doesNotContainKeys("user", "dst_ip");
    }

    @Test
    void anAddressThatManyHostsTalkToIsCommonAndTiesNoAlertsTogether() {
        CorrelationPolicy policy = new CorrelationPolicy(Duration.ofHours(3), Duration.ofHours(24), 3, 0.05, 4);
        store.append(batch(event(1, 0, "ws-1", null, "10.0.0.53"), event(2, 0, "ws-2", null, "10.0.0.53"),
                event(3, 0, "ws-3", null, "10.0.0.53"), event(4, 0, "ws-1", null, "10.9.9.9"),
                event(5, 0, "ws-2", null, "10.9.9.9")));
        store.commit();

        Prevalence baseline = incidents().prevalence();

        EntityKey dns = new EntityKey(EntityKey.Kind.IP, "10.0.0.53");
        EntityKey rare = new EntityKey(EntityKey.Kind.IP, "10.9.9.9");
        assertThat(baseline.hosts()).isEqualTo(3);
        assertThat(baseline.partners(dns)).isEqualTo(3);
        assertThat(baseline.isCommon(dns, policy)).isTrue();
        assertThat(baseline.isCommon(rare, policy)).isFalse();

        store(alert(1, "high", 0, "host", "ws-1", "dst_ip", "10.0.0.53"),
                alert(2, "high", 1, "host", "ws-2", "dst_ip", "10.0.0.53"),
                alert(3, "high", 2, "host", "ws-4", "dst_ip", "10.9.9.9"),
                alert(4, "high", 3, "host", "ws-5", "dst_ip", "10.9.9.9"));
        CorrelationSummary summary = correlate(policy);

        assertThat(summary.opened()).as("1 and 2 apart; 3 and 4 together").isEqualTo(3);
        assertThat(alertIds(3)).containsExactly(alertId(3), alertId(4));
    }

    /** An event of a table and code at {@code second} after the base time, with its common columns and fields. */
    static Event telemetry(int n, String table, String code, int second, Map<CommonColumn, String> columns,
            Map<String, Object> fields) {
        String[] common = new String[CommonColumn.count()];
        columns.forEach((column, value) -> common[column.ordinal()] = value);
        common[CommonColumn.EVENT_CODE.ordinal()] = code;
        long millis = BASE_MILLIS + second * 1000L;
        return new Event(eventId(n), ACME, table, millis * 1000, common, new LinkedHashMap<>(fields), "event " + n,
                new SourcePosition("test.json", n, 0));
    }

    static Alert lateral(int n, int minute, String technique, String... kindsAndValues) {
        Alert plain = alert(n, "high", minute, kindsAndValues);
        return new Alert(plain.id(), ACME, plain.source(), plain.ruleId(), plain.title(), plain.level(), "",
                plain.timeMicros(), List.of(technique), Map.of(), plain.entities(), plain.eventIds(), "SecurityEvent",
                "");
    }

    @Test
    void aLateralAlertNamingNoSourceJoinsTheIncidentOfTheMachineItsStoredLogonCameFrom() {
        // ws-7 owns 10.0.0.7 (its own connection to srv-50's SMB port); srv-50 logs the network logon from it
        store.append(batch(
                telemetry(1, "SysmonEvent", "3", 29 * 60, Map.of(CommonColumn.HOST, "WS-7.corp.local",
                        CommonColumn.SRC_IP, "10.0.0.7", CommonColumn.DST_IP, "10.0.0.50"),
                        Map.of("Initiated", "true", "DestinationPort", 445)),
                telemetry(2, "SecurityEvent", "4624", 29 * 60 + 1, Map.of(CommonColumn.HOST, "SRV-50.corp.local",
                        CommonColumn.USER, "adm-x", CommonColumn.SRC_IP, "10.0.0.7"),
                        Map.of("LogonType", 3, "WorkstationName", "WS-7")),
                telemetry(3, "SecurityEvent", "4624", 0, Map.of(CommonColumn.HOST, "srv-50", CommonColumn.USER,
                        "bob", CommonColumn.SRC_IP, "10.0.0.9"), Map.of("LogonType", 3)),
                telemetry(4, "SecurityEvent", "4624", 29 * 60, Map.of(CommonColumn.HOST, "srv-60", CommonColumn.USER,
                        "adm-y", CommonColumn.SRC_IP, "10.0.0.7"), Map.of("LogonType", 2))));
        store.commit();
        store(alert(1, "medium", 0, "host", "ws-7", "user", "CORP\\alice"),
                lateral(2, 30, "T1569.002", "host", "srv-50", "user", "CORP\\adm-x"),
                lateral(3, 30, "T1021.002", "host", "srv-60", "user", "CORP\\adm-y"));

        CorrelationSummary summary = correlate();

        assertThat(summary.opened()).as("srv-60's logon is at its console: no entry, no source").isEqualTo(2);
        assertThat(alertIds(1)).containsExactly(alertId(1), alertId(2));
        JoinReason reason = incidents().alertsOf(READER, 1).get(1).reason();
        assertThat(reason.entity()).isEqualTo(new EntityKey(EntityKey.Kind.HOST, "ws-7"));
        assertThat(reason.qualifier()).isEqualTo("the source of the remote entry on srv-50 at 12:29:01 was ws-7"
                + " (network logon (4624 type 3) from 10.0.0.7, event " + eventId(2) + ")");
        assertThat(alertIds(2)).containsExactly(alertId(3));
    }

    @Test
    void aStoreWithoutLogonsOrConnectionsLooksUpNothingAndPlacesTheAlertOnWhatItNames() {
        store(alert(1, "medium", 0, "host", "ws-7"), lateral(2, 30, "T1047", "host", "srv-50"));

        assertThat(correlate().opened()).isEqualTo(2);
    }

    @Test
    void theBaselineIsKeptAndComputedAgainOnlyWhenTheEventsHaveGrownByATenth() {
        store.append(batch(event(1, 0, "ws-1", null, "10.0.0.53"), event(2, 0, "ws-2", null, "10.0.0.53")));
        store.commit();
        EntityKey dns = new EntityKey(EntityKey.Kind.IP, "10.0.0.53");
        assertThat(incidents().prevalence().partners(dns)).isEqualTo(2);
        store.commit(); // the computed baseline is kept with the unit of work

        store.append(batch(event(3, 0, "ws-3", null, "10.0.0.53")));
        store.commit();
        assertThat(incidents().prevalence().partners(dns)).as("3 events against 2: grown by half, computed again")
                .isEqualTo(3);
        store.commit();

        for (int n = 4; n <= 33; n++) {
            store.append(batch(event(n, n, "ws-1", null, "10.7.7." + n)));
        }
        store.commit();
        Prevalence kept = incidents().prevalence();
        for (int n = 34; n <= 35; n++) {
            store.append(batch(event(n, n, "ws-" + n, null, "10.0.0.53")));
        }
        store.commit();
        assertThat(incidents().prevalence().partners(dns)).as("35 events against 33: the kept baseline")
                .isEqualTo(kept.partners(dns)).isEqualTo(3);
    }

    @Test
    void theFactsOfAnIncidentNameItsEventsAndTheIncidentsThatShareItsEntities() {
        store.append(batch(event(1, 0, "ws-1", "CORP\\alice", null), event(2, 300, "ws-1", "CORP\\alice", null)));
        store.commit();
        store(alert(1, "high", 0, "host", "ws-1", "user", "CORP\\alice"),
                alert(2, "high", 300, "host", "ws-1")); // five hours later: a new incident, related by the host
        correlate();

        var facts = incidents().facts(READER, 1, Optional.empty(), POLICY, 200);

        assertThat(facts.incident().number()).isEqualTo(1);
        assertThat(facts.alerts()).extracting(p -> p.alert().id()).containsExactly(alertId(1));
        assertThat(facts.events()).extracting(EventSummary::id).containsExactly(eventId(1));
        assertThat(facts.related()).containsExactly(Map.entry(2L, 1));
        assertThat(facts.attack()).isEmpty();
        assertThat(facts.criticality()).as("no inventory imported").isEmpty();
    }

    @Test
    void theInventorysCriticalityOfAnIncidentsHostsCountsInItsImpact() {
        store.posture().replace("assets.csv", new dev.vigil.posture.inventory.Inventory(List.of(
                new dev.vigil.posture.inventory.Asset("ws-1", "WS-1.corp.local", List.of(), null, null, "it",
                        dev.vigil.posture.inventory.Criticality.CRITICAL, false, List.of(),
                        dev.vigil.posture.inventory.Origin.IMPORTED, "assets.csv", null)), List.of(), List.of(),
                List.of()));
        store.commit();
        store(alert(1, "high", 0, "host", "ws-1", "user", "CORP\\alice"));
        correlate();

        var facts = incidents().facts(READER, 1, Optional.empty(), POLICY, 200);
        var impact = dev.vigil.incident.IncidentAnalyzer.analyze(facts).impact();

        assertThat(facts.criticality()).containsEntry("ws-1", "critical");
        assertThat(impact.criticality()).isEqualTo("ws-1 critical");
        assertThat(impact.factors()).anySatisfy(f -> {
            assertThat(f.name()).isEqualTo("asset criticality");
            assertThat(f.points()).isEqualTo(20);
            assertThat(f.evidence()).containsExactly("asset:ws-1");
        });
    }
}
