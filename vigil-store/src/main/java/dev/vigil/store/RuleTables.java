package dev.vigil.store;

import static java.util.Objects.requireNonNull;

import dev.vigil.sigma.RuleSet;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * The tenant's Sigma rule set: the imported files as written ({@code vigil_rule_files}) and one row per document
 * ({@code vigil_rules}) with its state, whether it is enabled, and its accumulated statistics. Written within the
 * caller's transaction.
 *
 * <p>A ref names one document per tenant. Importing a file replaces the rows of that file and takes over the refs it
 * defines from any other file; a file left without rows is removed, and a file without documents is not kept. A re-imported document keeps its enabled flag and
 * its statistics, so an update of a rule pack does not re-enable what the user switched off.
 */
final class RuleTables {
    private static final String COLUMNS = "rule_ref, kind, title, level, status, source, enabled, tables, state,"
            + " reason, hits, evaluations, mean_nanos, imported_at";
    private static final String SELECT = "SELECT rule_ref, kind, title, level, status, source, enabled, tables, state,"
            + " reason, hits, evaluations, mean_nanos, epoch_us(imported_at) FROM vigil_rules";

    private final DuckDBConnection connection;

    RuleTables(DuckDBConnection connection) {
        this.connection = requireNonNull(connection, "connection is null");
    }

    static void createSchema(Statement statement) throws SQLException {
        statement.execute("""
                CREATE TABLE IF NOT EXISTS vigil_rule_files (
                    source VARCHAR NOT NULL, yaml VARCHAR NOT NULL, imported_at TIMESTAMPTZ NOT NULL)""");
        statement.execute("""
                CREATE TABLE IF NOT EXISTS vigil_rules (
                    rule_ref VARCHAR NOT NULL, kind VARCHAR NOT NULL, title VARCHAR NOT NULL, level VARCHAR NOT NULL,
                    status VARCHAR NOT NULL, source VARCHAR NOT NULL, enabled BOOLEAN NOT NULL, tables VARCHAR NOT NULL,
                    state VARCHAR NOT NULL, reason VARCHAR NOT NULL, hits BIGINT NOT NULL, evaluations BIGINT NOT NULL,
                    mean_nanos DOUBLE NOT NULL, imported_at TIMESTAMPTZ NOT NULL)""");
        // imports and statistics are staged here and merged set-wise, rather than a few statements per rule
        statement.execute("CREATE TEMPORARY TABLE IF NOT EXISTS batch_rule_files AS SELECT source, yaml"
                + " FROM vigil_rule_files LIMIT 0");
        statement.execute("CREATE TEMPORARY TABLE IF NOT EXISTS batch_rules AS SELECT " + COLUMNS.replace(
                ", imported_at", "") + " FROM vigil_rules LIMIT 0");
        statement.execute("""
                CREATE TEMPORARY TABLE IF NOT EXISTS batch_rule_stats (
                    rule_ref VARCHAR, evaluations BIGINT, hits BIGINT, mean_nanos DOUBLE)""");
    }

    /**
     * Stores the files and their rows (refs unique across all of them: the caller checked) set-wise: staged, merged
     * with what the stored rows of the same refs keep, then swapped in with one statement per table.
     */
    void put(List<RuleFile> files) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("DELETE FROM temp.batch_rule_files");
            statement.execute("DELETE FROM temp.batch_rules");
        }
        try (DuckDBAppender appender = connection.createAppender("temp", "main", "batch_rule_files")) {
            for (RuleFile file : files) {
                appender.beginRow().append(file.source()).append(file.yaml()).endRow();
            }
        }
        try (DuckDBAppender appender = connection.createAppender("temp", "main", "batch_rules")) {
            for (RuleFile file : files) {
                for (RuleRow row : file.rows()) {
                    appender.beginRow().append(row.ref()).append(row.kind().id()).append(row.title())
                            .append(row.level()).append(row.status()).append(file.source()).append(row.enabled())
                            .append(String.join(",", row.tables())).append(row.state().id()).append(row.reason())
                            .append(row.hits()).append(row.evaluations()).append(row.meanNanos()).endRow();
                }
            }
        }
        try (Statement statement = connection.createStatement()) {
            // a document stored before keeps what the user set and what it has counted
            statement.executeUpdate("""
                    UPDATE temp.batch_rules AS b SET enabled = r.enabled, hits = r.hits,
                        evaluations = r.evaluations, mean_nanos = r.mean_nanos
                    FROM vigil_rules r WHERE r.rule_ref = b.rule_ref""");
            statement.executeUpdate("""
                    DELETE FROM vigil_rules
                    WHERE source IN (SELECT source FROM temp.batch_rule_files)
                       OR rule_ref IN (SELECT rule_ref FROM temp.batch_rules)""");
            statement.executeUpdate("DELETE FROM vigil_rule_files WHERE source IN (SELECT source FROM"
                    + " temp.batch_rule_files)");
            statement.executeUpdate("INSERT INTO vigil_rule_files (source, yaml, imported_at)"
                    + " SELECT source, yaml, now() FROM temp.batch_rule_files");
            statement.executeUpdate("INSERT INTO vigil_rules (" + COLUMNS + ") SELECT " + COLUMNS.replace(
                    "imported_at", "now()") + " FROM temp.batch_rules");
            // files whose every ref another file took over, or that hold no document
            statement.executeUpdate("DELETE FROM vigil_rule_files f WHERE NOT EXISTS"
                    + " (SELECT 1 FROM vigil_rules r WHERE r.source = f.source)");
        }
    }

    List<RuleRow> list() throws SQLException {
        List<RuleRow> rows = new ArrayList<>();
        try (Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(SELECT + " ORDER BY source, rule_ref")) {
            while (result.next()) {
                rows.add(row(result));
            }
        }
        return rows;
    }

    private static RuleRow row(ResultSet result) throws SQLException {
        String tables = result.getString(8);
        return new RuleRow(result.getString(1), RuleRow.Kind.fromId(result.getString(2)), result.getString(3),
                result.getString(4), result.getString(5), result.getString(6), result.getBoolean(7),
                tables.isEmpty() ? List.of() : Arrays.asList(tables.split(",")),
                RuleRow.State.fromId(result.getString(9)), result.getString(10), result.getLong(11),
                result.getLong(12), result.getDouble(13),
                Instant.EPOCH.plus(result.getLong(14), ChronoUnit.MICROS));
    }

    Map<String, String> enabledFiles() throws SQLException {
        Map<String, String> files = new LinkedHashMap<>();
        try (Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("""
                        SELECT f.source, f.yaml FROM vigil_rule_files f
                        WHERE EXISTS (SELECT 1 FROM vigil_rules r
                                      WHERE r.source = f.source AND r.enabled AND r.state <> 'failed')
                        ORDER BY f.source""")) {
            while (result.next()) {
                files.put(result.getString(1), result.getString(2));
            }
        }
        return files;
    }

    /**
     * A fingerprint of what detection loads: every document's ref, source, enabled flag, state and import time, and
     * the files'; it changes with every import, enable, disable or removal, and not with statistics.
     */
    String version() throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("""
                        SELECT (SELECT coalesce(md5(string_agg(rule_ref || '|' || source || '|' || enabled || '|'
                                    || state || '|' || CAST(imported_at AS VARCHAR), ',' ORDER BY rule_ref, source)),
                                    '') FROM vigil_rules)
                            || '/' || (SELECT count(*) || '|' || coalesce(CAST(max(imported_at) AS VARCHAR), '')
                                    FROM vigil_rule_files)""")) {
            result.next();
            return result.getString(1);
        }
    }

    Set<String> disabledRefs() throws SQLException {
        Set<String> refs = new LinkedHashSet<>();
        try (Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(
                        "SELECT rule_ref FROM vigil_rules WHERE NOT enabled ORDER BY rule_ref")) {
            while (result.next()) {
                refs.add(result.getString(1));
            }
        }
        return refs;
    }

    /** Sets the flag of the refs (all of which the caller checked are stored); returns how many changed. */
    int setEnabled(Collection<String> refs, boolean enabled) throws SQLException {
        Set<String> wanted = new LinkedHashSet<>(refs);
        if (wanted.isEmpty()) {
            return 0;
        }
        try (PreparedStatement update = connection.prepareStatement("UPDATE vigil_rules SET enabled = ?"
                + " WHERE enabled <> ? AND rule_ref IN (" + placeholders(wanted.size()) + ")")) {
            update.setBoolean(1, enabled);
            update.setBoolean(2, enabled);
            int i = 3;
            for (String ref : wanted) {
                update.setString(i++, ref);
            }
            return update.executeUpdate();
        }
    }

    void addStats(List<RuleSet.RuleStats> stats) throws SQLException {
        Map<String, double[]> byRule = new LinkedHashMap<>(); // evaluations, hits, total sampled nanos
        for (RuleSet.RuleStats s : stats) {
            if (s.evaluations() == 0) {
                continue;
            }
            double[] sum = byRule.computeIfAbsent(s.ruleId(), k -> new double[3]);
            sum[0] += s.evaluations();
            sum[1] += s.hits();
            sum[2] += s.meanNanos() * s.evaluations();
        }
        if (byRule.isEmpty()) {
            return;
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("DELETE FROM temp.batch_rule_stats");
        }
        try (DuckDBAppender appender = connection.createAppender("temp", "main", "batch_rule_stats")) {
            for (Map.Entry<String, double[]> entry : byRule.entrySet()) {
                double[] sum = entry.getValue();
                appender.beginRow().append(entry.getKey()).append((long) sum[0]).append((long) sum[1])
                        .append(sum[2] / sum[0]).endRow();
            }
        }
        try (Statement statement = connection.createStatement()) {
            // the mean cost is weighted by the evaluations behind each side
            statement.executeUpdate("""
                    UPDATE vigil_rules AS r SET
                        mean_nanos = (r.mean_nanos * r.evaluations + s.mean_nanos * s.evaluations)
                                     / (r.evaluations + s.evaluations),
                        evaluations = r.evaluations + s.evaluations,
                        hits = r.hits + s.hits
                    FROM temp.batch_rule_stats s WHERE r.rule_ref = s.rule_ref""");
        }
    }

    private static String placeholders(int count) {
        return "?, ".repeat(count - 1) + "?";
    }
}
