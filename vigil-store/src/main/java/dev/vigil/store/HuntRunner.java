package dev.vigil.store;

import static java.util.Objects.requireNonNull;

import dev.vigil.model.ErrorCode;
import dev.vigil.model.VigilException;
import dev.vigil.query.DuckDbDialect;
import dev.vigil.query.HuntCatalog;
import dev.vigil.query.KqlCompiler;
import dev.vigil.query.KqlType;
import dev.vigil.query.TimeWindow;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.duckdb.DuckDBConnection;

/**
 * Runs hunting queries (KQL) over one tenant's store: the tenant's tables become the compiler's
 * {@link HuntCatalog} (from the store's own catalog of native field names), the compiled SQL runs as a single
 * read-only SELECT, and the limits hold: at most {@code maxRows} rows come back (the rest is reported as cut), a
 * query running past the timeout is cancelled, and one that needs more memory than the store allows fails; both
 * failures raise {@link ErrorCode#QUERY_LIMIT} naming the limit.
 */
public final class HuntRunner {
    /** The limits of one run. */
    public record Limits(int maxRows, Duration timeout) {
        public Limits {
            if (maxRows < 1) {
                throw new IllegalArgumentException("maxRows must be at least 1, not " + maxRows);
            }
            requireNonNull(timeout, "timeout is null");
        }

        public static Limits defaults() {
            return new Limits(10_000, Duration.ofSeconds(60));
        }
    }

    /** A query's compilation and its rows. */
    public record Result(KqlCompiler.Compiled compiled, QueryResult rows) {}

    private final TenantStore store;
    private final HuntCatalog catalog;

    public HuntRunner(TenantStore store) {
        this.store = requireNonNull(store, "store is null");
        this.catalog = store.huntCatalog(() -> readCatalog(store));
    }

    public HuntCatalog catalog() {
        return catalog;
    }

    /** Parses and compiles without running; throws the query's first error. */
    public KqlCompiler.Compiled compile(String kql, Map<String, Object> parameters) {
        return new KqlCompiler(catalog, DuckDbDialect.INSTANCE).compile(kql, store.tenant().value(), parameters);
    }

    /** Compiles for a scheduled run over a time window (see {@link KqlCompiler#compile(String, String, Map, TimeWindow)}). */
    public KqlCompiler.Compiled compile(String kql, Map<String, Object> parameters, TimeWindow window) {
        return new KqlCompiler(catalog, DuckDbDialect.INSTANCE).compile(kql, store.tenant().value(), parameters, window);
    }

    public Result run(String kql, Map<String, Object> parameters, Limits limits) {
        KqlCompiler.Compiled compiled = compile(kql, parameters);
        return new Result(compiled, execute(compiled.sql(), limits));
    }

    /** Runs compiled SQL under the limits. */
    public QueryResult execute(String sql, Limits limits) {
        ReadOnlySql.check(sql);
        long start = System.nanoTime();
        AtomicBoolean timedOut = new AtomicBoolean();
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "hunt-timeout");
            thread.setDaemon(true);
            return thread;
        });
        try (Statement statement = store.huntConnection().createStatement()) {
            ScheduledFuture<?> cancel = timer.schedule(() -> {
                timedOut.set(true);
                try {
                    statement.cancel();
                } catch (SQLException ignored) {
                    // the query ended meanwhile
                }
            }, limits.timeout().toMillis(), TimeUnit.MILLISECONDS);
            statement.setMaxRows(limits.maxRows() + 1);
            try (ResultSet rs = statement.executeQuery(sql)) {
                QueryResult result = QueryResult.read(rs, limits.maxRows(), start);
                cancel.cancel(false);
                return result;
            }
        } catch (SQLException e) {
            String message = TenantStore.firstLine(e.getMessage());
            if (timedOut.get() || message.toLowerCase(Locale.ROOT).contains("interrupt")) {
                throw new VigilException(ErrorCode.QUERY_LIMIT, "the query ran longer than the timeout of "
                        + limits.timeout().toSeconds() + " s and was cancelled", "Narrow the query (a time range with "
                        + "where Timestamp > ago(1d), fewer joins), or raise --timeout.", e);
            }
            if (message.contains("Out of Memory") || message.toLowerCase(Locale.ROOT).contains("memory limit")) {
                throw new VigilException(ErrorCode.QUERY_LIMIT, "the query needed more memory than the store's limit: "
                        + message, "Summarize earlier in the query or narrow its time range, or raise the memory "
                        + "limit (hunt.memory-limit).", e);
            }
            throw ReadOnlySql.translate(sql, e);
        } finally {
            timer.shutdownNow();
        }
    }

    /** The tenant's event tables with their native field names and types, as the compiler sees them. */
    static HuntCatalog readCatalog(TenantStore store) {
        DuckDBConnection connection = store.huntConnection();
        Map<String, List<HuntCatalog.Column>> tables = new LinkedHashMap<>();
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("""
                        SELECT c.table_name, c.column_name, c.data_type FROM information_schema.columns c
                        JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
                        WHERE c.table_schema = 'main' AND t.table_type = 'VIEW'
                        ORDER BY c.table_name, c.ordinal_position""")) {
            while (rows.next()) {
                tables.computeIfAbsent(rows.getString(1), t -> new ArrayList<>()).add(new HuntCatalog.Column(
                        rows.getString(2), rows.getString(2), type(rows.getString(3))));
            }
        } catch (SQLException e) {
            throw new VigilException(ErrorCode.STORE_FAILED, "reading the catalog of " + store.file() + " failed: "
                    + TenantStore.firstLine(e.getMessage()), e);
        }
        List<HuntCatalog.Table> result = new ArrayList<>();
        for (Map.Entry<String, List<HuntCatalog.Column>> entry : tables.entrySet()) {
            Map<String, String> fields = store.fieldsByColumn(entry.getKey());
            List<HuntCatalog.Column> columns = new ArrayList<>();
            for (HuntCatalog.Column column : entry.getValue()) {
                String field = fields.get(column.sqlName().toLowerCase(Locale.ROOT));
                columns.add(new HuntCatalog.Column(field == null ? column.sqlName() : field, column.sqlName(), column.type()));
            }
            result.add(new HuntCatalog.Table(entry.getKey(), columns));
        }
        return HuntCatalog.of(result);
    }

    private static KqlType type(String sqlType) {
        String type = sqlType.toUpperCase(Locale.ROOT);
        if (type.startsWith("TIMESTAMP") || type.equals("DATE")) {
            return KqlType.DATETIME;
        }
        return switch (type) {
            case "BIGINT", "INTEGER", "SMALLINT", "TINYINT", "UBIGINT", "UINTEGER", "HUGEINT" -> KqlType.LONG;
            case "DOUBLE", "FLOAT", "REAL" -> KqlType.REAL;
            case "BOOLEAN" -> KqlType.BOOL;
            case "JSON" -> KqlType.DYNAMIC;
            case "INTERVAL" -> KqlType.TIMESPAN;
            default -> type.startsWith("DECIMAL") ? KqlType.REAL : KqlType.STRING;
        };
    }
}
