package dev.vigil.store;

import static dev.vigil.store.StoreTesting.ACME;
import static dev.vigil.store.StoreTesting.batch;
import static dev.vigil.store.StoreTesting.event;
import static dev.vigil.store.StoreTesting.fields;
import static dev.vigil.store.StoreTesting.single;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.vigil.model.ErrorCode;
import dev.vigil.model.TenantId;
import dev.vigil.model.VigilException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code vigil sql} runs on a store opened read-only: reads work, and nothing else does, whether the guard or DuckDB
 * refuses it. The store is built once; no statement below may change it.
 */
@DisplayName("A read-only tenant store's queries")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TenantStoreQueryTest {
    @TempDir
    static Path data;

    TenantStore store;

    @BeforeAll
    void seed() {
        try (TenantStore writer = TenantStore.open(data, ACME, TenantStore.Mode.READ_WRITE)) {
            writer.store(batch(event("SysmonEvent", "1", 1, fields("Image", "a.exe")),
                    event("SysmonEvent", "1", 2, fields("Image", "b.exe"))));
        }
        store = TenantStore.open(data, ACME, TenantStore.Mode.READ_ONLY);
    }

    @AfterAll
    void close() {
        store.close();
        assertThat(Path.of("/tmp/vigil-ro-test.db")).doesNotExist();
        assertThat(Path.of("/tmp/vigil-ro-test.csv")).doesNotExist();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            INSERT INTO SysmonEvent (Image) VALUES ('x')                          | QUERY_NOT_READ_ONLY
            UPDATE SysmonEvent SET Image = 'x'                                    | QUERY_NOT_READ_ONLY
            DELETE FROM SysmonEvent                                               | QUERY_NOT_READ_ONLY
            CREATE TABLE t (x INTEGER)                                            | QUERY_NOT_READ_ONLY
            CREATE TEMP TABLE t AS SELECT 1                                       | QUERY_NOT_READ_ONLY
            DROP VIEW SysmonEvent                                                 | QUERY_NOT_READ_ONLY
            ALTER VIEW SysmonEvent RENAME TO x                                    | QUERY_NOT_READ_ONLY
            ATTACH '/tmp/vigil-ro-test.db' AS other                               | QUERY_NOT_READ_ONLY
            DETACH other                                                          | QUERY_NOT_READ_ONLY
            COPY (SELECT * FROM SysmonEvent) TO '/tmp/vigil-ro-test.csv'          | QUERY_NOT_READ_ONLY
            EXPORT DATABASE '/tmp/vigil-ro-export'                                | QUERY_NOT_READ_ONLY
            INSTALL httpfs                                                        | QUERY_NOT_READ_ONLY
            LOAD httpfs                                                           | QUERY_NOT_READ_ONLY
            SET enable_external_access = true                                     | QUERY_NOT_READ_ONLY
            RESET lock_configuration                                              | QUERY_NOT_READ_ONLY
            PRAGMA enable_profiling                                               | QUERY_NOT_READ_ONLY
            PRAGMA enable_external_access                                         | QUERY_NOT_READ_ONLY
            CALL enable_logging()                                                 | QUERY_NOT_READ_ONLY
            CHECKPOINT                                                            | QUERY_NOT_READ_ONLY
            VACUUM                                                                | QUERY_NOT_READ_ONLY
            DELETE FROM vigil_events                                              | QUERY_NOT_READ_ONLY
            /* a comment first */ DELETE FROM vigil_events                        | QUERY_NOT_READ_ONLY
            (DELETE FROM vigil_events)                                            | QUERY_NOT_READ_ONLY
            SELECT 1; DELETE FROM vigil_events                                    | QUERY_NOT_READ_ONLY
            WITH x AS (SELECT 1) DELETE FROM vigil_events                         | QUERY_NOT_READ_ONLY
            EXPLAIN ANALYZE DELETE FROM vigil_events                              | QUERY_NOT_READ_ONLY
            EXPLAIN ANALYZE INSERT INTO vigil_events SELECT * FROM vigil_events   | QUERY_NOT_READ_ONLY
            SELECT * FROM read_csv('/etc/passwd')                                 | QUERY_NOT_READ_ONLY
            FROM read_text('/etc/passwd')                                         | QUERY_NOT_READ_ONLY
            SELECT * FROM '/etc/passwd'                                           | TABLE_NOT_FOUND
            SELECT * FROM read_json_auto('/etc/hostname')                         | QUERY_NOT_READ_ONLY
            SELECT * FROM read_parquet('https://example.com/x.parquet')           | QUERY_NOT_READ_ONLY
            """)
    void refusesEveryStatementThatIsNotARead(String statement, ErrorCode expected) {

        VigilException refusal = catchThrowableOfType(VigilException.class, () -> store.query(statement, 10));

        assertThat(refusal).as("refusal of %s", statement).isNotNull();
        assertThat(refusal.code()).as("code for %s (%s)", statement, refusal.getMessage()).isEqualTo(expected);
        assertThat(single(store, "SELECT count(*) FROM SysmonEvent")).isEqualTo(2L);
        assertThat(single(store, "SELECT count(*) FROM vigil_events")).isEqualTo(2L);
    }

    @Test
    void refusesAWriteBehindALineComment() {
        VigilException refusal = catchThrowableOfType(VigilException.class,
                () -> store.query("-- tidy up\nDELETE FROM vigil_events", 10));

        assertThat(refusal.code()).isEqualTo(ErrorCode.QUERY_NOT_READ_ONLY);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT count(*) FROM SysmonEvent",
            "  select count(*) from sysmonevent",
            "/* how many */ SELECT count(*) FROM SysmonEvent",
            "-- how many\nSELECT count(*) FROM SysmonEvent",
            "WITH s AS (SELECT * FROM SysmonEvent) SELECT count(*) FROM s",
            "FROM SysmonEvent SELECT count(*)",
            "(SELECT count(*) FROM SysmonEvent)"})
    void answersReads(String sql) {
        assertThat(single(store, sql)).isEqualTo(2L);
    }

    @ParameterizedTest
    @ValueSource(strings = {"DESCRIBE SysmonEvent", "SHOW TABLES", "SUMMARIZE SysmonEvent",
            "EXPLAIN SELECT * FROM SysmonEvent", "PRAGMA table_info('SysmonEvent')", "PRAGMA version",
            "VALUES (1), (2)", "TABLE SysmonEvent"})
    void answersOtherReadingStatements(String sql) {
        assertThat(store.query(sql, 100).columns()).isNotEmpty();
    }

    @Test
    void stopsAtMaxRowsAndSaysSo() {
        QueryResult result = store.query("SELECT Image FROM SysmonEvent ORDER BY Image", 1);

        assertThat(result.rows()).containsExactly(List.of("a.exe"));
        assertThat(result.truncated()).isTrue();
        assertThat(result.columns()).containsExactly("Image");
        assertThat(store.query("SELECT Image FROM SysmonEvent", 2).truncated()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"SELECT * FROM SysmonEvent WHERE", "SELECT nosuchcolumn FROM SysmonEvent",
            "SELECT 'unterminated FROM SysmonEvent"})
    void aBrokenQueryIsInvalid(String sql) {
        VigilException error = catchThrowableOfType(VigilException.class, () -> store.query(sql, 10));

        assertThat(error).as("error for %s", sql).isNotNull();
        assertThat(error.code()).as("code for %s (%s)", sql, error.getMessage()).isEqualTo(ErrorCode.QUERY_INVALID);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "-- only a comment"})
    void anEmptyQueryIsInvalidOrRefused(String sql) {
        VigilException error = catchThrowableOfType(VigilException.class, () -> store.query(sql, 10));

        assertThat(error).isNotNull();
        assertThat(error.code()).isIn(ErrorCode.QUERY_INVALID, ErrorCode.QUERY_NOT_READ_ONLY);
    }

    @Test
    void anUnknownTableIsNotFound() {
        VigilException error = catchThrowableOfType(VigilException.class, () -> store.query("SELECT * FROM NoSuchTable", 10));

        assertThat(error.code()).isEqualTo(ErrorCode.TABLE_NOT_FOUND);
        assertThat(error.getMessage()).contains("NoSuchTable");
    }

    @Test
    void aTenantWithoutDataCannotBeOpenedReadOnlyAndIsNotCreated() {
        TenantId empty = TenantId.of("empty");

        VigilException error = catchThrowableOfType(VigilException.class,
                () -> TenantStore.open(data, empty, TenantStore.Mode.READ_ONLY));

        assertThat(error.code()).isEqualTo(ErrorCode.TABLE_NOT_FOUND);
        assertThat(error.getMessage()).contains("empty");
        assertThat(Files.exists(data.resolve("tenants").resolve("empty").resolve("events.duckdb"))).isFalse();
    }
}
