package dev.vigil.incident;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.model.Alert;
import dev.vigil.model.EventId;
import dev.vigil.model.TenantId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What correlation promises, one rule per test: alerts that share an entity within the join window belong together,
 * a tactic progression stretches the window, common entities glue nothing, closed incidents stay closed, merges go
 * into the oldest incident, a product's grouping is kept, and every decision explains itself.
 */
class CorrelatorTest {
    private static final TenantId TENANT = TenantId.of("acme");
    /** Midnight of 2026-03-02 UTC, in microseconds. */
    private static final long MIDNIGHT = 1_772_409_600_000_000L;
    /** Three hours to join, a day for a progression, common from three partners: small enough to read. */
    private static final CorrelationPolicy POLICY = new CorrelationPolicy(Duration.ofHours(3), Duration.ofHours(24), 3,
            0.2, 4);

    /** A hand-written ATT&CK order: execution, persistence, credential access, lateral movement. */
    private static final TacticStages STAGES = new TacticStages() {
        private final List<String> names = List.of("Execution", "Persistence", "Credential Access",
                "Lateral Movement");

        @Override
        public int stage(List<String> techniques) {
            int best = -1;
            for (String technique : techniques) {
                best = Math.max(best, switch (technique) {
                    case "T1059" -> 0;
                    case "T1053" -> 1;
                    case "T1003" -> 2;
                    case "T1021" -> 3;
                    default -> -1;
                });
            }
            return best;
        }

        @Override
        public String tacticName(int stage) {
            return stage >= 0 && stage < names.size() ? names.get(stage) : "unknown";
        }
    };

    private static Correlator correlator() {
        return correlator(Prevalence.none());
    }

    private static Correlator correlator(Prevalence baseline) {
        return new Correlator(POLICY, STAGES, baseline, 1);
    }

    /** Alert {@code n}, {@code minutes} after midnight, on entities given as kind, value, kind, value ... */
    private static Alert alert(int n, long minutes, String... entities) {
        return alert(n, minutes, List.of(), "", entities);
    }

    private static Alert alert(int n, long minutes, List<String> techniques, String incidentRef, String... entities) {
        List<Alert.Entity> list = new ArrayList<>();
        for (int i = 0; i < entities.length; i += 2) {
            list.add(new Alert.Entity(entities[i], entities[i + 1]));
        }
        return new Alert(id(n), TENANT, "sigma", "rule-" + n, "alert " + n, "high", "test",
                MIDNIGHT + Duration.ofMinutes(minutes).toNanos() / 1000, techniques, Map.of(), list,
                List.of(new EventId(0, n)), "SysmonEvent", incidentRef);
    }

    private static UUID id(int n) {
        return new UUID(0, n);
    }

    /** Alerts named by their number, as the explanations in these tests read. */
    private static String name(UUID id) {
        return Long.toString(id.getLeastSignificantBits());
    }

    @Nested
    class SharedEntities {
        @Test
        void anAlertOnTheSameHostMinutesLaterJoinsTheIncident() {
            Correlator correlator = correlator();
            Assignment first = correlator.add(alert(1, 0, "host", "WS1.corp.local", "user", "alice"));
            Assignment second = correlator.add(alert(2, 20, "host", "ws1", "user", "bob"));

            assertThat(first.opened()).isTrue();
            assertThat(first.reason().kind()).isEqualTo(JoinReason.Kind.FIRST);
            assertThat(second.opened()).isFalse();
            assertThat(second.incident()).isEqualTo(first.incident());
            assertThat(second.reason().kind()).isEqualTo(JoinReason.Kind.SHARED_ENTITY);
            assertThat(second.reason().entity()).isEqualTo(new EntityKey(EntityKey.Kind.HOST, "ws1"));
            assertThat(second.reason().otherAlert()).isEqualTo(id(1));
        }

        @Test
        void aHostAloneIsAWeakTieThatFadesWithinTheHour() {
            Correlator correlator = correlator();
            Assignment first = correlator.add(alert(1, 0, "host", "srv1", "user", "alice"));
            Assignment hoursLater = correlator.add(alert(2, 150, "host", "srv1", "user", "bob"));

            assertThat(hoursLater.opened()).as("a busy server's unrelated alerts, hours apart").isTrue();
            assertThat(hoursLater.incident()).isNotEqualTo(first.incident());
        }

        @Test
        void anAccountAndAProcessTreeHoursApartAreAStrongTie() {
            Correlator correlator = correlator();
            Assignment first = correlator.add(alert(1, 0, "host", "ws1", "user", "alice", Alert.PROCESS_GUID,
                    "{aaaa-1}"));
            Assignment child = correlator.add(alert(2, 150, "host", "srv1", "user", "alice", Alert.PROCESS_GUID,
                    "{aaaa-1}", Alert.PROCESS_GUID, "{bbbb-2}"));

            assertThat(child.incident()).isEqualTo(first.incident());
            assertThat(child.reason().evidence()).isEqualTo(
                    "evidence 0.81, 0.25 needed to join: user alice 0.56, process {aaaa-1} 0.56");
        }

        @Test
        void ofAHostsIncidentsTheOneActiveThereLastTakesTheAlert() {
            Correlator correlator = correlator();
            Assignment earlier = correlator.add(alert(1, 0, "host", "srv1", "user", "alice"));
            Assignment later = correlator.add(alert(2, 15, "host", "srv1", "user", "bob"));
            Assignment third = correlator.add(alert(3, 25, "host", "srv1", "user", "bob"));
            Assignment hostOnly = correlator.add(alert(4, 30, "host", "srv1"));

            assertThat(later.incident()).as("the host 15 minutes apart: joined").isEqualTo(earlier.incident());
            assertThat(third.incident()).isEqualTo(earlier.incident());
            assertThat(hostOnly.incident()).isEqualTo(earlier.incident());
            assertThat(hostOnly.merged()).isEmpty();
        }

        @Test
        void aHostTieAloneJoinsButNeverMergesTwoIncidentsOnceItHasFaded() {
            Correlator correlator = correlator();
            Assignment alice = correlator.add(alert(1, 0, "host", "srv1", "user", "alice"));
            Assignment bob = correlator.add(alert(2, 40, "host", "srv2", "user", "bob"));
            Assignment bridge = correlator.add(alert(3, 80, "host", "srv1", "user", "bob"));

            assertThat(bob.incident()).isNotEqualTo(alice.incident());
            assertThat(bridge.incident()).as("bob 40 minutes apart outweighs srv1 80 minutes apart")
                    .isEqualTo(bob.incident());
            assertThat(bridge.merged()).as("srv1 80 minutes apart is too weak to merge").isEmpty();
            assertThat(bridge.reason().explain(CorrelatorTest::name)).isEqualTo("joined because it shares user bob"
                    + " with alert 2, 40 minutes apart; evidence 0.86, 0.25 needed to join: user bob 0.86");
        }

        @Test
        void anAddressJoinsWhateverSideOfTheConnectionItIsOn() {
            Correlator correlator = correlator();
            Assignment first = correlator.add(alert(1, 0, "host", "ws1", "dst_ip", "203.0.113.7"));
            Assignment second = correlator.add(alert(2, 30, "host", "ws2", "src_ip", "203.0.113.7"));

            assertThat(second.incident()).isEqualTo(first.incident());
            assertThat(second.reason().entity()).isEqualTo(new EntityKey(EntityKey.Kind.IP, "203.0.113.7"));
        }

        @Test
        void anAlertBeyondTheWindowOpensANewIncident() {
            Correlator correlator = correlator();
            Assignment first = correlator.add(alert(1, 0, "host", "ws1"));
            Assignment late = correlator.add(alert(2, 181, "host", "ws1"));

            assertThat(late.opened()).isTrue();
            assertThat(late.incident()).isNotEqualTo(first.incident());
            assertThat(late.reason().kind()).isEqualTo(JoinReason.Kind.FIRST);
        }

        @Test
        void alertsSharingNothingStayApart() {
            Correlator correlator = correlator();
            Assignment first = correlator.add(alert(1, 0, "host", "ws1", "user", "alice"));
            Assignment second = correlator.add(alert(2, 5, "host", "ws2", "user", "bob"));

            assertThat(second.incident()).isNotEqualTo(first.incident());
        }

        @Test
        void processNamesTieNothingButAProcessGuidDoes() {
            Correlator correlator = correlator();
            Assignment first = correlator.add(alert(1, 0, "host", "ws1", "process", "C:\\Windows\\powershell.exe",
                    Alert.PROCESS_GUID, "{aaaa-1}"));
            Assignment sameImage = correlator.add(alert(2, 5, "host", "ws2", "process",
                    "C:\\Windows\\powershell.exe"));
            Assignment child = correlator.add(alert(3, 6, "host", "ws3", Alert.PROCESS_GUID, "{AAAA-1}"));

            assertThat(sameImage.incident()).isNotEqualTo(first.incident());
            assertThat(child.incident()).isEqualTo(first.incident());
            assertThat(child.reason().entity().kind()).isEqualTo(EntityKey.Kind.PROCESS);
        }
    }

    @Nested
    class Progression {
        @Test
        void aLaterTacticOnTheSameEntityJoinsAcrossALongerGap() {
            Correlator correlator = correlator();
            Assignment execution = correlator.add(alert(1, 0, List.of("T1059"), "", "user", "alice"));
            Assignment lateral = correlator.add(alert(2, 10 * 60, List.of("T1021"), "", "user", "alice",
                    "host", "srv9"));

            assertThat(lateral.incident()).isEqualTo(execution.incident());
            assertThat(lateral.reason().kind()).isEqualTo(JoinReason.Kind.PROGRESSION);
            assertThat(lateral.reason().qualifier()).isEqualTo("Execution → Lateral Movement");
            assertThat(lateral.reason().explain(CorrelatorTest::name))
                    .isEqualTo("joined because it follows alert 1 on user alice (Execution → Lateral Movement),"
                            + " 10 hours apart; evidence 0.75, 0.25 needed to join: user alice 0.75");
        }

        @Test
        void aProgressionCountsFromTheEarliestTacticTheIncidentReachedOnTheEntity() {
            Correlator correlator = correlator();
            Assignment execution = correlator.add(alert(1, 0, List.of("T1059"), "", "user", "alice"));
            correlator.add(alert(2, 60, List.of("T1003"), "", "user", "alice"));
            Assignment persistence = correlator.add(alert(3, 10 * 60, List.of("T1053"), "", "user", "alice"));

            assertThat(persistence.incident()).isEqualTo(execution.incident());
            assertThat(persistence.reason().explain(CorrelatorTest::name))
                    .isEqualTo("joined because it follows alert 1 on user alice (Execution → Persistence), 10 hours"
                            + " apart; evidence 0.75, 0.25 needed to join: user alice 0.75");
        }

        @Test
        void aHostsOwnAlertsDoNotProgressBeyondTheJoinWindowButTheHostAnAttackCameFromDoes() {
            EntityKey ws1 = new EntityKey(EntityKey.Kind.HOST, "ws1");
            Prevalence baseline = new Prevalence.Builder().owns(new EntityKey(EntityKey.Kind.IP, "10.1.1.1"), ws1)
                    .hosts(100).build();
            Correlator correlator = correlator(baseline);
            Assignment execution = correlator.add(alert(1, 0, List.of("T1059"), "", "host", "ws1"));
            Assignment later = correlator.add(alert(2, 10 * 60, List.of("T1053"), "", "host", "ws1"));
            assertThat(later.incident()).as("a busy machine's alerts hours apart").isNotEqualTo(execution.incident());

            Correlator fresh = correlator(baseline);
            Assignment onWs1 = fresh.add(alert(1, 0, List.of("T1059"), "", "host", "ws1"));
            Assignment lateral = fresh.add(alert(3, 11 * 60, List.of("T1059"), "", "host", "srv9",
                    "src_ip", "10.1.1.1"));
            assertThat(lateral.incident()).as("whatever its tactic").isEqualTo(onWs1.incident());
            assertThat(lateral.reason().kind()).isEqualTo(JoinReason.Kind.PROGRESSION);
            assertThat(lateral.reason().entity()).isEqualTo(ws1);
            assertThat(lateral.reason().qualifier()).isEqualTo("the machine it came from, through its address"
                    + " 10.1.1.1");
        }

        @ParameterizedTest(name = "{0} then {1}, ten hours apart: joined {2}")
        @CsvSource({
            "T1003, T1021, true",
            "T1003, T1003, false",
            "T1003, T1053, false",
            "T1003, T9999, false",
            "T9999, T1021, false"})
        void onlyALaterTacticStretchesTheWindow(String before, String after, boolean joined) {
            Correlator correlator = correlator();
            Assignment first = correlator.add(alert(1, 0, List.of(before), "", "user", "alice"));
            Assignment second = correlator.add(alert(2, 10 * 60, List.of(after), "", "user", "alice"));

            assertThat(second.incident() == first.incident()).isEqualTo(joined);
        }

        @Test
        void noProgressionJoinsBeyondItsWindow() {
            Correlator correlator = correlator();
            Assignment execution = correlator.add(alert(1, 0, List.of("T1059"), "", "user", "alice"));
            Assignment lateral = correlator.add(alert(2, 24 * 60 + 1, List.of("T1021"), "", "user", "alice"));

            assertThat(lateral.incident()).isNotEqualTo(execution.incident());
        }
    }

    @Nested
    class CommonEntities {
        @Test
        void anEntityTheBaselineSeesOnManyHostsGluesNothing() {
            EntityKey proxy = new EntityKey(EntityKey.Kind.IP, "10.0.0.8");
            Prevalence baseline = new Prevalence.Builder().add(proxy, 40).hosts(100).build();
            Correlator correlator = correlator(baseline);
            Assignment first = correlator.add(alert(1, 0, "host", "ws1", "dst_ip", "10.0.0.8"));
            Assignment second = correlator.add(alert(2, 1, "host", "ws2", "dst_ip", "10.0.0.8"));

            assertThat(correlator.isCommon(proxy)).isTrue();
            assertThat(second.incident()).isNotEqualTo(first.incident());
        }

        @Test
        void aHostWithManyUsersInTheBaselineGluesNothing() {
            Prevalence baseline = new Prevalence.Builder().add(new EntityKey(EntityKey.Kind.HOST, "dc1"), 3)
                    .hosts(50).build();
            Correlator correlator = correlator(baseline);
            Assignment first = correlator.add(alert(1, 0, "host", "dc1", "src_ip", "10.1.1.1"));
            Assignment second = correlator.add(alert(2, 1, "host", "dc1.corp.local", "src_ip", "10.1.1.2"));

            assertThat(second.incident()).isNotEqualTo(first.incident());
        }

        @Test
        void anEntityRareInTheBaselineStillJoins() {
            Prevalence baseline = new Prevalence.Builder().add(new EntityKey(EntityKey.Kind.IP, "10.0.0.8"), 2)
                    .hosts(100).build();
            Correlator correlator = correlator(baseline);
            Assignment first = correlator.add(alert(1, 0, "host", "ws1", "dst_ip", "10.0.0.8"));
            Assignment second = correlator.add(alert(2, 1, "host", "ws2", "dst_ip", "10.0.0.8"));

            assertThat(second.incident()).isEqualTo(first.incident());
        }

        @Test
        void anEntityLearnedOnManyHostsFromAlertsGluesNothingFromThenOn() {
            Correlator correlator = correlator();
            EntityKey admin = new EntityKey(EntityKey.Kind.USER, "helpdesk");
            for (int host = 1; host <= 3; host++) {
                correlator.add(alert(host, host, "host", "ws" + host, "user", "CORP\\helpdesk"));
            }
            assertThat(correlator.isCommon(admin)).isTrue();

            Assignment first = correlator.add(alert(10, 20, "host", "srv1", "user", "helpdesk"));
            Assignment second = correlator.add(alert(11, 21, "host", "srv2", "user", "helpdesk@corp.local"));

            assertThat(second.incident()).isNotEqualTo(first.incident());
        }

        @Test
        void aCommonEntityDoesNotHideTheRareOneBesideIt() {
            Prevalence baseline = new Prevalence.Builder().add(new EntityKey(EntityKey.Kind.IP, "10.0.0.8"), 40)
                    .hosts(100).build();
            Correlator correlator = correlator(baseline);
            Assignment first = correlator.add(alert(1, 0, "host", "ws1", "dst_ip", "10.0.0.8"));
            Assignment second = correlator.add(alert(2, 1, "host", "ws1", "dst_ip", "10.0.0.8"));

            assertThat(second.incident()).isEqualTo(first.incident());
            assertThat(second.reason().entity()).isEqualTo(new EntityKey(EntityKey.Kind.HOST, "ws1"));
        }
    }

    @Nested
    class OwnedAddresses {
        private final EntityKey ws1 = new EntityKey(EntityKey.Kind.HOST, "ws1");
        private final EntityKey ws1Address = new EntityKey(EntityKey.Kind.IP, "10.1.1.1");

        @Test
        void anAlertNamingTheAddressAHostOwnsJoinsThatHostsIncidentAndSaysThroughWhichAddress() {
            Prevalence baseline = new Prevalence.Builder().owns(ws1Address, ws1).hosts(100).build();
            Correlator correlator = correlator(baseline);
            Assignment onWs1 = correlator.add(alert(1, 0, "host", "ws1.corp.local", "user", "alice"));
            Assignment lateral = correlator.add(alert(2, 30, "host", "srv9", "src_ip", "10.1.1.1",
                    "user", "svc-other"));

            assertThat(lateral.incident()).isEqualTo(onWs1.incident());
            assertThat(lateral.reason().entity()).isEqualTo(ws1);
            assertThat(lateral.reason().explain(id -> id.toString().substring(0, 8))).isEqualTo(
                    "joined because it shares host ws1 (through its address 10.1.1.1) with alert 00000000, 30 minutes"
                            + " apart; evidence 0.89, 0.25 needed to join: host ws1 0.89");
        }

        @Test
        void anAddressTwoHostsOwnBelongsToNeither() {
            Prevalence baseline = new Prevalence.Builder().owns(ws1Address, ws1)
                    .owns(ws1Address, new EntityKey(EntityKey.Kind.HOST, "ws2")).hosts(100).build();

            assertThat(baseline.ownerOf(ws1Address)).isEmpty();
            Correlator correlator = correlator(baseline);
            Assignment onWs1 = correlator.add(alert(1, 0, "host", "ws1"));
            Assignment elsewhere = correlator.add(alert(2, 30, "host", "srv9", "src_ip", "10.1.1.1"));
            assertThat(elsewhere.incident()).isNotEqualTo(onWs1.incident());
        }

        @Test
        void aCommonAddressBringsInNoOwner() {
            EntityKey jump = new EntityKey(EntityKey.Kind.HOST, "jump01");
            EntityKey jumpAddress = new EntityKey(EntityKey.Kind.IP, "10.9.9.9");
            Prevalence baseline = new Prevalence.Builder().owns(jumpAddress, jump).add(jumpAddress, 60).hosts(100)
                    .build();
            Correlator correlator = correlator(baseline);
            Assignment first = correlator.add(alert(1, 0, "host", "srv1", "src_ip", "10.9.9.9"));
            Assignment second = correlator.add(alert(2, 5, "host", "srv2", "src_ip", "10.9.9.9"));

            assertThat(second.incident()).as("administration from the jump host ties its targets together")
                    .isNotEqualTo(first.incident());
        }

        @Test
        void anArtefactTheOrganizationAlreadyShowsOnSeveralHostsTiesNothing() {
            EntityKey installer = new EntityKey(EntityKey.Kind.FILE_HASH, "a".repeat(64));
            Prevalence baseline = new Prevalence.Builder().add(installer, 3).hosts(1000).build();
            Correlator correlator = correlator(baseline);
            Assignment first = correlator.add(alert(1, 0, "host", "ws1", "file_hash", "a".repeat(64)));
            Assignment familiar = correlator.add(alert(2, 5, "host", "ws2", "file_hash", "a".repeat(64)));
            Assignment rare = correlator.add(alert(3, 6, "host", "ws3", "file_hash", "b".repeat(64)));
            Assignment sameRare = correlator.add(alert(4, 7, "host", "ws4", "file_hash", "b".repeat(64)));

            assertThat(correlator.isCommon(installer)).as("3 of 1000 hosts: not common").isFalse();
            assertThat(familiar.incident()).isNotEqualTo(first.incident());
            assertThat(sameRare.incident()).isEqualTo(rare.incident());
        }
    }

    @Nested
    class Lifecycle {
        @Test
        void aClosedIncidentTakesNoNewAlert() {
            Correlator correlator = correlator();
            Assignment first = correlator.add(alert(1, 0, "host", "ws1"));
            correlator.close(first.incident());
            Assignment second = correlator.add(alert(2, 10, "host", "ws1"));

            assertThat(second.opened()).isTrue();
            assertThat(second.incident()).isNotEqualTo(first.incident());
        }

        @Test
        void aClosedIncidentIsNeverMerged() {
            Correlator correlator = correlator();
            Assignment closed = correlator.add(alert(1, 0, "host", "ws1"));
            correlator.close(closed.incident());
            Assignment open = correlator.add(alert(2, 1, "user", "bob"));
            Assignment bridge = correlator.add(alert(3, 2, "host", "ws1", "user", "bob"));

            assertThat(bridge.incident()).isEqualTo(open.incident());
            assertThat(bridge.merged()).isEmpty();
            assertThat(correlator.find(closed.incident())).isEqualTo(closed.incident());
        }

        @Test
        void anAlertFirmlyTiedToSeveralIncidentsMergesThemIntoTheOldestAndSaysWhy() {
            Correlator correlator = correlator();
            // the bridges sit minutes from the other incidents' alerts on their machines: one action seen twice
            Assignment oldest = correlator.add(alert(1, 0, "host", "ws1", "user", "alice"));
            Assignment middle = correlator.add(alert(2, 18, "host", "ws2"));
            Assignment newest = correlator.add(alert(3, 19, "host", "ws3"));
            Assignment bridge = correlator.add(alert(4, 20, "user", "alice", "host", "ws3", "src_ip", "10.9.9.9"));
            Assignment bridge2 = correlator.add(alert(5, 21, "host", "ws2", "src_ip", "10.9.9.9"));

            assertThat(bridge.incident()).isEqualTo(oldest.incident());
            assertThat(bridge.reason().entity()).isEqualTo(new EntityKey(EntityKey.Kind.USER, "alice"));
            assertThat(bridge.merged()).extracting(Assignment.Merge::incident).containsExactly(newest.incident());
            JoinReason why = bridge.merged().getFirst().reason();
            assertThat(why.entity()).isEqualTo(new EntityKey(EntityKey.Kind.HOST, "ws3"));
            assertThat(why.otherAlert()).isEqualTo(id(3));
            assertThat(why.gapMicros()).isEqualTo(Duration.ofMinutes(1).toNanos() / 1000);
            assertThat(why.evidence()).isEqualTo("evidence 0.98, 0.50 needed to merge: host ws3 0.98");
            assertThat(bridge2.incident()).isEqualTo(oldest.incident());
            assertThat(bridge2.merged()).extracting(Assignment.Merge::incident).containsExactly(middle.incident());
            assertThat(correlator.find(newest.incident())).isEqualTo(oldest.incident());
            assertThat(correlator.find(middle.incident())).isEqualTo(oldest.incident());

            Assignment later = correlator.add(alert(6, 30, "host", "ws3"));
            assertThat(later.incident()).isEqualTo(oldest.incident());
        }

        @Test
        void anArtefactJoinsAnAlertWithNoOtherTieButNeverMergesTwoIncidents() {
            Correlator correlator = correlator();
            String hash = "4ed2a27860fa154415f65452ff1f94bd6af762982e2f3470030c504dc3c8a354";
            Assignment first = correlator.add(alert(1, 0, "host", "ws1", "file_hash", hash));
            Assignment onlyTheHash = correlator.add(alert(2, 5, "host", "ws2", "file_hash", hash));
            Assignment other = correlator.add(alert(3, 6, "host", "ws3"));
            Assignment bridge = correlator.add(alert(4, 7, "host", "ws3", "file_hash", hash,
                    "dst_ip", "198.51.100.7"));

            assertThat(onlyTheHash.incident()).isEqualTo(first.incident());
            assertThat(onlyTheHash.reason().entity().isArtefact()).isTrue();
            assertThat(bridge.incident()).isEqualTo(other.incident());
            assertThat(bridge.reason().entity()).isEqualTo(new EntityKey(EntityKey.Kind.HOST, "ws3"));
            assertThat(bridge.merged()).isEmpty();
            assertThat(correlator.find(other.incident())).isEqualTo(other.incident());
        }

        @Test
        void remembersStoredIncidentsAndNumbersNewOnesAfterThem() {
            Correlator correlator = correlator();
            correlator.remember(alert(1, 0, "host", "ws1"), 41, false);
            correlator.remember(alert(2, 0, "host", "ws2"), 42, true);

            assertThat(correlator.add(alert(3, 10, "host", "ws1")).incident()).isEqualTo(41);
            Assignment afterClosed = correlator.add(alert(4, 10, "host", "ws2"));
            assertThat(afterClosed.incident()).isEqualTo(43);
            assertThat(afterClosed.opened()).isTrue();
        }
    }

    @Nested
    class ImportedIncidents {
        @Test
        void alertsImportedWithAnIncidentKeepTheirGroupingWhateverTheirEntities() {
            Correlator correlator = correlator();
            Assignment first = correlator.add(alert(1, 0, List.of(), "defender:17", "host", "ws1"));
            Assignment second = correlator.add(alert(2, 600, List.of(), "defender:17", "host", "ws9"));

            assertThat(first.opened()).isTrue();
            assertThat(second.opened()).isFalse();
            assertThat(second.incident()).isEqualTo(first.incident());
            assertThat(second.reason().kind()).isEqualTo(JoinReason.Kind.IMPORTED);
            assertThat(second.reason().explain(CorrelatorTest::name))
                    .isEqualTo("imported with the product's incident defender:17, whose grouping is kept");
        }

        @Test
        void twoImportedIncidentsNeverMergeEvenThroughAVigilAlert() {
            Correlator correlator = correlator();
            Assignment defender = correlator.add(alert(1, 0, List.of(), "defender:17", "host", "ws1"));
            Assignment sentinel = correlator.add(alert(2, 1, List.of(), "sentinel:abc", "host", "ws1"));
            Assignment vigil = correlator.add(alert(3, 2, "host", "ws1"));

            assertThat(sentinel.incident()).isNotEqualTo(defender.incident());
            assertThat(vigil.incident()).isEqualTo(defender.incident());
            assertThat(vigil.merged()).isEmpty();
            assertThat(correlator.find(sentinel.incident())).isEqualTo(sentinel.incident());
        }

        @Test
        void aVigilIncidentMergesIntoAnImportedOne() {
            Correlator correlator = correlator();
            Assignment vigil = correlator.add(alert(1, 0, "user", "alice"));
            Assignment defender = correlator.add(alert(2, 1, List.of(), "defender:17", "host", "ws1"));
            Assignment bridge = correlator.add(alert(3, 2, "host", "ws1", "user", "alice"));

            assertThat(bridge.incident()).isEqualTo(defender.incident());
            assertThat(bridge.merged()).extracting(Assignment.Merge::incident).containsExactly(vigil.incident());
        }
    }

    @Nested
    class Explanations {
        @Test
        void aJoinSaysWhichEntityWhichAlertAndHowFarApart() {
            JoinReason reason = new JoinReason(JoinReason.Kind.SHARED_ENTITY, new EntityKey(EntityKey.Kind.USER,
                    "j.doe"), id(790), Duration.ofMinutes(14).toNanos() / 1000, "");

            assertThat(reason.explain(CorrelatorTest::name))
                    .isEqualTo("joined because it shares user j.doe with alert 790, 14 minutes apart");
        }

        @Test
        void theCorrelatorsOwnReasonReadsTheSame() {
            Correlator correlator = correlator();
            correlator.add(alert(790, 0, "host", "ws1", "user", "CORP\\J.Doe"));
            Assignment joined = correlator.add(alert(791, 14, "host", "ws2", "user", "j.doe@corp.local"));

            assertThat(joined.reason().explain(CorrelatorTest::name))
                    .isEqualTo("joined because it shares user j.doe with alert 790, 14 minutes apart; evidence 0.95,"
                            + " 0.25 needed to join: user j.doe 0.95");
        }

        @Test
        void theFirstAlertSaysItOpenedTheIncident() {
            assertThat(correlator().add(alert(1, 0, "host", "ws1")).reason().explain(CorrelatorTest::name))
                    .isEqualTo("opened the incident: it shares no entity with a recent open incident");
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
            "0|under a second",
            "59000000|59 seconds",
            "60000000|1 minute",
            "11100000000|3 hours 5 minutes",
            "90000000000|1 day 1 hour"})
        void gapsReadAsPeopleSayThem(long micros, String text) {
            assertThat(JoinReason.gap(micros)).isEqualTo(text);
        }
    }

    @Nested
    class Weights {
        @Test
        void theWeightsComeFromThePolicy() {
            // a host alone, 90 minutes apart: faded below the join threshold at the default 30-minute half-life
            Alert first = alert(1, 0, "host", "ws1");
            Alert later = alert(2, 90, "host", "ws1");
            Correlator byDefault = correlator();
            Assignment a = byDefault.add(first);
            assertThat(byDefault.add(later).incident()).isNotEqualTo(a.incident());

            CorrelationPolicy patient = POLICY.withWeights(new CorrelationPolicy.Weights(0.25, 0.5,
                    Duration.ofHours(2), 0.6, 3, 0.5, 0.5));
            Correlator slowerFading = new Correlator(patient, STAGES, Prevalence.none(), 1);
            Assignment b = slowerFading.add(first);
            Assignment joined = slowerFading.add(later);
            assertThat(joined.incident()).isEqualTo(b.incident());
            assertThat(joined.reason().evidence()).isEqualTo("evidence 0.59, 0.25 needed to join: host ws1 0.59");
        }

        @ParameterizedTest(name = "join {0}, merge {1}, artefact {2}, familiar from {3} hosts: refused")
        @CsvSource({"0, 0.5, 0.6, 3", "0.6, 0.5, 0.6, 3", "0.25, 1.5, 0.6, 3", "0.25, 0.5, -0.1, 3",
            "0.25, 0.5, 0.6, 1"})
        void weightsOutsideTheirRangeAreRefused(double joinAt, double mergeAt, double artefact, int familiar) {
            assertThatThrownBy(() -> new CorrelationPolicy.Weights(joinAt, mergeAt, Duration.ofMinutes(30), artefact,
                    familiar, 0.5, 0.5)).isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void aNegativeMachineMergeWindowIsRefused() {
            assertThatThrownBy(() -> CorrelationPolicy.Weights.defaults().withMachineMergeWindow(Duration.ofMinutes(-1)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("machine merge window");
        }
    }

    /**
     * Two incidents already apart are merged for good, so a merge asks for more than a join: more than one machine both
     * touched (unless the alert sits minutes from the other's alert on it), and no progression that a direct tie to
     * another incident explains better. An alert of a way into a machine is not tied to what else that machine hosts.
     */
    @Nested
    class MergeEvidence {
        @Test
        void aHostAloneMinutesApartJoinsTheAlertButDoesNotMergeItsOtherIncident() {
            Correlator correlator = correlator();
            Assignment alices = correlator.add(alert(1, 0, "host", "ws1", "user", "alice"));
            Assignment ws2 = correlator.add(alert(2, 10, "host", "ws2"));
            Assignment both = correlator.add(alert(3, 20, "host", "ws2", "user", "alice"));

            assertThat(both.incident()).isEqualTo(alices.incident());
            assertThat(both.merged()).isEmpty();
            assertThat(correlator.find(ws2.incident())).isEqualTo(ws2.incident());
            assertThat(both.reason().evidence()).isEqualTo("evidence 0.93, 0.25 needed to join: user alice 0.93; "
                    + "incident 2 not merged: host ws2 alone, 10 minutes apart (a machine alone merges two incidents"
                    + " only within 3 minutes)");
        }

        @Test
        void aHostWithinTheMachineMergeWindowMergesAsBefore() {
            Correlator correlator = correlator();
            Assignment alices = correlator.add(alert(1, 0, "host", "ws1", "user", "alice"));
            Assignment ws2 = correlator.add(alert(2, 17, "host", "ws2"));
            Assignment both = correlator.add(alert(3, 20, "host", "ws2", "user", "alice"));

            assertThat(both.incident()).isEqualTo(alices.incident());
            assertThat(both.merged()).extracting(Assignment.Merge::incident).containsExactly(ws2.incident());
        }

        @Test
        void aMachineAndAnAccountBothSharedMergeHoursApart() {
            Correlator correlator = correlator();
            Assignment alices = correlator.add(alert(1, 0, "host", "ws1", "user", "alice"));
            Assignment bobs = correlator.add(alert(2, 10, "host", "ws2", "user", "bob"));
            Assignment both = correlator.add(alert(3, 60, "host", "ws2", "user", "bob", "user", "alice"));

            assertThat(both.incident()).isEqualTo(alices.incident());
            assertThat(both.merged()).extracting(Assignment.Merge::incident).containsExactly(bobs.incident());
        }

        @Test
        void theMachineAnAlertCameFromAloneDoesNotMergeEither() {
            Prevalence owned = ownedAddress("10.0.0.8", "ws8");
            Correlator correlator = correlator(owned);
            Assignment ws8 = correlator.add(alert(1, 0, "host", "ws8"));
            Assignment alices = correlator.add(alert(2, 25, "host", "ws1", "user", "alice"));
            Assignment hop = correlator.add(alert(3, 30, "host", "ws9", "user", "alice", "src_ip", "10.0.0.8"));

            assertThat(hop.incident()).isEqualTo(alices.incident());
            assertThat(hop.merged()).isEmpty();
            assertThat(hop.reason().evidence()).contains("incident " + ws8.incident() + " not merged: host ws8 alone,"
                    + " 30 minutes apart");
        }

        @Test
        void withAZeroWindowAMachineAloneNeverMerges() {
            Correlator correlator = new Correlator(POLICY.withWeights(CorrelationPolicy.Weights.defaults()
                    .withMachineMergeWindow(Duration.ZERO)), STAGES, Prevalence.none(), 1);
            correlator.add(alert(1, 15, "host", "ws1", "user", "alice"));
            Assignment ws2 = correlator.add(alert(2, 19, "host", "ws2"));
            Assignment both = correlator.add(alert(3, 20, "host", "ws2", "user", "alice"));

            assertThat(both.merged()).isEmpty();
            assertThat(correlator.find(ws2.incident())).isEqualTo(ws2.incident());
            assertThat(both.reason().evidence()).endsWith("incident 2 not merged: host ws2 alone, 1 minute apart (a"
                    + " machine alone never merges two incidents)");
        }

        @Test
        void aProgressionOnAnAccountThatTiesTheAlertDirectlyToAnotherIncidentDoesNotMerge() {
            Correlator correlator = correlator();
            // alice ran something on ws1 in the morning; ten hours later a second intrusion runs as alice on ws2
            Assignment morning = correlator.add(alert(1, 0, List.of("T1059"), "", "host", "ws1", "user", "alice"));
            Assignment evening = correlator.add(alert(2, 600, List.of("T1059"), "", "host", "ws2", "user", "alice",
                    "process_guid", "{00000000-0000-0000-0000-0000000000a1}"));
            Assignment dump = correlator.add(alert(3, 605, List.of("T1003"), "", "host", "ws2", "user", "alice",
                    "process_guid", "{00000000-0000-0000-0000-0000000000a1}"));

            assertThat(dump.incident()).isEqualTo(evening.incident());
            assertThat(dump.merged()).isEmpty();
            assertThat(correlator.find(morning.incident())).isEqualTo(morning.incident());
            assertThat(dump.reason().evidence()).endsWith("incident 1 not merged: user alice ties this alert to"
                    + " another incident directly, which explains it better than a progression here");
        }

        @Test
        void aProgressionThatNothingExplainsBetterStillMerges() {
            Correlator correlator = correlator();
            Assignment morning = correlator.add(alert(1, 0, List.of("T1059"), "", "host", "ws1", "user", "alice"));
            Assignment evening = correlator.add(alert(2, 600, List.of("T1059"), "", "host", "ws2",
                    "process_guid", "{00000000-0000-0000-0000-0000000000a1}"));
            Assignment dump = correlator.add(alert(3, 605, List.of("T1003"), "", "host", "ws2", "user", "alice",
                    "process_guid", "{00000000-0000-0000-0000-0000000000a1}"));

            assertThat(dump.incident()).isEqualTo(morning.incident());
            assertThat(dump.merged()).extracting(Assignment.Merge::incident).containsExactly(evening.incident());
        }

        @Test
        void aPhishingAlertIsNotTiedToAnotherIncidentOnTheMachineItEnters() {
            Correlator correlator = correlator();
            Assignment earlier = correlator.add(alert(1, 0, "host", "ws1", "user", "alice"));
            Assignment phish = correlator.add(alert(2, 2, List.of("T1566.001", "T1204.002"), "", "host", "ws1",
                    "user", "bob"));

            assertThat(phish.opened()).isTrue();
            assertThat(phish.incident()).isNotEqualTo(earlier.incident());
            assertThat(phish.reason().kind()).isEqualTo(JoinReason.Kind.FIRST);
            assertThat(phish.reason().explain(UUID::toString)).isEqualTo("opened the incident: no recent open"
                    + " incident has enough evidence (host ws1 not weighed: the machine it enters)");
        }

        @Test
        void aWayInStillJoinsThroughItsAccountAndTheMachineIsRememberedForWhatFollows() {
            Correlator correlator = correlator();
            Assignment alices = correlator.add(alert(1, 0, "host", "ws1", "user", "alice"));
            Assignment hop = correlator.add(alert(2, 30, List.of("T1021.002"), "", "host", "ws2", "user", "alice"));
            Assignment after = correlator.add(alert(3, 35, "host", "ws2"));

            assertThat(hop.incident()).isEqualTo(alices.incident());
            assertThat(after.incident()).isEqualTo(alices.incident());
            assertThat(after.reason().entity()).isEqualTo(new EntityKey(EntityKey.Kind.HOST, "ws2"));
        }

        @Test
        void aRemoteEntryFromAnotherMachineDoesNotJoinTheIncidentAlreadyOnItsTarget() {
            Prevalence owned = ownedAddress("10.0.0.8", "ws8");
            Correlator correlator = correlator(owned);
            Assignment onTarget = correlator.add(alert(1, 0, "host", "srv1", "user", "carol"));
            Assignment fromWs8 = correlator.add(alert(2, 5, "host", "ws8", "user", "dave"));
            Assignment hop = correlator.add(alert(3, 10, List.of("T1021.002"), "", "host", "srv1", "src_ip",
                    "10.0.0.8"));

            assertThat(hop.incident()).isEqualTo(fromWs8.incident());
            assertThat(hop.incident()).isNotEqualTo(onTarget.incident());
            assertThat(hop.reason().evidence()).endsWith("host srv1 not weighed: the machine it enters");
        }

        private static Prevalence ownedAddress(String address, String host) {
            return new Prevalence.Builder().owns(new EntityKey(EntityKey.Kind.IP, address), new EntityKey(
                    EntityKey.Kind.HOST, host)).hosts(100).build();
        }
    }

    @Nested
    class Incremental {
        /**
         * An alert looks up each of its entities' few postings, so the work of placing it is bounded by its entities,
         * not by the alerts before it. Measured as the postings weighed, not as time: the speed is the benchmark's.
         */
        @Test
        void placingAnAlertWeighsNoMorePostingsAfterTwentyThousandAlertsThanItsEntitiesAllow() {
            Alert probe = alert(999_999, 23 * 60, "host", "ws7", "user", "u7", "dst_ip", "203.0.113.9",
                    "process_guid", "{77777777-0000-0000-0000-000000000007}");
            int afterTen = weighedAfter(10, probe);
            int afterTwentyThousand = weighedAfter(20_000, probe);

            int bound = 4 * POLICY.postingsPerEntity();
            assertThat(afterTen).isPositive().isLessThanOrEqualTo(bound);
            assertThat(afterTwentyThousand).isLessThanOrEqualTo(bound);
        }

        /** The postings the probe weighs after {@code alerts} alerts over a day on 200 hosts and 50 users. */
        private int weighedAfter(int alerts, Alert probe) {
            Correlator correlator = correlator();
            for (int n = 1; n <= alerts; n++) {
                long minute = (long) n * 22 * 60 / alerts;
                correlator.add(alert(n, minute, "host", "ws" + n % 200, "user", "u" + n % 50, "dst_ip",
                        n % 3 == 0 ? "203.0.113.9" : "198.51.100." + n % 250, "process_guid",
                        "{" + new UUID(7, n) + "}"));
            }
            correlator.add(probe);
            return correlator.postingsWeighed();
        }
    }

    @Nested
    class Canonical {
        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
            "host|WORKSTATION5.theshire.local|host workstation5",
            "host|workstation5|host workstation5",
            "user|THESHIRE\\pgustavo|user pgustavo",
            "user|PGustavo@theshire.local|user pgustavo",
            "user|THESHIRE\\WORKSTATION5$|host workstation5",
            "src_ip|::ffff:10.0.2.15|ip 10.0.2.15",
            "dst_ip|10.0.2.15|ip 10.0.2.15",
            "host|10.0.2.15|ip 10.0.2.15",
            "file_hash|D41D8CD98F00B204E9800998ECF8427E|file hash d41d8cd98f00b204e9800998ecf8427e",
            "domain|Evil.Example.|domain evil.example"})
        void namesOfOneThingFoldToOneKey(String kind, String value, String key) {
            assertThat(EntityKey.of(new Alert.Entity(kind, value)).map(EntityKey::toString)).contains(key);
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
            "src_ip|127.0.0.1", "dst_ip|::1", "src_ip|0.0.0.0", "dst_ip|fe80::1", "dst_ip|224.0.0.252",
            "user|NT AUTHORITY\\SYSTEM", "user|LOCAL SERVICE", "user|NT AUTHORITY\\NETWORK SERVICE",
            "user|Window Manager\\DWM-1", "user|S-1-5-18", "user|-", "host|localhost", "host|-",
            "process|C:\\Windows\\System32\\cmd.exe", "parent_process|explorer.exe",
            "file_hash|00000000000000000000000000000000", "file_hash|not-a-hash", "src_ip|not-an-address"})
        void valuesThatIdentifyNothingAreDropped(String kind, String value) {
            assertThat(EntityKey.of(new Alert.Entity(kind, value))).isEqualTo(Optional.empty());
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
            "file_hash|d41d8cd98f00b204e9800998ecf8427e|true", "domain|evil.example|true", "url|http://x.example/a|true",
            "dst_ip|8.8.8.8|true", "dst_ip|10.0.0.8|false", "host|ws1|false", "user|alice|false",
            Alert.PROCESS_GUID + "|{aaaa-1}|false"})
        void artefactsAreWhatUnrelatedIntrusionsShareIdentitiesAreNot(String kind, String value, boolean artefact) {
            assertThat(EntityKey.of(new Alert.Entity(kind, value)).orElseThrow().isArtefact()).isEqualTo(artefact);
        }

        @ParameterizedTest
        @ValueSource(strings = {"8.8.8.8", "2001:4860:4860::8888"})
        void publicAddressesAreExternal(String address) {
            assertThat(EntityKey.ip(address).orElseThrow().isExternalAddress()).isTrue();
        }

        @ParameterizedTest
        @ValueSource(strings = {"10.1.2.3", "192.168.0.1", "172.16.5.4", "100.64.0.1", "fd00::1"})
        void privateAddressesAreNot(String address) {
            assertThat(EntityKey.ip(address).orElseThrow().isExternalAddress()).isFalse();
        }
    }
}
