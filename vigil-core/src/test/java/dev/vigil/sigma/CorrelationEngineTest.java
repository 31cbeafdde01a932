package dev.vigil.sigma;

import static dev.vigil.sigma.SigmaDocument.CorrelationType.EVENT_COUNT;
import static dev.vigil.sigma.SigmaDocument.CorrelationType.TEMPORAL;
import static dev.vigil.sigma.SigmaDocument.CorrelationType.TEMPORAL_ORDERED;
import static dev.vigil.sigma.SigmaDocument.CorrelationType.VALUE_AVG;
import static dev.vigil.sigma.SigmaDocument.CorrelationType.VALUE_COUNT;
import static dev.vigil.sigma.SigmaDocument.CorrelationType.VALUE_PERCENTILE;
import static dev.vigil.sigma.SigmaDocument.CorrelationType.VALUE_SUM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import dev.vigil.ingest.SharedData;
import dev.vigil.sigma.CorrelationEngine.Fired;
import dev.vigil.sigma.CorrelationEngine.Limits;
import dev.vigil.sigma.CorrelationEngine.Signal;
import dev.vigil.sigma.SigmaDocument.Correlation;
import dev.vigil.sigma.SigmaDocument.CorrelationType;
import dev.vigil.sigma.SigmaDocument.Meta;
import dev.vigil.sigma.SigmaDocument.Threshold;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The correlation engine's semantics, type by type, each at the boundary where it starts or stops firing. */
class CorrelationEngineTest {
    private static final long SECOND = 1_000_000L;
    private static final long MINUTE = 60 * SECOND;
    /** 2024-05-01T10:00:00Z. */
    private static final long T0 = 1_714_557_600L * SECOND;

    private int eventNumber;

    @Nested
    class EventCount {
        private final CorrelationEngine engine = engine(
                correlation("many_failures", EVENT_COUNT, "failed_login").groupBy("User").when("gte", 3));

        @Test
        void firesOnTheSignalThatReachesTheThreshold() {
            assertThat(engine.accept(failedLogin(0, "alice"))).isEmpty();
            assertThat(engine.accept(failedLogin(60, "alice"))).isEmpty();

            List<Fired> fired = engine.accept(failedLogin(120, "alice"));

            assertThat(fired).singleElement().satisfies(f -> {
                assertThat(f.correlation().meta().name()).isEqualTo("many_failures");
                assertThat(f.group()).containsExactly(Map.entry("User", "alice"));
                assertThat(f.value()).isEqualTo(3);
                assertThat(f.firstMicros()).isEqualTo(T0);
                assertThat(f.lastMicros()).isEqualTo(T0 + 2 * MINUTE);
                assertThat(f.ruleRefs()).containsExactly("failed_login");
                assertThat(f.eventIds()).containsExactly("e1", "e2", "e3");
            });
        }

        @Test
        void gtNeedsOneMoreThanTheLimit() {
            CorrelationEngine gt = engine(
                    correlation("many_failures", EVENT_COUNT, "failed_login").groupBy("User").when("gt", 3));

            assertThat(feed(gt, failedLogin(0, "alice"), failedLogin(1, "alice"), failedLogin(2, "alice"))).isEmpty();
            assertThat(gt.accept(failedLogin(3, "alice"))).singleElement()
                    .satisfies(f -> assertThat(f.value()).isEqualTo(4));
        }

        @Test
        void signalsExactlyATimespanApartStillCorrelate() {
            long span = 10 * MINUTE;

            assertThat(feed(engine, at("failed_login", T0, "User", "alice"),
                    at("failed_login", T0 + span / 2, "User", "alice"),
                    at("failed_login", T0 + span, "User", "alice"))).hasSize(1);
        }

        @Test
        void signalsOneMicrosecondMoreThanATimespanApartDoNot() {
            long span = 10 * MINUTE;

            assertThat(feed(engine, at("failed_login", T0, "User", "alice"),
                    at("failed_login", T0 + span / 2, "User", "alice"),
                    at("failed_login", T0 + span + 1, "User", "alice"))).isEmpty();
        }

        @Test
        void afterFiringTheGroupsWindowStartsAfresh() {
            CorrelationEngine pairs = engine(
                    correlation("failure_pairs", EVENT_COUNT, "failed_login").groupBy("User").when("gte", 2));

            assertThat(pairs.accept(failedLogin(0, "alice"))).isEmpty();
            assertThat(pairs.accept(failedLogin(1, "alice"))).hasSize(1);
            assertThat(pairs.accept(failedLogin(2, "alice"))).isEmpty();
            assertThat(pairs.accept(failedLogin(3, "alice"))).singleElement()
                    .satisfies(f -> assertThat(f.eventIds()).containsExactly("e3", "e4"));
        }

        @Test
        void eachGroupCountsOnItsOwn() {
            assertThat(feed(engine, failedLogin(0, "alice"), failedLogin(1, "bob"), failedLogin(2, "alice"),
                    failedLogin(3, "bob"))).isEmpty();

            assertThat(engine.accept(failedLogin(4, "bob"))).singleElement()
                    .satisfies(f -> assertThat(f.group()).containsExactly(Map.entry("User", "bob")));
            assertThat(engine.accept(failedLogin(5, "alice"))).singleElement()
                    .satisfies(f -> assertThat(f.group()).containsExactly(Map.entry("User", "alice")));
        }

        @Test
        void severalGroupByFieldsAreLinkedByAnd() {
            CorrelationEngine byHostAndUser = engine(correlation("many_failures", EVENT_COUNT, "failed_login")
                    .groupBy("Computer", "User").when("gte", 2));

            assertThat(feed(byHostAndUser, signal("failed_login", 0, "Computer", "ws1", "User", "alice"),
                    signal("failed_login", 1, "Computer", "ws2", "User", "alice"),
                    signal("failed_login", 2, "Computer", "ws1", "User", "bob"))).isEmpty();
            assertThat(byHostAndUser.accept(signal("failed_login", 3, "Computer", "ws2", "User", "alice")))
                    .singleElement().satisfies(f -> assertThat(f.group())
                            .containsExactly(Map.entry("Computer", "ws2"), Map.entry("User", "alice")));
        }

        @Test
        void aSignalWithoutAGroupByValueIsSkippedNotPutInAnEmptyGroup() {
            assertThat(feed(engine, signal("failed_login", 0), signal("failed_login", 1),
                    signal("failed_login", 2))).isEmpty();

            assertThat(engine.stats().skippedSignals()).isEqualTo(3);
            assertThat(engine.stats().groupsHeld()).isZero();
        }

        @Test
        void aSignalOlderThanTheWindowIsDroppedAsLate() {
            engine.accept(failedLogin(20 * 60, "alice"));

            assertThat(feed(engine, failedLogin(0, "alice"), failedLogin(1, "alice"))).isEmpty();
            assertThat(engine.stats().lateSignals()).isEqualTo(2);
        }

        @Test
        void rulesAreReferredToByIdOrByName() {
            String id = "53ba33fd-3a50-4468-a5ef-c583635cfa92";
            CorrelationEngine byId = engine(correlation("many_failures", EVENT_COUNT, id, "other_rule")
                    .groupBy("User").when("gte", 2));

            byId.accept(new Signal(id, "failed_login", T0, Map.of("User", "alice")::get, "e1"));
            List<Fired> fired = byId.accept(new Signal(null, "other_rule", T0, Map.of("User", "alice")::get, "e2"));

            assertThat(fired).singleElement()
                    .satisfies(f -> assertThat(f.ruleRefs()).containsExactly(id, "other_rule"));
        }
    }

    @Nested
    class ValueCount {
        private final CorrelationEngine engine = engine(correlation("password_spray", VALUE_COUNT, "failed_login")
                .groupBy("Computer").field("User").when("gte", 3));

        @Test
        void countsDistinctValuesNotSignals() {
            assertThat(feed(engine, spray(0, "alice"), spray(1, "alice"), spray(2, "bob"), spray(3, "alice")))
                    .isEmpty();

            assertThat(engine.accept(spray(4, "carol"))).singleElement().satisfies(f -> {
                assertThat(f.value()).isEqualTo(3);
                assertThat(f.group()).containsExactly(Map.entry("Computer", "dc1"));
                assertThat(f.eventIds()).containsExactly("e1", "e2", "e3", "e4", "e5");
            });
        }

        @Test
        void aValueLeavesTheCountWhenItsLastSignalLeavesTheWindow() {
            assertThat(feed(engine, spray(0, "alice"), spray(5 * 60, "bob"), spray(11 * 60, "carol"))).isEmpty();

            assertThat(engine.accept(spray(12 * 60, "dave"))).singleElement()
                    .satisfies(f -> assertThat(f.eventIds()).containsExactly("e2", "e3", "e4"));
        }

        @Test
        void aSignalWithoutTheCountedFieldIsSkipped() {
            assertThat(feed(engine, spray(0, "alice"), spray(1, "bob"), signal("failed_login", 2, "Computer", "dc1")))
                    .isEmpty();
            assertThat(engine.stats().skippedSignals()).isEqualTo(1);
        }

        private Signal spray(long second, String user) {
            return signal("failed_login", second, "Computer", "dc1", "User", user);
        }
    }

    @Nested
    class Temporal {
        private final CorrelationEngine engine = engine(
                correlation("recon", TEMPORAL, "recon_a", "recon_b", "recon_c").groupBy("User").within(5));

        @Test
        void firesWhenEveryRuleMatchedInAnyOrder() {
            assertThat(feed(engine, recon("recon_c", 0), recon("recon_a", 10))).isEmpty();

            assertThat(engine.accept(recon("recon_b", 20))).singleElement().satisfies(f -> {
                assertThat(f.value()).isEqualTo(3);
                assertThat(f.ruleRefs()).containsExactly("recon_a", "recon_b", "recon_c");
                assertThat(f.eventIds()).containsExactly("e1", "e2", "e3");
            });
        }

        @Test
        void repeatsOfOneRuleAreNotOtherRules() {
            assertThat(feed(engine, recon("recon_a", 0), recon("recon_a", 1), recon("recon_a", 2),
                    recon("recon_b", 3))).isEmpty();
        }

        @Test
        void aRuleMatchedBeforeTheWindowDoesNotCount() {
            assertThat(feed(engine, recon("recon_a", 0), recon("recon_b", 60), recon("recon_c", 5 * 60 + 1)))
                    .isEmpty();

            assertThat(engine.accept(recon("recon_a", 5 * 60 + 2))).hasSize(1);
        }

        @Test
        void aConditionCountsDistinctRules() {
            CorrelationEngine twoOfThree = engine(correlation("recon", TEMPORAL, "recon_a", "recon_b", "recon_c")
                    .groupBy("User").within(5).when("gte", 2));

            assertThat(feed(twoOfThree, recon("recon_a", 0), recon("recon_a", 1))).isEmpty();
            assertThat(twoOfThree.accept(recon("recon_c", 2))).singleElement().satisfies(f -> {
                assertThat(f.value()).isEqualTo(2);
                assertThat(f.ruleRefs()).containsExactly("recon_a", "recon_c");
            });
        }
    }

    @Nested
    class TemporalOrdered {
        private final CorrelationEngine engine = engine(
                correlation("recon", TEMPORAL_ORDERED, "recon_a", "recon_b", "recon_c").groupBy("User").within(5));

        @Test
        void firesWhenTheRulesMatchInTheListedOrder() {
            assertThat(feed(engine, recon("recon_a", 0), recon("recon_b", 10))).isEmpty();

            assertThat(engine.accept(recon("recon_c", 20))).singleElement()
                    .satisfies(f -> assertThat(f.value()).isEqualTo(3));
        }

        @Test
        void doesNotFireInAnotherOrder() {
            assertThat(feed(engine, recon("recon_c", 0), recon("recon_b", 10), recon("recon_a", 20))).isEmpty();
            assertThat(feed(engine, recon("recon_a", 30), recon("recon_c", 40), recon("recon_b", 50))).isEmpty();
        }

        @Test
        void aLaterSignalCanCompleteTheOrder() {
            assertThat(feed(engine, recon("recon_a", 0), recon("recon_c", 10), recon("recon_b", 20))).isEmpty();

            assertThat(engine.accept(recon("recon_c", 30))).hasSize(1);
        }

        @Test
        void theOrderIsEventTimeNotArrivalOrder() {
            CorrelationEngine pair = engine(
                    correlation("a_then_b", TEMPORAL_ORDERED, "recon_a", "recon_b").groupBy("User").within(5));

            assertThat(pair.accept(recon("recon_b", 60))).isEmpty();
            assertThat(pair.accept(recon("recon_a", 30))).singleElement()
                    .satisfies(f -> assertThat(f.eventIds()).containsExactly("e2", "e1"));

            assertThat(pair.accept(recon("recon_a", 120))).isEmpty();
            assertThat(pair.accept(recon("recon_b", 90))).isEmpty();
        }

        @Test
        void signalsAtTheSameTimeKeepTheirArrivalOrder() {
            CorrelationEngine pair = engine(
                    correlation("a_then_b", TEMPORAL_ORDERED, "recon_a", "recon_b").groupBy("User").within(5));

            assertThat(feed(pair, recon("recon_a", 0), recon("recon_b", 0))).hasSize(1);
            assertThat(feed(pair, recon("recon_b", 10), recon("recon_a", 10))).isEmpty();
        }

        @Test
        void aConditionCountsTheLongestRunInTheListedOrder() {
            CorrelationEngine twoInOrder = engine(correlation("recon", TEMPORAL_ORDERED, "recon_a", "recon_b",
                    "recon_c").groupBy("User").within(5).when("gte", 2));

            assertThat(feed(twoInOrder, recon("recon_b", 0), recon("recon_a", 1))).isEmpty();
            assertThat(twoInOrder.accept(recon("recon_c", 2))).singleElement()
                    .satisfies(f -> assertThat(f.value()).isEqualTo(2));
        }
    }

    @Nested
    class ValueSum {
        private final CorrelationEngine engine = engine(correlation("exfiltration", VALUE_SUM, "website_access")
                .groupBy("User").field("bytes_sent").when("gt", 1000));

        @Test
        void firesWhenTheSumPassesTheLimit() {
            assertThat(feed(engine, upload(0, "400"), upload(1, "600"))).isEmpty();

            assertThat(engine.accept(upload(2, "1"))).singleElement()
                    .satisfies(f -> assertThat(f.value()).isEqualTo(1001));
        }

        @Test
        void aValueThatIsNotANumberIsSkipped() {
            assertThat(feed(engine, upload(0, "900"), upload(1, "lots"), upload(2, "NaN"))).isEmpty();

            assertThat(engine.stats().skippedSignals()).isEqualTo(2);
            assertThat(engine.accept(upload(3, "101.5"))).singleElement()
                    .satisfies(f -> assertThat(f.value()).isEqualTo(1001.5));
        }

        private Signal upload(long second, String bytes) {
            return signal("website_access", second, "User", "alice", "bytes_sent", bytes);
        }
    }

    /** Conditions that a further signal can make false are known only once the window is over. */
    @Nested
    class AtTheWindowsEnd {
        private final CorrelationEngine average = engine(correlation("traffic", VALUE_AVG, "connection")
                .groupBy("SourceIP").field("BytesOut").when("gt", 500).within(60));

        @Test
        void anAverageIsComparedOnceTheWindowIsOver() {
            assertThat(feed(average, traffic(0, "10.0.0.1", 900), traffic(10 * 60, "10.0.0.1", 300),
                    traffic(20 * 60, "10.0.0.1", 400))).isEmpty();
            assertThat(average.advanceTo(T0 + 60 * MINUTE)).isEmpty();

            assertThat(average.advanceTo(T0 + 60 * MINUTE + 1)).singleElement().satisfies(f -> {
                assertThat(f.value()).isCloseTo(533.33, offset(0.01));
                assertThat(f.firstMicros()).isEqualTo(T0);
                assertThat(f.lastMicros()).isEqualTo(T0 + 20 * MINUTE);
                assertThat(f.eventIds()).containsExactly("e1", "e2", "e3");
            });
            assertThat(average.stats().groupsHeld()).isZero();
        }

        @Test
        void anAverageBelowTheLimitDoesNotFire() {
            feed(average, traffic(0, "10.0.0.1", 900), traffic(1, "10.0.0.1", 100));

            assertThat(average.advanceTo(Long.MAX_VALUE)).isEmpty();
        }

        @Test
        void aLaterSignalClosesTheWindowsItPassesAndTheNextSignalOpensANewOne() {
            feed(average, traffic(0, "10.0.0.1", 900));

            List<Fired> fired = average.accept(traffic(61 * 60, "10.0.0.2", 100));

            assertThat(fired).singleElement().satisfies(f -> {
                assertThat(f.group()).containsExactly(Map.entry("SourceIP", "10.0.0.1"));
                assertThat(f.value()).isEqualTo(900);
            });
            assertThat(average.accept(traffic(62 * 60, "10.0.0.1", 100))).isEmpty();
            assertThat(average.advanceTo(Long.MAX_VALUE)).isEmpty();
        }

        @Test
        void anUpperBoundOnACountIsEvaluatedAtTheWindowsEnd() {
            CorrelationEngine rare = engine(correlation("rare_logins", EVENT_COUNT, "failed_login")
                    .groupBy("User").when("lt", 3).within(10));

            assertThat(feed(rare, failedLogin(0, "alice"), failedLogin(1, "bob"), failedLogin(2, "alice"),
                    failedLogin(3, "bob"), failedLogin(4, "bob"))).isEmpty();

            assertThat(rare.advanceTo(T0 + 11 * MINUTE)).singleElement().satisfies(f -> {
                assertThat(f.group()).containsExactly(Map.entry("User", "alice"));
                assertThat(f.value()).isEqualTo(2);
            });
        }

        @Test
        void aPercentileRankComparesThatPercentileOfTheNumbers() {
            CorrelationEngine median = engine(correlation("median_traffic", VALUE_PERCENTILE, "connection")
                    .groupBy("SourceIP").field("BytesOut").percentile(50).when("gt", 2).within(60));

            feed(median, traffic(0, "10.0.0.1", 100), traffic(1, "10.0.0.1", 1), traffic(2, "10.0.0.1", 3),
                    traffic(3, "10.0.0.1", 2), traffic(4, "10.0.0.1", 4));
            // ranks between two values interpolate: the 50th percentile of 1, 2 is 1.5
            feed(median, traffic(5, "10.0.0.2", 1), traffic(6, "10.0.0.2", 2));

            assertThat(median.advanceTo(Long.MAX_VALUE)).singleElement().satisfies(f -> {
                assertThat(f.group()).containsExactly(Map.entry("SourceIP", "10.0.0.1"));
                assertThat(f.value()).isEqualTo(3);
            });
        }

        private Signal traffic(long second, String source, long bytes) {
            return signal("connection", second, "SourceIP", source, "BytesOut", Long.toString(bytes));
        }
    }

    /** value_percentile as the specification's text and example read it: how rare a value is in its group. */
    @Nested
    class ValuePercentile {
        private final CorrelationEngine engine = engine(correlation("rare_process", VALUE_PERCENTILE,
                "process_creation").groupBy("ComputerName").field("Image").when("lte", 1).within(24 * 60));

        @Test
        void firesForAValueAtMostThatPercentageOfTheGroupsSignals() {
            for (int i = 0; i < 99; i++) {
                assertThat(engine.accept(process(i, "svchost.exe"))).isEmpty();
            }

            assertThat(engine.accept(process(100, "evil.exe"))).singleElement().satisfies(f -> {
                assertThat(f.value()).isEqualTo(1);
                assertThat(f.group()).containsExactly(Map.entry("ComputerName", "ws1"),
                        Map.entry("Image", "evil.exe"));
                assertThat(f.eventIds()).containsExactly("e100");
            });
        }

        @Test
        void aValueIsNotRareBeforeThereIsABaseline() {
            for (int i = 0; i < 10; i++) {
                engine.accept(process(i, "svchost.exe"));
            }

            assertThat(engine.accept(process(10, "evil.exe"))).isEmpty();
        }

        @Test
        void aValueIsReportedOnceWhileItStaysInTheWindow() {
            CorrelationEngine uncommon = engine(correlation("uncommon_process", VALUE_PERCENTILE,
                    "process_creation").groupBy("ComputerName").field("Image").when("lte", 5).within(24 * 60));
            for (int i = 0; i < 99; i++) {
                uncommon.accept(process(i, "svchost.exe"));
            }

            assertThat(uncommon.accept(process(100, "evil.exe"))).hasSize(1);
            assertThat(uncommon.accept(process(101, "evil.exe"))).isEmpty();
            assertThat(uncommon.accept(process(102, "other.exe"))).hasSize(1);
        }

        private Signal process(long second, String image) {
            return signal("process_creation", second, "ComputerName", "ws1", "Image", image);
        }
    }

    /** The specification's alias example: a server error and a connection between the same two addresses. */
    @Nested
    class Aliases {
        private final CorrelationEngine engine = engine(correlation("error_then_connection", TEMPORAL,
                "internal_error", "new_network_connection")
                .groupBy("internal_ip", "remote_ip").withinSeconds(10)
                .alias("internal_ip", "internal_error", "destination.ip")
                .alias("internal_ip", "new_network_connection", "source.ip")
                .alias("remote_ip", "internal_error", "source.ip")
                .alias("remote_ip", "new_network_connection", "destination.ip"));

        @Test
        void groupAcrossRulesWithDifferentFieldNames() {
            engine.accept(signal("internal_error", 0, "destination.ip", "10.0.0.5", "source.ip", "203.0.113.7"));

            assertThat(engine.accept(signal("new_network_connection", 5, "source.ip", "10.0.0.5",
                    "destination.ip", "203.0.113.7"))).singleElement().satisfies(f -> assertThat(f.group())
                            .containsExactly(Map.entry("internal_ip", "10.0.0.5"),
                                    Map.entry("remote_ip", "203.0.113.7")));
        }

        @Test
        void theSameFieldNamesWithoutTheAliasesDoNotGroupTogether() {
            engine.accept(signal("internal_error", 0, "destination.ip", "10.0.0.5", "source.ip", "203.0.113.7"));

            assertThat(engine.accept(signal("new_network_connection", 5, "destination.ip", "10.0.0.5",
                    "source.ip", "203.0.113.7"))).isEmpty();
        }

        @Test
        void anAliasKeyedByNameAppliesToARuleReferredToById() {
            String id = "5638f7c0-ac70-491d-8465-2a65075e0d86";
            CorrelationEngine byId = engine(correlation("spray", EVENT_COUNT, id, "vpn_failure")
                    .groupBy("user").when("gte", 2)
                    .alias("user", "failed_login", "TargetUserName").alias("user", "vpn_failure", "login"));

            byId.accept(new Signal(id, "failed_login", T0, Map.of("TargetUserName", "alice")::get, "e1"));

            assertThat(byId.accept(signal("vpn_failure", 1, "login", "alice"))).singleElement()
                    .satisfies(f -> assertThat(f.group()).containsExactly(Map.entry("user", "alice")));
        }
    }

    @Nested
    class Chaining {
        private final Correlation manyFailures = correlation("many_failures", EVENT_COUNT, "failed_login")
                .id("a8418a5a-5fc4-46b5-b23b-6c73beb19d41").groupBy("User").when("gte", 3).build();

        @Test
        void aFiredCorrelationIsASignalForTheCorrelationsThatReferToIt() {
            CorrelationEngine engine = new CorrelationEngine(List.of(correlation("brute_force", TEMPORAL_ORDERED,
                    "many_failures", "successful_login").groupBy("User").build(), manyFailures), Limits.defaults());
            feed(engine, failedLogin(0, "alice"), failedLogin(1, "alice"), failedLogin(2, "alice"));

            assertThat(engine.accept(signal("successful_login", 3, "User", "alice"))).singleElement()
                    .satisfies(f -> {
                        assertThat(f.correlation().meta().name()).isEqualTo("brute_force");
                        assertThat(f.group()).containsExactly(Map.entry("User", "alice"));
                        assertThat(f.ruleRefs()).containsExactly("many_failures", "successful_login");
                        assertThat(f.eventIds()).containsExactly("e1", "e2", "e3", "e4");
                        assertThat(f.firstMicros()).isEqualTo(T0 + 2 * SECOND);
                    });
        }

        @Test
        void theInnerFiringComesBeforeTheOuterOneItCauses() {
            CorrelationEngine engine = new CorrelationEngine(List.of(correlation("brute_force", TEMPORAL,
                    "a8418a5a-5fc4-46b5-b23b-6c73beb19d41", "successful_login").groupBy("User").build(),
                    manyFailures), Limits.defaults());
            feed(engine, signal("successful_login", 0, "User", "alice"), failedLogin(1, "alice"),
                    failedLogin(2, "alice"));

            assertThat(engine.accept(failedLogin(3, "alice")))
                    .extracting(f -> f.correlation().meta().name())
                    .containsExactly("many_failures", "brute_force");
        }

        @Test
        void anOuterCorrelationSeesOnlyTheInnerGroupFields() {
            CorrelationEngine engine = new CorrelationEngine(List.of(correlation("per_host", EVENT_COUNT,
                    "many_failures").groupBy("Computer").when("gte", 1).build(), manyFailures), Limits.defaults());

            feed(engine, signal("failed_login", 0, "User", "alice", "Computer", "ws1"),
                    signal("failed_login", 1, "User", "alice", "Computer", "ws1"));

            assertThat(engine.accept(signal("failed_login", 2, "User", "alice", "Computer", "ws1")))
                    .extracting(f -> f.correlation().meta().name()).containsExactly("many_failures");
            assertThat(engine.stats().skippedSignals()).isEqualTo(1);
        }
    }

    @Nested
    class Generate {
        @Test
        void aReferencedRuleAlertsOnItsOwnOnlyWhenACorrelationReferringToItGeneratesIt() {
            CorrelationEngine engine = new CorrelationEngine(List.of(
                    correlation("many_failures", EVENT_COUNT, "failed_login").id("inner-id").when("gte", 3).build(),
                    correlation("brute_force", TEMPORAL_ORDERED, "many_failures", "successful_login").build(),
                    correlation("recon", TEMPORAL, "whoami", "successful_login").generate().build()),
                    Limits.defaults());

            assertThat(engine.generatesOwnAlerts("53ba33fd-3a50-4468-a5ef-c583635cfa92", "failed_login")).isFalse();
            assertThat(engine.generatesOwnAlerts(null, "whoami")).isTrue();
            assertThat(engine.generatesOwnAlerts(null, "successful_login")).isTrue();
            assertThat(engine.generatesOwnAlerts("inner-id", "many_failures")).isFalse();
            assertThat(engine.generatesOwnAlerts(null, "brute_force")).isTrue();
            assertThat(engine.generatesOwnAlerts("some-id", "unreferenced")).isTrue();
        }
    }

    @Nested
    class BoundedMemory {
        @Test
        void aNewGroupBeyondTheLimitEvictsTheLeastRecentlyUpdated() {
            CorrelationEngine engine = engine(new Limits(3, 100),
                    correlation("many_failures", EVENT_COUNT, "failed_login").groupBy("User").when("gte", 3));
            feed(engine, failedLogin(0, "alice"), failedLogin(1, "bob"), failedLogin(2, "carol"),
                    failedLogin(3, "alice"), failedLogin(4, "dave"));

            assertThat(engine.stats().groupEvictions()).isEqualTo(1);
            assertThat(engine.accept(failedLogin(5, "alice"))).hasSize(1);
            assertThat(feed(engine, failedLogin(6, "bob"), failedLogin(7, "bob"))).isEmpty();
            assertThat(engine.stats().groupsHeld()).isEqualTo(3);
        }

        @Test
        void memoryDoesNotGrowWithALongStreamOfUniqueGroupsInOneWindow() {
            CorrelationEngine engine = engine(new Limits(1_000, 10),
                    correlation("many_failures", EVENT_COUNT, "failed_login").groupBy("User").when("gte", 3));

            for (int i = 0; i < 200_000; i++) {
                engine.accept(at("failed_login", T0 + i, "User", "user" + i));
            }

            CorrelationEngine.Stats stats = engine.stats();
            assertThat(stats.groupsHeld()).isEqualTo(1_000);
            assertThat(stats.eventsHeld()).isEqualTo(1_000);
            assertThat(stats.groupEvictions()).isEqualTo(199_000);
            assertThat(stats.signals()).isEqualTo(200_000);
        }

        @Test
        void windowsEvaluatedAtTheirEndAreBoundedToo() {
            CorrelationEngine engine = engine(new Limits(100, 10), correlation("traffic", VALUE_AVG, "connection")
                    .groupBy("SourceIP").field("BytesOut").when("gt", 500));

            for (int i = 0; i < 100_000; i++) {
                engine.accept(at("connection", T0 + i, "SourceIP", "ip" + i, "BytesOut", "900"));
            }

            assertThat(engine.stats().groupsHeld()).isEqualTo(100);
            assertThat(engine.stats().groupEvictions()).isEqualTo(99_900);
            assertThat(engine.advanceTo(Long.MAX_VALUE)).hasSize(100)
                    .allSatisfy(f -> assertThat(f.group().get("SourceIP")).startsWith("ip999"));
        }

        @Test
        void groupsWhoseWindowHasPassedAreDropped() {
            CorrelationEngine engine = engine(
                    correlation("many_failures", EVENT_COUNT, "failed_login").groupBy("User").when("gte", 3));

            for (int i = 0; i < 100_000; i++) {
                engine.accept(failedLogin(i, "user" + i));
            }

            CorrelationEngine.Stats stats = engine.stats();
            assertThat(stats.groupsHeld()).isEqualTo(601); // ten minutes of one new user a second, both ends included
            assertThat(stats.groupExpirations()).isEqualTo(100_000 - 601);
            assertThat(stats.groupEvictions()).isZero();
            assertThat(engine.advanceTo(Long.MAX_VALUE)).isEmpty();
            assertThat(engine.stats().groupsHeld()).isZero();
            assertThat(engine.stats().eventsHeld()).isZero();
        }

        @Test
        void aWindowHoldsAtMostMaxEventsPerGroupDroppingTheOldest() {
            CorrelationEngine engine = engine(new Limits(10, 5),
                    correlation("noisy_then_quiet", TEMPORAL_ORDERED, "recon_a", "recon_b").groupBy("User"));
            for (int i = 0; i < 8; i++) {
                engine.accept(recon("recon_a", i));
            }

            assertThat(engine.stats().eventsHeld()).isEqualTo(5);
            assertThat(engine.stats().droppedEvents()).isEqualTo(3);
            assertThat(engine.accept(recon("recon_b", 8))).singleElement()
                    .satisfies(f -> assertThat(f.eventIds()).containsExactly("e5", "e6", "e7", "e8", "e9"));
        }
    }

    static Stream<Arguments> refusedCorrelations() {
        return Stream.of(
                Arguments.of(correlation("spray", EVENT_COUNT, "failed_login").when("gte", 6),
                        "test.yml: correlation 'spray': needs 6 events in one group's window, but a window holds at"
                                + " most 5 (Limits.maxEventsPerGroup); raise the limit or lower the condition"),
                Arguments.of(correlation("recon", TEMPORAL, "recon_a", "recon_b").when("gt", 2),
                        "test.yml: correlation 'recon': its condition needs 3 distinct rules but it refers to 2;"
                                + " lower the condition or list more rules"),
                Arguments.of(correlation("spray", VALUE_COUNT, "failed_login").when("gte", 3),
                        "test.yml: correlation 'spray': value_count needs the field it aggregates; add it to the"
                                + " condition, e.g. 'field: TargetUserName'"),
                Arguments.of(correlation("spray", EVENT_COUNT, "failed_login"),
                        "test.yml: correlation 'spray': event_count needs a condition that compares, e.g."
                                + " 'condition: {gte: 10}'"),
                Arguments.of(correlation("spray", EVENT_COUNT, "failed_login").when("gte", 3).noTimespan(),
                        "test.yml: correlation 'spray': has no timespan; add one, e.g. 'timespan: 10m'"),
                Arguments.of(correlation("spray", EVENT_COUNT).when("gte", 3),
                        "test.yml: correlation 'spray': refers to no rules; list the ids or names of the correlated"
                                + " rules"),
                Arguments.of(correlation("slow", VALUE_PERCENTILE, "request").field("ms").percentile(101)
                        .when("gt", 3), "test.yml: correlation 'slow': percentile 101 is not a rank from 0 to 100"),
                Arguments.of(correlation("loop", EVENT_COUNT, "loop").when("gte", 3),
                        "test.yml: correlation 'loop': refers to itself through loop -> loop; a correlation cannot"
                                + " correlate its own firings, so remove one of these references"));
    }

    @ParameterizedTest
    @MethodSource("refusedCorrelations")
    void aCorrelationThatCannotBeEvaluatedIsRefusedSayingHowToFixIt(CorrelationBuilder correlation, String message) {
        assertThatThrownBy(() -> engine(new Limits(10, 5), correlation))
                .isInstanceOf(SigmaRuleException.class)
                .hasMessage(message);
    }

    @Test
    void aCycleThroughOtherCorrelationsIsRefused() {
        assertThatThrownBy(() -> new CorrelationEngine(List.of(
                correlation("first", EVENT_COUNT, "second").when("gte", 2).build(),
                correlation("second", TEMPORAL, "first", "login").build()), Limits.defaults()))
                .isInstanceOf(SigmaRuleException.class)
                .hasMessageContaining("first -> second -> first");
    }

    /** The specification's "Failed Logins Followed by Successful Login", read from its YAML. */
    @Nested
    class BruteForceExample {
        private static final String YAML = """
                title: Correlation - Multiple Failed Logins Followed by Successful Login
                id: b180ead8-d58f-40b2-ae54-c8940995b9b6
                status: experimental
                correlation:
                    type: temporal_ordered
                    rules:
                        - multiple_failed_login
                        - successful_login
                    group-by:
                        - User
                    timespan: 10m
                level: high
                ---
                title: Multiple failed logons
                id: a8418a5a-5fc4-46b5-b23b-6c73beb19d41
                name: multiple_failed_login
                correlation:
                    type: event_count
                    rules:
                        - failed_login
                    group-by:
                        - User
                    timespan: 10m
                    condition:
                        gte: 10
                ---
                title: Single failed login
                id: 53ba33fd-3a50-4468-a5ef-c583635cfa92
                name: failed_login
                logsource:
                    product: windows
                    service: security
                detection:
                    selection:
                        EventID:
                            - 529
                            - 4625
                    condition: selection
                ---
                title: Successful login
                id: 4d0a2c83-c62c-4ed4-b475-c7e23a9269b8
                name: successful_login
                logsource:
                    product: windows
                    service: security
                detection:
                    selection:
                        EventID:
                            - 528
                            - 4624
                    condition: selection
                """;
        private static final String FAILED_LOGIN = "53ba33fd-3a50-4468-a5ef-c583635cfa92";
        private static final String SUCCESSFUL_LOGIN = "4d0a2c83-c62c-4ed4-b475-c7e23a9269b8";

        private final CorrelationEngine engine = new CorrelationEngine(
                SigmaParser.parse(YAML, "mr_brute_force.yml").stream()
                        .filter(Correlation.class::isInstance).map(Correlation.class::cast).toList(),
                Limits.defaults());

        @Test
        void tenFailedLoginsThenASuccessfulOneFireTheOuterCorrelation() {
            List<Fired> fired = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                fired.addAll(engine.accept(login(FAILED_LOGIN, "failed_login", i * 30, "alice")));
            }
            fired.addAll(engine.accept(login(SUCCESSFUL_LOGIN, "successful_login", 5 * 60, "alice")));

            assertThat(fired).extracting(f -> f.correlation().meta().reference())
                    .containsExactly("a8418a5a-5fc4-46b5-b23b-6c73beb19d41", "b180ead8-d58f-40b2-ae54-c8940995b9b6");
            assertThat(fired.getLast()).satisfies(f -> {
                assertThat(f.correlation().meta().level()).isEqualTo("high");
                assertThat(f.group()).containsExactly(Map.entry("User", "alice"));
                assertThat(f.eventIds()).hasSize(11).endsWith("e11");
            });
        }

        @Test
        void nineFailedLoginsOrASuccessBeforeTheFailuresDoNot() {
            assertThat(engine.accept(login(SUCCESSFUL_LOGIN, "successful_login", 0, "bob"))).isEmpty();
            for (int i = 1; i <= 9; i++) {
                assertThat(engine.accept(login(FAILED_LOGIN, "failed_login", i, "alice"))).isEmpty();
                assertThat(engine.accept(login(FAILED_LOGIN, "failed_login", i, "bob"))).isEmpty();
            }
            assertThat(engine.accept(login(SUCCESSFUL_LOGIN, "successful_login", 10, "alice"))).isEmpty();

            assertThat(engine.accept(login(FAILED_LOGIN, "failed_login", 11, "bob")))
                    .extracting(f -> f.correlation().meta().name()).containsExactly("multiple_failed_login");
        }

        @Test
        void onlyTheOutermostCorrelationAlerts() {
            assertThat(engine.generatesOwnAlerts(FAILED_LOGIN, "failed_login")).isFalse();
            assertThat(engine.generatesOwnAlerts(SUCCESSFUL_LOGIN, "successful_login")).isFalse();
            assertThat(engine.generatesOwnAlerts("a8418a5a-5fc4-46b5-b23b-6c73beb19d41", "multiple_failed_login"))
                    .isFalse();
            assertThat(engine.generatesOwnAlerts("b180ead8-d58f-40b2-ae54-c8940995b9b6", null)).isTrue();
        }

        private Signal login(String ruleId, String ruleName, long second, String user) {
            return new Signal(ruleId, ruleName, T0 + second * SECOND, Map.of("User", user)::get, nextEventId());
        }
    }

    /** Every correlation example of the specification's test suite is accepted and evaluated. */
    @TestFactory
    Stream<DynamicTest> theSpecificationsExamplesAreEvaluated() throws IOException {
        Path folder = SharedData.require("sigma-specification", "SigmaHQ/sigma-specification")
                .resolve("tests/schema/correlation");
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(p -> p.toString().endsWith(".yml")).sorted().toList().stream()
                    .map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
                        Correlation correlation = (Correlation) SigmaParser.parse(read(file),
                                file.getFileName().toString()).getFirst();
                        CorrelationEngine engine = new CorrelationEngine(List.of(correlation), Limits.defaults());
                        Map<String, String> fields = new LinkedHashMap<>();
                        correlation.groupBy().forEach(field -> fields.put(field, "x"));
                        if (correlation.condition() != null && correlation.condition().field() != null) {
                            fields.put(correlation.condition().field(), "1");
                        }
                        for (String rule : correlation.rules()) {
                            engine.accept(new Signal(null, rule, T0, fields::get, nextEventId()));
                        }
                        engine.advanceTo(Long.MAX_VALUE);

                        assertThat(engine.stats().skippedSignals()).isZero();
                        assertThat(engine.stats().eventsHeld()).isZero();
                    }));
        }
    }

    // ---- helpers

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static CorrelationEngine engine(CorrelationBuilder correlation) {
        return engine(Limits.defaults(), correlation);
    }

    private static CorrelationEngine engine(Limits limits, CorrelationBuilder correlation) {
        return new CorrelationEngine(List.of(correlation.build()), limits);
    }

    private static List<Fired> feed(CorrelationEngine engine, Signal... signals) {
        List<Fired> fired = new ArrayList<>();
        for (Signal signal : signals) {
            fired.addAll(engine.accept(signal));
        }
        return fired;
    }

    private String nextEventId() {
        return "e" + ++eventNumber;
    }

    /** A signal of the rule named {@code rule}, {@code second} seconds after T0, with fields given as name, value. */
    private Signal signal(String rule, long second, String... fieldsAndValues) {
        return at(rule, T0 + second * SECOND, fieldsAndValues);
    }

    private Signal at(String rule, long micros, String... fieldsAndValues) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 0; i < fieldsAndValues.length; i += 2) {
            fields.put(fieldsAndValues[i], fieldsAndValues[i + 1]);
        }
        return new Signal(null, rule, micros, fields::get, nextEventId());
    }

    private Signal failedLogin(long second, String user) {
        return new Signal("53ba33fd-3a50-4468-a5ef-c583635cfa92", "failed_login", T0 + second * SECOND,
                Map.of("User", user)::get, nextEventId());
    }

    private Signal recon(String rule, long second) {
        return signal(rule, second, "User", "alice");
    }

    private static CorrelationBuilder correlation(String name, CorrelationType type, String... rules) {
        return new CorrelationBuilder(name, type, List.of(rules));
    }

    /** Builds correlation records as the parser would, defaulting to group-by User over ten minutes. */
    static final class CorrelationBuilder {
        private final String name;
        private final CorrelationType type;
        private final List<String> rules;
        private String id;
        private List<String> groupBy = List.of("User");
        private Duration timespan = Duration.ofMinutes(10);
        private final Map<String, Map<String, String>> aliases = new LinkedHashMap<>();
        private final Map<String, BigDecimal> comparisons = new LinkedHashMap<>();
        private String field;
        private BigDecimal percentile;
        private boolean generate;

        CorrelationBuilder(String name, CorrelationType type, List<String> rules) {
            this.name = name;
            this.type = type;
            this.rules = rules;
        }

        CorrelationBuilder id(String id) {
            this.id = id;
            return this;
        }

        CorrelationBuilder groupBy(String... fields) {
            this.groupBy = List.of(fields);
            return this;
        }

        CorrelationBuilder within(long minutes) {
            this.timespan = Duration.ofMinutes(minutes);
            return this;
        }

        CorrelationBuilder withinSeconds(long seconds) {
            this.timespan = Duration.ofSeconds(seconds);
            return this;
        }

        CorrelationBuilder noTimespan() {
            this.timespan = null;
            return this;
        }

        CorrelationBuilder when(String comparison, long limit) {
            comparisons.put(comparison, BigDecimal.valueOf(limit));
            return this;
        }

        CorrelationBuilder field(String field) {
            this.field = field;
            return this;
        }

        CorrelationBuilder percentile(long rank) {
            this.percentile = BigDecimal.valueOf(rank);
            return this;
        }

        CorrelationBuilder alias(String alias, String rule, String ruleField) {
            aliases.computeIfAbsent(alias, a -> new LinkedHashMap<>()).put(rule, ruleField);
            return this;
        }

        CorrelationBuilder generate() {
            this.generate = true;
            return this;
        }

        Correlation build() {
            Meta meta = new Meta(id, name, name, null, null, null, List.of(), List.of(), null, null, null, List.of(),
                    "test.yml");
            Threshold condition = comparisons.isEmpty() && field == null ? null
                    : new Threshold(comparisons, field, percentile);
            return new Correlation(meta, type, rules, groupBy, timespan, aliases, condition, generate);
        }

        @Override
        public String toString() {
            return type.sigmaName() + " " + name;
        }
    }
}
