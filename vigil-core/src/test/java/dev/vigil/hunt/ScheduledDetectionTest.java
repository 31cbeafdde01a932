package dev.vigil.hunt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.vigil.model.Alert;
import dev.vigil.model.EventId;
import dev.vigil.model.TenantId;
import dev.vigil.model.VigilException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Alerts from a scheduled query's rows, with thresholds and suppression")
class ScheduledDetectionTest {
    private static final TenantId ACME = new TenantId("acme");
    private static final Instant NOW = Instant.parse("2024-05-01T13:00:00Z");
    private static final String E1 = "018f3a2b-0000-7000-8000-000000000001";
    private static final String E2 = "018f3a2b-0000-7000-8000-000000000002";
    private static final String E3 = "018f3a2b-0000-7000-8000-000000000003";
    private static final List<String> COLUMNS = List.of("Timestamp", "DeviceName", "AccountName", "RemoteIP", "SHA256",
            "InitiatingProcessFileName", "event_id");
    private static final List<List<Object>> ROWS = List.of(
            row("2024-05-01T12:10:00Z", "WS1", "alice", "10.0.0.9", "ab".repeat(32), "powershell.exe", E1),
            row("2024-05-01T12:30:00+00:00", "WS1", "alice", null, null, "cmd.exe", E2),
            row("2024-05-01T12:20:00Z", "WS2", "bob", "-", "", "cmd.exe", E3),
            row("2024-05-01T12:40:00Z", "WS3", "carol", null, null, "cmd.exe", null));

    private static List<Object> row(Object... values) {
        return Arrays.asList(values);
    }

    private static HuntSchedule schedule(List<String> groupBy, int threshold, Duration suppress) {
        return new HuntSchedule("lateral", Duration.ofHours(1), Duration.ofHours(1), "high", "", List.of("T1021"),
                suppress, groupBy, threshold, Map.of(), "carol", NOW, null);
    }

    private static ScheduledDetection.Evaluation evaluate(HuntSchedule schedule) {
        return ScheduledDetection.evaluate(ACME, schedule, "Lateral movement", "SysmonEvent", COLUMNS, ROWS, NOW);
    }

    @Test
    void raisesOneAlertPerRowCitingItsEventWhenUngrouped() {
        ScheduledDetection.Evaluation evaluation = evaluate(schedule(List.of(), 1, Duration.ZERO));

        assertThat(evaluation.candidates()).hasSize(3);
        assertThat(evaluation.rowsWithoutEventId()).isEqualTo(1);
        Alert first = evaluation.candidates().get(0).alert();
        assertThat(first.id()).isEqualTo(Alert.idFor(ACME, "kql:lateral", List.of(EventId.parse(E1))));
        assertThat(first.source()).isEqualTo("kql");
        assertThat(first.ruleId()).isEqualTo("kql:lateral");
        assertThat(first.title()).isEqualTo("Lateral movement");
        assertThat(first.level()).isEqualTo("high");
        assertThat(first.techniques()).containsExactly("T1021");
        assertThat(first.table()).isEqualTo("SysmonEvent");
        assertThat(first.timeMicros()).isEqualTo(Instant.parse("2024-05-01T12:10:00Z").toEpochMilli() * 1000);
        assertThat(first.matchedFields()).containsEntry("DeviceName", "WS1").doesNotContainKey("event_id");
    }

    @Test
    void mapsDefenderAndNativeColumnNamesToEntities() {
        assertThat(EntityColumns.entities(COLUMNS, ROWS.get(0))).containsExactly(
                new Alert.Entity("host", "WS1"), new Alert.Entity("user", "alice"), new Alert.Entity("dst_ip", "10.0.0.9"),
                new Alert.Entity("file_hash", "ab".repeat(32)), new Alert.Entity("process", "powershell.exe"));
        assertThat(EntityColumns.entities(COLUMNS, ROWS.get(2))).as("'-' and empty values are no entities")
                .containsExactly(new Alert.Entity("host", "WS2"), new Alert.Entity("user", "bob"),
                        new Alert.Entity("process", "cmd.exe"));
        assertThat(EntityColumns.entities(List.of("Computer", "TargetUserName", "IpAddress", "ProcessGuid", "Image"),
                List.of("DC1", "admin", "10.0.0.7", "{ABC-1}", "C:\\x.exe"))).containsExactly(
                new Alert.Entity("host", "DC1"), new Alert.Entity("user", "admin"), new Alert.Entity("src_ip", "10.0.0.7"),
                new Alert.Entity(Alert.PROCESS_GUID, "{abc-1}"), new Alert.Entity("process", "C:\\x.exe"));
    }

    @Test
    void raisesOneAlertPerGroupCitingAllItsEvents() {
        List<ScheduledDetection.Candidate> candidates = evaluate(schedule(List.of("DeviceName"), 1, Duration.ZERO)).candidates();

        assertThat(candidates).extracting(ScheduledDetection.Candidate::group).containsExactly("WS1", "WS2");
        Alert ws1 = candidates.get(0).alert();
        assertThat(ws1.title()).isEqualTo("Lateral movement (WS1)");
        assertThat(ws1.eventIds()).containsExactly(EventId.parse(E1), EventId.parse(E2));
        assertThat(ws1.timeMicros()).as("the latest row's time").isEqualTo(Instant.parse("2024-05-01T12:30:00Z").toEpochMilli() * 1000);
        assertThat(ws1.matchedFields()).isEqualTo(Map.of("DeviceName", "WS1", "rows", "2"));
        assertThat(ws1.entities()).contains(new Alert.Entity("process", "powershell.exe"), new Alert.Entity("process", "cmd.exe"));
    }

    @Test
    void readsEventIdsFromAMakeSetColumn() {
        ScheduledDetection.Evaluation evaluation = ScheduledDetection.evaluate(ACME, schedule(List.of(), 1, Duration.ZERO),
                "t", "", List.of("DeviceName", "event_ids"), List.of(row("WS1", "[\"" + E2 + "\",\"" + E1 + "\"]")), NOW);

        Alert alert = evaluation.candidates().get(0).alert();
        assertThat(alert.eventIds()).containsExactly(EventId.parse(E1), EventId.parse(E2));
        assertThat(alert.timeMicros()).as("no time column: the run's time").isEqualTo(NOW.toEpochMilli() * 1000);
    }

    @Test
    void raisesOnlyForGroupsThatReachTheThreshold() {
        ScheduledDetection.Evaluation evaluation = evaluate(schedule(List.of("DeviceName"), 2, Duration.ZERO));

        assertThat(evaluation.candidates()).extracting(ScheduledDetection.Candidate::group).containsExactly("WS1");
        assertThat(evaluation.belowThreshold()).isEqualTo(1);
        assertThat(evaluate(schedule(List.of(), 4, Duration.ZERO)).candidates()).as("3 rows cite events").isEmpty();
        assertThat(evaluate(schedule(List.of(), 3, Duration.ZERO)).candidates()).hasSize(3);
    }

    @Test
    void suppressesAGroupAlertedWithinTheWindowOnly() {
        List<ScheduledDetection.Candidate> candidates = evaluate(schedule(List.of("DeviceName"), 1, Duration.ofHours(24))).candidates();
        Map<String, Instant> lastAlerted = Map.of("WS1", NOW.minus(Duration.ofHours(23)), "WS2", NOW.minus(Duration.ofHours(24)));

        ScheduledDetection.Outcome outcome = ScheduledDetection.suppress(candidates, id -> false, lastAlerted,
                Duration.ofHours(24), NOW);

        assertThat(outcome.raised()).extracting(Alert::title).containsExactly("Lateral movement (WS2)");
        assertThat(outcome.suppressed()).isEqualTo(1);
        assertThat(outcome.alerted()).isEqualTo(Map.of("WS2", NOW));
    }

    @Test
    void neverSuppressesWithAZeroWindow() {
        List<ScheduledDetection.Candidate> candidates = evaluate(schedule(List.of("DeviceName"), 1, Duration.ZERO)).candidates();

        ScheduledDetection.Outcome outcome = ScheduledDetection.suppress(candidates, id -> false, Map.of("WS1", NOW),
                Duration.ZERO, NOW);

        assertThat(outcome.raised()).hasSize(2);
        assertThat(outcome.suppressed()).isZero();
    }

    @Test
    void suppressesAnUngroupedQueryAsAWholeAfterTheRunThatAlerted() {
        List<ScheduledDetection.Candidate> candidates = evaluate(schedule(List.of(), 1, Duration.ofHours(1))).candidates();

        ScheduledDetection.Outcome first = ScheduledDetection.suppress(candidates, id -> false, Map.of(), Duration.ofHours(1), NOW);
        ScheduledDetection.Outcome next = ScheduledDetection.suppress(candidates, id -> false, first.alerted(),
                Duration.ofHours(1), NOW.plus(Duration.ofMinutes(30)));

        assertThat(first.raised()).as("every row of the run that alerts").hasSize(3);
        assertThat(next.raised()).isEmpty();
        assertThat(next.suppressed()).isEqualTo(3);
    }

    @Test
    void countsAlertsStoredAlreadyApartFromSuppressedOnes() {
        List<ScheduledDetection.Candidate> candidates = evaluate(schedule(List.of("DeviceName"), 1, Duration.ofHours(24))).candidates();
        Set<java.util.UUID> stored = Set.of(candidates.get(0).alert().id());

        ScheduledDetection.Outcome outcome = ScheduledDetection.suppress(candidates, stored::contains,
                Map.of("WS1", NOW, "WS2", NOW), Duration.ofHours(24), NOW);

        assertThat(outcome.alreadyStored()).isEqualTo(1);
        assertThat(outcome.suppressed()).isEqualTo(1);
        assertThat(outcome.raised()).isEmpty();
    }

    @Test
    void refusesAResultWithoutAnEventIdOrGroupColumn() {
        assertThat(catchThrowableOfType(VigilException.class, () -> ScheduledDetection.checkColumns("q",
                List.of("DeviceName", "n"), List.of()))).hasMessage("query 'q' cannot raise alerts: its result has no"
                + " event id column (its columns: DeviceName, n)");
        assertThat(catchThrowableOfType(VigilException.class, () -> ScheduledDetection.checkColumns("q",
                List.of("DeviceName", "EVENT_ID"), List.of("AccountName")))).hasMessageStartingWith(
                "--group-by column 'AccountName' is not in the result of query 'q'");
        ScheduledDetection.checkColumns("q", List.of("devicename", "Event_Ids"), List.of("DeviceName"));
    }
}
