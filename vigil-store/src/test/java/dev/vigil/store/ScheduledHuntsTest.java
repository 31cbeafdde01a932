package dev.vigil.store;

import static dev.vigil.store.StoreTesting.ACME;
import static dev.vigil.store.StoreTesting.batch;
import static dev.vigil.store.StoreTesting.event;
import static dev.vigil.store.StoreTesting.fields;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.hunt.HuntSchedule;
import dev.vigil.hunt.SavedQuery;
import dev.vigil.model.Alert;
import dev.vigil.query.KqlCompiler;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Saved queries and schedules as the store keeps them, and ticks that run them over their windows. */
@DisplayName("Saved and scheduled hunting queries in a tenant's store")
class ScheduledHuntsTest {
    /** The events below are at 12:00:01, 12:00:02, 12:00:03 and, far later, 13:23:20 on 2024-05-01. */
    private static final Instant NOON = Instant.parse("2024-05-01T12:00:00Z");
    private static final Instant CREATED = Instant.parse("2024-04-01T00:00:00Z");

    @TempDir
    Path data;

    TenantStore store;

    @BeforeEach
    void seed() {
        store = TenantStore.open(data, ACME, TenantStore.Mode.READ_WRITE);
        store.store(batch(
                event("SysmonEvent", "1", 1, fields("EventID", 1L, "Computer", "WS1", "CommandLine", "cmd /c whoami")),
                event("SysmonEvent", "1", 2, fields("EventID", 1L, "Computer", "WS1", "CommandLine", "whoami /all")),
                event("SysmonEvent", "1", 3, fields("EventID", 1L, "Computer", "WS2", "CommandLine", "whoami")),
                event("SysmonEvent", "1", 5000, fields("EventID", 1L, "Computer", "WS3", "CommandLine", "whoami"))));
    }

    @AfterEach
    void close() {
        store.close();
    }

    private SavedQuery save(String name, String kql) {
        SavedQuery query = store.hunts().put(new SavedQuery(name, "", kql, KqlCompiler.declaredParameters(kql),
                List.of("t"), "carol", CREATED, "carol", CREATED));
        store.commit();
        return query;
    }

    private void schedule(String name, List<String> groupBy, Duration suppress) {
        store.hunts().putSchedule(new HuntSchedule(name, Duration.ofHours(1), Duration.ofMinutes(30), "high", "Whoami",
                List.of("T1033"), suppress, groupBy, 1, Map.of(), "carol", CREATED, null));
        store.commit();
    }

    private ScheduledHunts.Tick tick(Instant now) {
        return new ScheduledHunts(store).tick(now, Set.of(), false, HuntRunner.Limits.defaults());
    }

    @Test
    void keepsSavedQueriesWithTheirCreatorAcrossUpdates() {
        save("whoami", "declare query_parameters(host:string = 'WS1'); SysmonEvent | where Computer == host");
        store.hunts().put(new SavedQuery("whoami", "updated", "SysmonEvent | take 1", List.of(), List.of(), "dave",
                NOON, "dave", NOON));
        store.commit();

        SavedQuery stored = store.hunts().query("whoami").orElseThrow();
        assertThat(stored.description()).isEqualTo("updated");
        assertThat(stored.createdBy()).isEqualTo("carol");
        assertThat(stored.createdAt()).isEqualTo(CREATED);
        assertThat(stored.updatedBy()).isEqualTo("dave");
        assertThat(stored.updatedAt()).isEqualTo(NOON);
        assertThat(save("params", "declare query_parameters(host:string = 'WS1', n:long); SysmonEvent").parameters())
                .isEqualTo(store.hunts().query("params").orElseThrow().parameters());
    }

    @Test
    void keepsSchedulesAndDropsThemWithTheirQuery() {
        save("whoami", "SysmonEvent | project Timestamp, Computer, event_id");
        schedule("whoami", List.of("Computer"), Duration.ofHours(6));

        HuntSchedule stored = store.hunts().schedule("whoami").orElseThrow();
        assertThat(stored.lookback()).isEqualTo(Duration.ofMinutes(30));
        assertThat(stored.suppress()).isEqualTo(Duration.ofHours(6));
        assertThat(stored.groupBy()).containsExactly("Computer");
        assertThat(stored.techniques()).containsExactly("T1033");
        assertThat(stored.lastRunAt()).isNull();

        assertThat(store.hunts().delete("whoami")).isTrue();
        store.commit();
        assertThat(store.hunts().schedules()).isEmpty();
        assertThat(store.hunts().delete("whoami")).isFalse();
    }

    @Test
    void runsDueQueriesOverTheirWindowAndRecordsEachRun() {
        save("whoami", "SysmonEvent | where CommandLine has 'whoami' | project Timestamp, Computer, event_id");
        schedule("whoami", List.of(), Duration.ZERO);

        ScheduledHunts.Tick first = tick(NOON.plus(Duration.ofMinutes(10)));
        QueryRun run = first.runs().get(0);

        assertThat(run.rows()).as("the 13:23 event is outside 11:40 .. 12:10").isEqualTo(3);
        assertThat(run.alerts()).isEqualTo(3);
        assertThat(run.windowStart()).isEqualTo(Instant.parse("2024-05-01T11:40:00Z"));
        assertThat(store.alerts(AlertQuery.newest(100))).extracting(Alert::ruleId).containsOnly("kql:whoami");
        assertThat(store.hunts().schedule("whoami").orElseThrow().lastRunAt()).isEqualTo(run.runAt());

        ScheduledHunts.Tick notDue = tick(NOON.plus(Duration.ofMinutes(40)));
        assertThat(notDue.runs()).isEmpty();
        assertThat(notDue.notDue()).containsEntry("whoami", NOON.plus(Duration.ofMinutes(70)));
        assertThat(store.hunts().runs("whoami", 10)).hasSize(1);
    }

    @Test
    void recordsAFailingQueryAndRunsTheOthers() {
        save("broken", "SysmonEvent | where toint(CommandLine) > 1 | project Timestamp, event_id");
        // the stored text no longer compiles (it was edited outside Vigil, or the tenant's tables changed)
        store.hunts().put(new SavedQuery("broken", "", "SysmonEvent | where NoSuchField == 1 | project event_id",
                List.of(), List.of(), "carol", CREATED, "carol", CREATED));
        save("whoami", "SysmonEvent | where CommandLine has 'whoami' | project Computer, event_id");
        schedule("broken", List.of(), Duration.ZERO);
        schedule("whoami", List.of("Computer"), Duration.ZERO);

        ScheduledHunts.Tick tick = tick(NOON.plus(Duration.ofMinutes(10)));

        assertThat(tick.failed()).isEqualTo(1);
        assertThat(tick.runs().get(0).error()).contains("unknown column 'NoSuchField'");
        assertThat(tick.runs().get(1).alerts()).as("WS1 and WS2").isEqualTo(2);
        assertThat(store.hunts().runs(null, 10)).extracting(QueryRun::failed).containsExactlyInAnyOrder(true, false);
    }

    @Test
    void suppressesAGroupAcrossTicksAndKeepsItsState() {
        save("whoami", "SysmonEvent | where CommandLine has 'whoami' | project Timestamp, Computer, event_id");
        store.hunts().putSchedule(new HuntSchedule("whoami", Duration.ofMinutes(30), Duration.ofHours(3), "high", "",
                List.of(), Duration.ofHours(2), List.of("Computer"), 1, Map.of(), "carol", CREATED, null));
        store.commit();

        QueryRun first = tick(NOON.plus(Duration.ofMinutes(10))).runs().get(0);
        store.store(batch(event("SysmonEvent", "1", 4000, fields("EventID", 1L, "Computer", "WS1", "CommandLine",
                "whoami /priv")))); // 13:06:40
        QueryRun second = tick(NOON.plus(Duration.ofMinutes(90))).runs().get(0);

        assertThat(first.alerts()).as("WS1, WS2").isEqualTo(2);
        assertThat(second.alerts()).as("WS3's first alert").isEqualTo(1);
        assertThat(second.suppressed()).as("WS1 with its new event, alerted 80 minutes before").isEqualTo(1);
        assertThat(second.alreadyStored()).as("WS2: the same event").isEqualTo(1);
        assertThat(store.hunts().suppressions("whoami")).containsOnlyKeys("WS1", "WS2", "WS3");
    }
}
