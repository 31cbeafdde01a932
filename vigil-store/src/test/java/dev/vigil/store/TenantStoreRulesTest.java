package dev.vigil.store;

import static dev.vigil.store.StoreTesting.ACME;
import static dev.vigil.store.StoreTesting.GLOBEX;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.model.ErrorCode;
import dev.vigil.model.VigilException;
import dev.vigil.sigma.RuleSet;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tenant's rule set in the store: files and their documents, replaced on re-import, enabled and disabled. */
@DisplayName("A tenant store's rules")
class TenantStoreRulesTest {
    private static final String FILE_A = "rules/a.yml";
    private static final String FILE_B = "rules/b.yml";

    @TempDir
    Path data;

    TenantStore store;

    @BeforeEach
    void open() {
        store = TenantStore.open(data, ACME, TenantStore.Mode.READ_WRITE);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void rowsComeBackAsTheyWereStoredOnceCommitted() {
        store.putRuleFile(FILE_A, "yaml of a", List.of(active("r1", FILE_A, "SysmonEvent", "SecurityEvent"),
                inactive("r2", FILE_A, "no table holds okta events")));
        store.commit();
        store.close();
        store = TenantStore.open(data, ACME, TenantStore.Mode.READ_ONLY);

        List<RuleRow> rows = store.rules();

        assertThat(rows).extracting(RuleRow::ref).containsExactly("r1", "r2");
        RuleRow r1 = rows.get(0);
        assertThat(r1).usingRecursiveComparison().ignoringFields("importedAt")
                .isEqualTo(active("r1", FILE_A, "SysmonEvent", "SecurityEvent"));
        assertThat(r1.importedAt()).isNotNull();
        assertThat(rows.get(1).state()).isEqualTo(RuleRow.State.INACTIVE);
        assertThat(rows.get(1).reason()).isEqualTo("no table holds okta events");
        assertThat(rows.get(1).tables()).isEmpty();
    }

    @Test
    void uncommittedRulesAreNotKept() {
        store.putRuleFile(FILE_A, "yaml of a", List.of(active("r1", FILE_A, "SysmonEvent")));
        store.close();
        store = TenantStore.open(data, ACME, TenantStore.Mode.READ_WRITE);

        assertThat(store.rules()).isEmpty();
    }

    @Test
    void reImportingAFileReplacesItsRowsAndKeepsWhatTheUserSetAndTheStatistics() {
        store.putRuleFile(FILE_A, "v1", List.of(active("r1", FILE_A, "SysmonEvent"), active("r2", FILE_A, "SysmonEvent")));
        store.setEnabled(List.of("r1"), false);
        store.addRuleStats(List.of(new RuleSet.RuleStats("r1", 10, 2, 500)));
        store.commit();

        RuleRow renamed = RuleRow.imported("r1", RuleRow.Kind.RULE, "Renamed", "critical", "stable", FILE_A,
                List.of("SecurityEvent"), RuleRow.State.ACTIVE, "");
        store.putRuleFile(FILE_A, "v2", List.of(renamed));
        store.commit();

        assertThat(store.rules()).singleElement().satisfies(row -> {
            assertThat(row.ref()).isEqualTo("r1");
            assertThat(row.title()).isEqualTo("Renamed");
            assertThat(row.level()).isEqualTo("critical");
            assertThat(row.tables()).containsExactly("SecurityEvent");
            assertThat(row.enabled()).isFalse();
            assertThat(row.hits()).isEqualTo(2);
            assertThat(row.evaluations()).isEqualTo(10);
        });
        assertThat(store.enabledRuleFiles()).isEmpty();
    }

    @Test
    void aFileDefiningARefAnotherFileHadTakesItOver() {
        store.putRuleFile(FILE_A, "yaml of a", List.of(active("r1", FILE_A, "SysmonEvent")));
        store.putRuleFile(FILE_B, "yaml of b", List.of(active("r1", FILE_B, "SysmonEvent"),
                active("r3", FILE_B, "SysmonEvent")));
        store.commit();

        assertThat(store.rules()).extracting(r -> r.source() + " " + r.ref())
                .containsExactly(FILE_B + " r1", FILE_B + " r3");
        assertThat(store.enabledRuleFiles()).containsOnlyKeys(FILE_B);
    }

    @Test
    void enabledFilesAreThoseWithAnEnabledDocumentThatDidNotFail() {
        store.putRuleFile(FILE_A, "yaml of a", List.of(active("r1", FILE_A, "SysmonEvent"),
                active("r2", FILE_A, "SysmonEvent")));
        store.putRuleFile(FILE_B, "yaml of b", List.of(RuleRow.imported("broken", RuleRow.Kind.RULE, "Broken", "high",
                "test", FILE_B, List.of(), RuleRow.State.FAILED, "unknown modifier 'contain'")));
        store.putRuleFile("rules/c.yml", "yaml of c", List.of(inactive("okta", "rules/c.yml", "no okta table")));
        store.commit();

        assertThat(store.enabledRuleFiles()).isEqualTo(Map.of(FILE_A, "yaml of a", "rules/c.yml", "yaml of c"));
        assertThat(store.setEnabled(List.of("r1"), false)).isEqualTo(1);
        assertThat(store.disabledRuleRefs()).containsExactly("r1");
        assertThat(store.enabledRuleFiles()).containsKey(FILE_A);

        assertThat(store.setEnabled(List.of("r2", "r1"), false)).as("r1 was disabled already").isEqualTo(1);
        assertThat(store.disabledRuleRefs()).containsExactly("r1", "r2");
        assertThat(store.enabledRuleFiles()).doesNotContainKey(FILE_A);

        assertThat(store.setEnabled(List.of("r1"), true)).isEqualTo(1);
        assertThat(store.disabledRuleRefs()).containsExactly("r2");
    }

    @Test
    void enablingAnUnknownRefNamesItAndChangesNothing() {
        store.putRuleFile(FILE_A, "yaml of a", List.of(active("r1", FILE_A, "SysmonEvent")));
        store.commit();

        assertThatThrownBy(() -> store.setEnabled(List.of("r1", "nope"), false))
                .isInstanceOfSatisfying(VigilException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.RULE_NOT_FOUND))
                .hasMessageContaining("'nope'").hasMessageContaining("acme");
        assertThat(store.disabledRuleRefs()).isEmpty();
    }

    @Test
    void statisticsAccumulateWithTheMeanCostWeightedByEvaluations() {
        store.putRuleFile(FILE_A, "yaml of a", List.of(active("r1", FILE_A, "SysmonEvent"),
                active("r2", FILE_A, "SysmonEvent")));
        store.addRuleStats(List.of(new RuleSet.RuleStats("r1", 100, 3, 1000), new RuleSet.RuleStats("r2", 0, 0, 0),
                new RuleSet.RuleStats("gone", 5, 5, 5)));
        store.addRuleStats(List.of(new RuleSet.RuleStats("r1", 300, 1, 2000)));
        store.commit();

        assertThat(store.rules()).filteredOn(r -> r.ref().equals("r1")).singleElement().satisfies(row -> {
            assertThat(row.evaluations()).isEqualTo(400);
            assertThat(row.hits()).isEqualTo(4);
            assertThat(row.meanNanos()).isCloseTo(1750, within(0.001));
        });
        assertThat(store.rules()).filteredOn(r -> r.ref().equals("r2")).singleElement()
                .satisfies(row -> assertThat(row.evaluations()).isZero());
    }

    @Test
    void anotherTenantHasItsOwnRules() {
        store.putRuleFile(FILE_A, "yaml of a", List.of(active("r1", FILE_A, "SysmonEvent")));
        store.commit();

        try (TenantStore globex = TenantStore.open(data, GLOBEX, TenantStore.Mode.READ_WRITE)) {
            assertThat(globex.rules()).isEmpty();
            assertThat(globex.enabledRuleFiles()).isEmpty();
            assertThatThrownBy(() -> globex.setEnabled(List.of("r1"), false))
                    .isInstanceOfSatisfying(VigilException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.RULE_NOT_FOUND));
        }
    }

    @Test
    void rowsMustBeDocumentsOfTheFile() {
        assertThatThrownBy(() -> store.putRuleFile(FILE_A, "yaml", List.of(active("r1", FILE_B, "SysmonEvent"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(FILE_B);
        assertThatThrownBy(() -> store.putRuleFile(FILE_A, "yaml", List.of(active("r1", FILE_A, "SysmonEvent"),
                active("r1", FILE_A, "SecurityEvent")))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.putRuleFiles(List.of(new RuleFile(FILE_A, "a", List.of(active("r1", FILE_A))),
                new RuleFile(FILE_B, "b", List.of(active("r1", FILE_B)))))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(FILE_A).hasMessageContaining(FILE_B);
        assertThat(store.rules()).isEmpty();
    }

    private static RuleRow active(String ref, String source, String... tables) {
        return RuleRow.imported(ref, RuleRow.Kind.RULE, "Rule " + ref, "high", "test", source, List.of(tables),
                RuleRow.State.ACTIVE, "");
    }

    private static RuleRow inactive(String ref, String source, String reason) {
        return RuleRow.imported(ref, RuleRow.Kind.RULE, "Rule " + ref, "medium", "test", source, List.of(),
                RuleRow.State.INACTIVE, reason);
    }
}
