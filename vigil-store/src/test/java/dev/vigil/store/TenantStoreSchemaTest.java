package dev.vigil.store;

import static dev.vigil.store.StoreTesting.batch;
import static dev.vigil.store.StoreTesting.columnType;
import static dev.vigil.store.StoreTesting.event;
import static dev.vigil.store.StoreTesting.fields;
import static dev.vigil.store.StoreTesting.rows;
import static dev.vigil.store.StoreTesting.single;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.Event;
import dev.vigil.store.TableInfo.ColumnInfo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the store shapes its tables from the fields it is given: new columns, widened types, clashing names. */
@DisplayName("A tenant store's schema")
class TenantStoreSchemaTest {
    private static final long TWO_TO_THE_60_PLUS_ONE = (1L << 60) + 1;

    @TempDir
    Path data;

    TenantStore store;

    @BeforeEach
    void open() {
        store = TenantStore.open(data, StoreTesting.ACME, TenantStore.Mode.READ_WRITE);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void aFieldSeenForTheFirstTimeBecomesAColumnOfTheTableView() {
        store.store(batch(event("SysmonEvent", "1", 1, fields("Image", "a.exe"))));
        store.store(batch(event("SysmonEvent", "1", 2, fields("Image", "b.exe", "CommandLine", "b.exe /x"))));

        assertThat(rows(store, "SELECT Image, CommandLine FROM SysmonEvent ORDER BY \"time\""))
                .containsExactly(listOf("a.exe", null), listOf("b.exe", "b.exe /x"));
        assertThat(columnType(store, "SysmonEvent", "CommandLine")).isEqualTo("VARCHAR");
        assertThat(store.tables()).singleElement().satisfies(table -> {
            assertThat(table.name()).isEqualTo("SysmonEvent");
            assertThat(table.rows()).isEqualTo(2);
            assertThat(natives(table)).containsExactly("Image", "CommandLine");
        });
    }

    @Test
    void fieldsKeepTheTypeOfTheirValues() {
        store.store(batch(event("T", "1", 1, fields("Text", "x", "Count", 7L, "Ratio", 0.5, "Flag", true))));

        assertThat(columnType(store, "T", "Text")).isEqualTo("VARCHAR");
        assertThat(columnType(store, "T", "Count")).isEqualTo("BIGINT");
        assertThat(columnType(store, "T", "Ratio")).isEqualTo("DOUBLE");
        assertThat(columnType(store, "T", "Flag")).isEqualTo("BOOLEAN");
        assertThat(rows(store, "SELECT Text, Count, Ratio, Flag FROM T")).containsExactly(listOf("x", 7L, 0.5, true));
    }

    @Test
    void aBigintColumnWidensToDoubleWhenEveryStoredIntegerFitsExactly() {
        store.store(batch(event("T", "1", 1, fields("Size", 5L))));
        store.store(batch(event("T", "1", 2, fields("Size", 2.5))));

        assertThat(columnType(store, "T", "Size")).isEqualTo("DOUBLE");
        assertThat(rows(store, "SELECT Size FROM T ORDER BY \"time\"")).containsExactly(List.of(5.0), List.of(2.5));
    }

    @Test
    void aBigintColumnHoldingAnIntegerPastTwoToThe53BecomesTextWhenADoubleArrives() {
        store.store(batch(event("T", "1", 1, fields("Size", TWO_TO_THE_60_PLUS_ONE))));
        store.store(batch(event("T", "1", 2, fields("Size", 2.5))));

        assertThat(columnType(store, "T", "Size")).isEqualTo("VARCHAR");
        assertThat(rows(store, "SELECT Size FROM T ORDER BY \"time\""))
                .containsExactly(List.of("1152921504606846977"), List.of("2.5"));
    }

    @Test
    void aBigIntegerAndADoubleInOneBatchMakeTextToo() {
        store.store(batch(event("T", "1", 1, fields("Size", TWO_TO_THE_60_PLUS_ONE)),
                event("T", "1", 2, fields("Size", 2.5))));

        assertThat(columnType(store, "T", "Size")).isEqualTo("VARCHAR");
        assertThat(rows(store, "SELECT Size FROM T ORDER BY \"time\""))
                .containsExactly(List.of("1152921504606846977"), List.of("2.5"));
    }

    @Test
    void aBigIntegerAlreadyInABigintColumnIsCheckedAgainstADoubleOfTheSameBatch() {
        store.store(batch(event("T", "1", 1, fields("Size", 1L))));
        store.store(batch(event("T", "1", 2, fields("Size", TWO_TO_THE_60_PLUS_ONE)),
                event("T", "1", 3, fields("Size", 2.5))));

        assertThat(rows(store, "SELECT CAST(Size AS VARCHAR) FROM T ORDER BY \"time\""))
                .containsExactly(List.of("1"), List.of("1152921504606846977"), List.of("2.5"));
    }

    @Test
    void aBooleanColumnBecomesTextWhenTextArrives() {
        store.store(batch(event("T", "1", 1, fields("Flag", true))));
        store.store(batch(event("T", "1", 2, fields("Flag", "maybe"))));

        assertThat(columnType(store, "T", "Flag")).isEqualTo("VARCHAR");
        assertThat(rows(store, "SELECT Flag FROM T ORDER BY \"time\"")).containsExactly(List.of("true"), List.of("maybe"));
    }

    @Test
    void aNativeFieldNamedLikeACommonColumnIsStoredBesideIt() {
        store.store(batch(event("SysmonEvent", "1", 1, fields("User", "CORP\\alice"))));

        assertThat(rows(store, "SELECT \"user\", User_native FROM SysmonEvent"))
                .containsExactly(List.of("user-1", "CORP\\alice"));
        assertThat(store.tables().getFirst().columns()).filteredOn(c -> c.name().equalsIgnoreCase("user")
                        || c.name().equals("User_native"))
                .extracting(ColumnInfo::name, ColumnInfo::kind, ColumnInfo::field)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("user", "common", "user"),
                        org.assertj.core.groups.Tuple.tuple("User_native", "native", "User"));
    }

    @Test
    void spellingsThatDifferOnlyInCaseShareOneColumnNamedAsFirstSeen() {
        store.store(batch(event("SysmonEvent", "1", 1, fields("ProcessId", 4L))));
        store.store(batch(event("SysmonEvent", "3", 2, fields("ProcessID", 8L))));

        assertThat(natives(store.tables().getFirst())).containsExactly("ProcessId");
        assertThat(rows(store, "SELECT ProcessId FROM SysmonEvent ORDER BY \"time\""))
                .containsExactly(List.of(4L), List.of(8L));
    }

    @Test
    void eventCodesOfDifferentShapeLandInSeparatePartitionsThatOneViewQueryReads() {
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String code = String.valueOf(i % 3);
            events.add(event("WideEvent", code, i, wideFields(code, i)));
        }
        store.store(batch(events));

        assertThat(single(store, "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'parts'"))
                .isEqualTo(3L);
        assertThat(single(store, "SELECT count(*) FROM WideEvent")).isEqualTo(30L);
        assertThat(rows(store, "SELECT event_code, count(*), count(F0_0), count(F1_0), count(F2_39) FROM WideEvent"
                + " GROUP BY event_code ORDER BY event_code"))
                .containsExactly(listOf("0", 10L, 10L, 0L, 0L), listOf("1", 10L, 0L, 10L, 0L),
                        listOf("2", 10L, 0L, 0L, 10L));
        assertThat(store.tables()).singleElement().satisfies(t -> assertThat(natives(t)).hasSize(120));
    }

    @Test
    void eventCodesOfSimilarShapeShareAPartition() {
        store.store(batch(event("SysmonEvent", "1", 1, fields("Image", "a", "User", "u")),
                event("SysmonEvent", "3", 2, fields("Image", "a", "DestinationIp", "10.0.0.1"))));

        assertThat(single(store, "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'parts'"))
                .isEqualTo(1L);
        assertThat(single(store, "SELECT count(*) FROM SysmonEvent")).isEqualTo(2L);
    }

    @Test
    void theSchemaIsReadBackWhenTheStoreIsReopened() {
        store.store(batch(event("T", "1", 1, fields("Size", 5L, "ProcessId", 1L))));
        store.close();
        store = TenantStore.open(data, StoreTesting.ACME, TenantStore.Mode.READ_WRITE);

        store.store(batch(event("T", "1", 2, fields("Size", 2.5, "PROCESSID", 2L, "Extra", "new"))));

        assertThat(columnType(store, "T", "Size")).isEqualTo("DOUBLE");
        assertThat(natives(store.tables().getFirst())).containsExactly("Size", "ProcessId", "Extra");
        assertThat(rows(store, "SELECT Size, ProcessId, Extra FROM T ORDER BY \"time\""))
                .containsExactly(listOf(5.0, 1L, null), listOf(2.5, 2L, "new"));
    }

    /** 40 fields whose names depend on the code, so that two codes cannot share a partition of 48 columns. */
    private static Map<String, Object> wideFields(String code, int sequence) {
        Map<String, Object> fields = new java.util.LinkedHashMap<>();
        for (int f = 0; f < 40; f++) {
            fields.put("F" + code + "_" + f, "v" + sequence);
        }
        return fields;
    }

    private static List<String> natives(TableInfo table) {
        return table.columns().stream().filter(c -> c.kind().equals("native")).map(ColumnInfo::name).toList();
    }

    /** A list that, unlike List.of, may hold nulls. */
    static List<Object> listOf(Object... values) {
        return java.util.Arrays.asList(values);
    }
}
