package dev.vigil.incident;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.Alert;
import dev.vigil.model.CommonColumn;
import dev.vigil.model.Event;
import dev.vigil.model.EventId;
import dev.vigil.model.SourcePosition;
import dev.vigil.model.TenantId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The source of a remote entry, found in the events when a lateral-movement alert names none: which events show an
 * entry, and how the correlator weighs the machine they name.
 */
class RemoteEntrySourceTest {
    private static final TenantId TENANT = TenantId.of("acme");
    /** Midnight of 2026-03-02 UTC, in microseconds. */
    private static final long MIDNIGHT = 1_772_409_600_000_000L;
    private static final long MINUTE = 60_000_000L;
    private static final CorrelationPolicy POLICY = new CorrelationPolicy(Duration.ofHours(3), Duration.ofHours(24), 3,
            0.2, 4);
    private static final EntityKey WS1 = host("ws1");
    private static final EntityKey WS1_ADDRESS = ip("10.1.1.1");
    private static final EntityKey WS2 = host("ws2");
    private static final EntityKey WS2_ADDRESS = ip("10.1.1.2");
    private static final EntityKey SRV9_ADDRESS = ip("10.1.9.9");

    private static EntityKey host(String name) {
        return new EntityKey(EntityKey.Kind.HOST, name);
    }

    private static EntityKey ip(String address) {
        return new EntityKey(EntityKey.Kind.IP, address);
    }

    private static int nextEvent = 1;

    private static Event event(String table, String code, long micros, Map<String, Object> fields,
            CommonColumn[] columns, String... values) {
        String[] common = new String[CommonColumn.count()];
        for (int i = 0; i < columns.length; i++) {
            common[columns[i].ordinal()] = values[i];
        }
        common[CommonColumn.EVENT_CODE.ordinal()] = code;
        int n = nextEvent++;
        return new Event(new EventId(0x7000L, n), TENANT, table, micros, common, fields, "", new SourcePosition(
                "test", n, 0));
    }

    /** A 4624 on {@code host} at a minute past midnight, from an address, of a logon type, by an account. */
    private static Event logon(String host, double minute, String fromAddress, int type, String account) {
        return event("SecurityEvent", "4624", MIDNIGHT + (long) (minute * MINUTE), Map.of("LogonType", type,
                "WorkstationName", "-"), new CommonColumn[] {CommonColumn.HOST, CommonColumn.SRC_IP, CommonColumn.USER},
                host, fromAddress, account);
    }

    /** A Sysmon 3 on {@code host}, which it initiated (or not), to an address and port. */
    private static Event connection(String host, double minute, String to, int port, boolean initiated) {
        return event("SysmonEvent", "3", MIDNIGHT + (long) (minute * MINUTE), Map.of("Initiated",
                Boolean.toString(initiated), "DestinationPort", port), new CommonColumn[] {CommonColumn.HOST,
                CommonColumn.DST_IP}, host, to);
    }

    private static Alert alert(int n, double minute, List<String> techniques, String... entities) {
        List<Alert.Entity> list = new ArrayList<>();
        for (int i = 0; i < entities.length; i += 2) {
            list.add(new Alert.Entity(entities[i], entities[i + 1]));
        }
        return new Alert(new UUID(0, n), TENANT, "sigma", "rule-" + n, "alert " + n, "high", "test",
                MIDNIGHT + (long) (minute * MINUTE), techniques, Map.of(), list, List.of(new EventId(0, n)),
                "SysmonEvent", "");
    }

    @Nested
    class WhichEventsShowAnEntry {
        @Test
        void aNetworkLogonNamesTheMachineEnteredAndTheAddressItCameFrom() {
            Event event = logon("SRV9.corp.local", 10, "10.1.1.1", 3, "CORP\\adm-x");

            RemoteEntry entry = RemoteEntry.of(event).orElseThrow();

            assertThat(entry.target()).isEqualTo(host("srv9"));
            assertThat(entry.source()).isEqualTo(WS1_ADDRESS);
            assertThat(entry.account()).contains(new EntityKey(EntityKey.Kind.USER, "adm-x"));
            assertThat(entry.evidence()).isEqualTo("network logon (4624 type 3)");
            assertThat(entry.eventId()).isEqualTo(event.id().toString());
        }

        @Test
        void aRemoteDesktopLogonIsOneTooButALocalLogonOrOneFromTheMachineItselfIsNot() {
            assertThat(RemoteEntry.of(logon("srv9", 10, "10.1.1.1", 10, "bob")).map(RemoteEntry::evidence))
                    .contains("remote interactive logon (4624 type 10)");
            assertThat(RemoteEntry.of(logon("srv9", 10, "10.1.1.1", 2, "bob"))).as("interactive, at the console")
                    .isEmpty();
            assertThat(RemoteEntry.of(logon("srv9", 10, "127.0.0.1", 3, "bob"))).as("loopback").isEmpty();
        }

        @Test
        void withoutAnAddressTheWorkstationNameIsTheSource() {
            Event event = event("SecurityEvent", "4624", MIDNIGHT, Map.of("LogonType", "3", "WorkstationName", "WS2"),
                    new CommonColumn[] {CommonColumn.HOST}, "srv9");

            assertThat(RemoteEntry.of(event).map(RemoteEntry::source)).contains(WS2);
        }

        @Test
        void aConnectionAMachineOpenedToAnAdministrationPortNamesItAsTheSource() {
            RemoteEntry entry = RemoteEntry.of(connection("ws1.corp.local", 10, "10.1.9.9", 135, true))
                    .orElseThrow();

            assertThat(entry.source()).isEqualTo(WS1);
            assertThat(entry.target()).isEqualTo(SRV9_ADDRESS);
            assertThat(entry.evidence()).isEqualTo("connection to port 135 (Sysmon 3)");
            assertThat(RemoteEntry.of(connection("ws1", 10, "10.1.9.9", 443, true))).as("web traffic").isEmpty();
            assertThat(RemoteEntry.of(connection("ws1", 10, "10.1.9.9", 445, false))).as("accepted, not opened")
                    .isEmpty();
        }
    }

    @Nested
    class TheIndex {
        @Test
        void answersTheEntriesIntoTheTargetsWithinTheWindowBoundsIncludedInTimeOrder() {
            RemoteEntryIndex index = new RemoteEntryIndex();
            index.observe(logon("srv9", 12, "10.1.1.2", 3, "bob"));
            index.observe(logon("srv9", 10, "10.1.1.1", 3, "alice"));
            index.observe(logon("srv9", 14.01, "10.1.1.3", 3, "carol"));
            index.observe(connection("ws4", 11, "10.1.9.9", 445, true));
            index.observe(logon("srv8", 11, "10.1.1.4", 3, "dave"));
            assertThat(index.observe(connection("ws5", 11, "10.1.9.9", 443, true))).isFalse();

            List<RemoteEntry> found = index.into(Set.of(host("srv9"), SRV9_ADDRESS), MIDNIGHT + 10 * MINUTE,
                    MIDNIGHT + 14 * MINUTE);

            assertThat(found).extracting(RemoteEntry::source).containsExactly(WS1_ADDRESS, host("ws4"), WS2_ADDRESS);
            index.forgetBefore(MIDNIGHT + 11 * MINUTE);
            assertThat(index.size()).isEqualTo(4);
        }
    }

    @Nested
    class TheCorrelator {
        private final Prevalence owners = new Prevalence.Builder().owns(WS1_ADDRESS, WS1).owns(WS2_ADDRESS, WS2)
                .owns(SRV9_ADDRESS, host("srv9")).hosts(100).users(100).build();

        private Correlator correlator(Prevalence baseline, RemoteEntries entries) {
            return new Correlator(POLICY, TacticStages.unknown(), baseline, entries, 1);
        }

        @Test
        void aLateralAlertNamingNoSourceJoinsTheIncidentOfTheMachineTheLogonCameFromAndSaysWhichEvent() {
            RemoteEntryIndex index = new RemoteEntryIndex();
            Event logon = logon("srv9", 29, "10.1.1.1", 3, "CORP\\adm-x");
            index.observe(logon);
            Correlator correlator = correlator(owners, index);
            Assignment onWs1 = correlator.add(alert(1, 0, List.of("T1059.001"), "host", "ws1", "user", "alice"));

            Assignment lateral = correlator.add(alert(2, 30, List.of("T1569.002"), "host", "srv9", "user",
                    "CORP\\adm-x"));

            assertThat(lateral.incident()).isEqualTo(onWs1.incident());
            assertThat(lateral.reason().entity()).isEqualTo(WS1);
            assertThat(lateral.reason().explain(id -> Long.toString(id.getLeastSignificantBits()))).isEqualTo(
                    "joined because it shares host ws1 (the source of the remote entry on srv9 at 00:29 was ws1"
                            + " (network logon (4624 type 3) from 10.1.1.1, event " + logon.id() + ")) with alert 1,"
                            + " 30 minutes apart; evidence 0.71, 0.25 needed to join: host ws1 0.71");
        }

        @Test
        void theSourceMachinesOwnConnectionFindsItToo() {
            RemoteEntryIndex index = new RemoteEntryIndex();
            index.observe(connection("ws1", 29.5, "10.1.9.9", 5985, true));
            Correlator correlator = correlator(owners, index);
            Assignment onWs1 = correlator.add(alert(1, 0, List.of(), "host", "ws1"));

            Assignment lateral = correlator.add(alert(2, 30, List.of("T1021.006"), "host", "srv9"));

            assertThat(lateral.incident()).isEqualTo(onWs1.incident());
            assertThat(lateral.reason().qualifier()).contains("was ws1 (connection to port 5985 (Sysmon 3), event");
        }

        @Test
        void severalMachinesEnteringAtThatMinuteShareTheEvidenceUnlessOneIsTheAlertsAccount() {
            RemoteEntryIndex index = new RemoteEntryIndex();
            index.observe(logon("srv9", 29, "10.1.1.1", 3, "alice"));
            index.observe(logon("srv9", 29.5, "10.1.1.2", 3, "bob"));
            Correlator anyone = correlator(owners, index);
            anyone.add(alert(1, 0, List.of(), "host", "ws1"));
            Assignment shared = anyone.add(alert(2, 30, List.of("T1021.002"), "host", "srv9"));
            assertThat(shared.reason().evidence()).isEqualTo("evidence 0.36, 0.25 needed to join: host ws1 0.36");
            assertThat(shared.reason().qualifier()).endsWith("; one of 2 sources then)");

            Correlator byAccount = correlator(owners, index);
            byAccount.add(alert(1, 0, List.of(), "host", "ws2"));
            Assignment bob = byAccount.add(alert(2, 30, List.of("T1021.002"), "host", "srv9", "user", "bob"));
            assertThat(bob.reason().evidence()).isEqualTo("evidence 0.71, 0.25 needed to join: host ws2 0.71");
        }

        @Test
        void aCommonSourceSuchAsTheJumpHostTakesItsShareButTiesNothing() {
            EntityKey jumpAddress = ip("10.9.9.9");
            Prevalence baseline = new Prevalence.Builder().owns(jumpAddress, host("jump01")).add(jumpAddress, 60)
                    .hosts(100).users(100).build();
            RemoteEntryIndex index = new RemoteEntryIndex();
            index.observe(connection("jump01", 29, "10.1.9.9", 445, true));
            index.observe(logon("srv9", 29, "10.9.9.9", 3, "adm-x"));
            Correlator correlator = correlator(baseline, index);
            Assignment onJump = correlator.add(alert(1, 0, List.of(), "host", "jump01"));

            Assignment admin = correlator.add(alert(2, 30, List.of("T1569.002"), "host", "srv9"));

            assertThat(admin.opened()).as("by its address or its name, the jump host reaches every machine").isTrue();
            assertThat(admin.incident()).isNotEqualTo(onJump.incident());
        }

        @Test
        void onlyALateralAlertWithoutASourceIsLookedUp() {
            List<Set<EntityKey>> asked = new ArrayList<>();
            RemoteEntries counting = (targets, from, to) -> {
                asked.add(targets);
                return List.of();
            };
            Correlator correlator = correlator(owners, counting);
            correlator.add(alert(1, 0, List.of("T1059.001"), "host", "srv9"));
            correlator.add(alert(2, 1, List.of("T1021.002"), "host", "srv9", "src_ip", "10.1.1.1"));
            correlator.add(alert(3, 2, List.of("T1047"), "host", "srv9"));

            assertThat(asked).as("only alert 3, for its host and the address it owns")
                    .containsExactly(Set.of(host("srv9"), SRV9_ADDRESS));
        }

        @Test
        void aSourceFoundInTheEventsJoinsButNeverMerges() {
            RemoteEntryIndex index = new RemoteEntryIndex();
            index.observe(logon("srv9", 30, "10.1.1.1", 3, "adm-x"));
            Correlator correlator = correlator(owners, index);
            Assignment onWs1 = correlator.add(alert(1, 25, List.of(), "host", "ws1"));
            Assignment onSrv9 = correlator.add(alert(2, 29, List.of(), "host", "srv9"));

            Assignment lateral = correlator.add(alert(3, 30, List.of("T1021.002"), "host", "srv9"));

            assertThat(onSrv9.incident()).isNotEqualTo(onWs1.incident());
            assertThat(lateral.merged()).isEmpty();
            assertThat(correlator.find(onSrv9.incident())).isNotEqualTo(correlator.find(onWs1.incident()));
        }

        @Test
        void withoutEventsNothingChanges() {
            Correlator correlator = correlator(owners, RemoteEntries.none());
            correlator.add(alert(1, 0, List.of(), "host", "ws1"));

            assertThat(correlator.add(alert(2, 30, List.of("T1021.002"), "host", "srv9")).opened()).isTrue();
            assertThat(Optional.of(POLICY.weights().entryWindow())).contains(Duration.ofMinutes(2));
        }
    }
}
