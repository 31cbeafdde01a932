package dev.vigil.lake;

import static dev.vigil.lake.LakeFixture.ACME;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.config.LakeSettings;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.Event;
import dev.vigil.model.Principal;
import dev.vigil.model.Role;
import dev.vigil.model.VigilException;
import dev.vigil.store.AlertQuery;
import dev.vigil.store.HuntRunner;
import dev.vigil.store.TableInfo;
import dev.vigil.store.TenantStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A tenant store over the lake reads as the embedded store of the same data reads: the same tables, hunts and
 * events, for the tenant only; what the lake does not hold is an error that says so, never an empty answer.
 */
@DisplayName("Tenant stores over the lake (scale mode's readers)")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LakeStoresTest {
    @TempDir
    static Path folder;

    LakeFixture fixture;
    TenantStore embedded;
    TenantStore lake;

    @BeforeAll
    void ingest() {
        fixture = LakeFixture.create(folder);
        try (LakeCompactor compactor = new LakeCompactor(fixture.layout())) {
            compactor.compactAll(); // the store keeps a record ingested twice once; compaction does the same
        }
        embedded = TenantStore.open(fixture.storeData(), ACME, TenantStore.Mode.READ_ONLY);
        lake = new LakeStores(fixture.layout()).open(ACME);
    }

    @AfterAll
    void close() {
        lake.close();
        embedded.close();
    }

    static List<String> hunts() {
        return LakeConformanceQueries.HUNTS;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hunts")
    void huntsGiveTheRowsOfTheEmbeddedStore(String kql) {
        List<List<Object>> expected = new HuntRunner(embedded).run(kql, Map.of(), HuntRunner.Limits.defaults())
                .rows().rows();
        List<List<Object>> actual = new HuntRunner(lake).run(kql, Map.of(), HuntRunner.Limits.defaults()).rows()
                .rows();
        assertThat(sorted(actual)).isEqualTo(sorted(expected));
    }

    @Test
    void listsTheSameTablesWithTheSameRowsAndFieldNames() {
        Map<String, Long> expected = new HashMap<>();
        embedded.tables().forEach(t -> expected.put(t.name(), t.rows()));
        Map<String, Long> actual = new HashMap<>();
        lake.tables().forEach(t -> actual.put(t.name(), t.rows()));
        assertThat(actual).isEqualTo(expected).isNotEmpty();
        TableInfo sysmon = lake.tables().stream().filter(t -> t.name().equals("SysmonEvent")).findFirst()
                .orElseThrow();
        assertThat(sysmon.columns()).extracting(TableInfo.ColumnInfo::name).doesNotContain("day");
    }

    @Test
    void scansTheSameEventsWithTheirNativeFields() {
        Map<Object, Event> expected = new HashMap<>();
        embedded.scanEvents(List.of("SysmonEvent"), Long.MIN_VALUE, 1_000, batch -> batch.forEach(e ->
                expected.put(e.id(), e)));
        List<Event> actual = new ArrayList<>();
        lake.scanEvents(List.of("SysmonEvent"), Long.MIN_VALUE, 1_000, actual::addAll);
        assertThat(actual).hasSize(expected.size()).isNotEmpty();
        for (Event event : actual) {
            Event same = expected.get(event.id());
            assertThat(same).as("event %s", event.id()).isNotNull();
            assertThat(event.timeMicros()).isEqualTo(same.timeMicros());
            assertThat(event.raw()).isEqualTo(same.raw());
            assertThat(byFoldedName(event.fields())).isEqualTo(byFoldedName(same.fields()));
        }
    }

    @Test
    void readsNoOtherTenantsFiles() {
        assertThat(lake.query("SELECT DISTINCT tenant FROM SysmonEvent", 10).rows()).containsExactly(List.of("acme"));
        String globex = fixture.layout().tenantLocation(LakeFixture.GLOBEX) + "/**/*.parquet";
        assertThatThrownBy(() -> lake.query("SELECT count(*) FROM read_parquet('" + globex + "')", 10))
                .isInstanceOf(VigilException.class).hasMessageContaining("Permission");
    }

    @Test
    void refusesWhatTheLakeDoesNotHoldInsteadOfAnsweringEmpty() {
        Principal reader = new Principal("reader", Role.READER);
        assertThatThrownBy(() -> lake.incidents().list(reader, Optional.empty(), Optional.empty(), 10))
                .isInstanceOfSatisfying(VigilException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.SCALE_MODE_UNSUPPORTED);
                    assertThat(e.getMessage()).contains("incidents", "acme", "lake");
                });
        assertThatThrownBy(() -> lake.alerts(new AlertQuery(List.of(), Long.MIN_VALUE, null, 10)))
                .isInstanceOfSatisfying(VigilException.class, e -> assertThat(e.code())
                        .isEqualTo(ErrorCode.SCALE_MODE_UNSUPPORTED));
        assertThatThrownBy(lake::rules).isInstanceOfSatisfying(VigilException.class, e -> assertThat(e.code())
                .isEqualTo(ErrorCode.SCALE_MODE_UNSUPPORTED));
        assertThatThrownBy(() -> lake.sessions()).isInstanceOfSatisfying(VigilException.class, e -> assertThat(
                e.code()).isEqualTo(ErrorCode.SCALE_MODE_UNSUPPORTED));
        assertThatThrownBy(lake::commit).isInstanceOfSatisfying(VigilException.class, e -> assertThat(e.code())
                .isEqualTo(ErrorCode.SCALE_MODE_UNSUPPORTED));
    }

    @Test
    void anObjectStorageLakeThatDoesNotAnswerIsNamedWithTheSettingsToCheck() {
        LakeLayout unreachable = new LakeLayout(new LakeSettings("s3://bucket/lake", 1,
                new LakeSettings.ObjectStorage("127.0.0.1:9", "us-east-1", "path", false, "NO_KEY", "NO_SECRET"),
                "local[2]"));
        try (LakeStores stores = new LakeStores(unreachable, fixture.layout().localRoot().resolve("copy"),
                name -> null)) {
            assertThatThrownBy(stores::check).isInstanceOfSatisfying(VigilException.class, e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.LAKE_FAILED);
                assertThat(e.getMessage()).contains("s3://bucket/lake", "http://127.0.0.1:9");
                assertThat(e.fix()).contains("lake.s3.endpoint");
            });
        }
    }

    @Test
    void anIncidentKeptElsewhereIsAnalyzedOverTheLakeAsOverTheEmbeddedStore() {
        // the shared state: alerts and incidents kept outside both event stores, as PostgreSQL keeps a scale node's
        TenantStore events = embedded; // the process holds the embedded database open once
        LakeStores lakes = new LakeStores(fixture.layout());
        try (TenantStore state = TenantStore.open(folder.resolve("state"), ACME, TenantStore.Mode.READ_WRITE);
                TenantStore overLake = lakes.open(ACME)) {
            List<dev.vigil.model.Alert> alerts = new ArrayList<>();
            for (TableInfo table : events.tables()) {
                for (List<Object> row : events.query("SELECT CAST(event_id AS VARCHAR), host, \"user\","
                        + " epoch_us(\"time\") FROM \"" + table.name() + "\" WHERE host IS NOT NULL AND \"user\" IS NOT"
                        + " NULL ORDER BY event_code = '4672' AND \"user\" NOT LIKE '%$' AND \"user\" NOT ILIKE"
                        + " '%system%' DESC, \"time\", event_id LIMIT 3", 3).rows()) {
                    java.util.UUID event = java.util.UUID.fromString((String) row.get(0));
                    alerts.add(new dev.vigil.model.Alert(java.util.UUID.nameUUIDFromBytes(event.toString().getBytes(
                            java.nio.charset.StandardCharsets.UTF_8)), ACME, "sigma", "rule-" + table.name(),
                            "Detection on " + row.get(1), "high", "", (Long) row.get(3), List.of("T1078"), Map.of(),
                            List.of(new dev.vigil.model.Alert.Entity("host", (String) row.get(1)),
                                    new dev.vigil.model.Alert.Entity("user", (String) row.get(2))),
                            List.of(new dev.vigil.model.EventId(event.getMostSignificantBits(),
                                    event.getLeastSignificantBits())), table.name(), ""));
                }
            }
            assertThat(alerts).hasSizeGreaterThan(3);
            state.appendAlerts(alerts);
            state.commit();
            dev.vigil.incident.JoinReason first = new dev.vigil.incident.JoinReason(
                    dev.vigil.incident.JoinReason.Kind.FIRST, null, null, 0, "");
            List<dev.vigil.store.IncidentFeed.Placed> placed = new ArrayList<>();
            for (int i = 0; i < alerts.size(); i++) { // the last alert alone in incident 2, related to incident 1
                boolean opens = i == 0 || i == alerts.size() - 1;
                placed.add(new dev.vigil.store.IncidentFeed.Placed(alerts.get(i).id(), i == alerts.size() - 1 ? 2 : 1,
                        opens, first, List.of(), i));
            }
            new dev.vigil.store.IncidentFeed(state.incidents().repository(), state::alertsById)
                    .apply(placed, java.time.Instant.parse("2026-01-02T00:00:00Z"));
            state.commit();
            for (TenantStore store : List.of(events, overLake)) {
                store.keepIncidentsIn(state.incidents().repository());
                store.keepAlertsIn(state.alertRepository());
            }
            Principal reader = new Principal("reader", Role.READER);
            dev.vigil.incident.CorrelationPolicy policy = dev.vigil.incident.CorrelationPolicy.defaults();

            dev.vigil.incident.IncidentFacts expected = events.incidents().facts(reader, 1, Optional.empty(), policy,
                    200);
            dev.vigil.incident.IncidentFacts actual = overLake.incidents().facts(reader, 1, Optional.empty(), policy,
                    200);

            assertThat(actual.alerts()).isEqualTo(expected.alerts()).hasSize(alerts.size() - 1);
            assertThat(actual.events()).as("the events behind the alerts, found table by table in the lake")
                    .isEqualTo(expected.events()).hasSize(alerts.size() - 1);
            assertThat(actual.privilegedUsers()).isEqualTo(expected.privilegedUsers()).isNotEmpty();
            assertThat(actual.related()).isEqualTo(expected.related()).containsKey(2L);
            for (dev.vigil.model.Alert alert : alerts) {
                for (dev.vigil.model.Alert.Entity entity : alert.entities()) {
                    dev.vigil.incident.EntityKey.of(entity).ifPresent(key -> assertThat(actual.common().test(key))
                            .as("whether %s is common in the organization", key)
                            .isEqualTo(expected.common().test(key)));
                }
            }
            assertThat(overLake.query("SELECT count(*) FROM vigil_alerts", 1).rows())
                    .as("the shared alerts, read with SQL as the embedded store's").containsExactly(List.of(
                            (long) alerts.size()));
            try (TenantStore nextWork = lakes.open(ACME)) {
                nextWork.keepIncidentsIn(state.incidents().repository());
                assertThat(nextWork.incidents().prevalence()).as("the baseline computed for the first store")
                        .isSameAs(overLake.incidents().prevalence());
            }
        }
    }

    /**
     * Fields by their name in lower case without a {@code _N} suffix: a field spelled in two cases (Sysmon's
     * {@code SourceProcessGUID} and {@code SourceProcessGuid}) is one column, and the second spelling a
     * {@code NAME_2} column, in both stores; the lake does not record which spelling a {@code _2} column came from.
     */
    private static Map<String, Object> byFoldedName(Map<String, Object> fields) {
        Map<String, Object> out = new HashMap<>();
        fields.forEach((name, value) -> out.put(name.toLowerCase(java.util.Locale.ROOT).replaceFirst("_\\d+$", ""),
                value));
        return out;
    }

    private static List<String> sorted(List<List<Object>> rows) {
        List<String> out = new ArrayList<>();
        rows.forEach(row -> out.add(String.valueOf(row)));
        out.sort(Comparator.naturalOrder());
        return out;
    }
}
