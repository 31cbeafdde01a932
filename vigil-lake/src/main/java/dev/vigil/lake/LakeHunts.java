package dev.vigil.lake;

import static java.util.Objects.requireNonNull;

import dev.vigil.model.ErrorCode;
import dev.vigil.model.TenantId;
import dev.vigil.model.VigilException;
import dev.vigil.query.DuckDbDialect;
import dev.vigil.query.HuntCatalog;
import dev.vigil.query.KqlCompiler;
import dev.vigil.query.KqlType;
import dev.vigil.store.HuntRunner;
import dev.vigil.store.QueryResult;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
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
import java.util.stream.Collectors;
import org.duckdb.DuckDBConnection;

/**
 * Hunting over one tenant's part of the lake with DuckDB: each of the tenant's tables becomes a view over
 * {@code read_parquet(..., hive_partitioning = true, union_by_name = true)} of that tenant's files only, and the
 * hunting language compiles to DuckDB SQL over those views exactly as it does over the embedded store.
 *
 * <p>Tenancy is in the paths, not in a predicate a query could drop: the views name only files under
 * {@code tenant=T/} (or, in object storage, a glob rooted there), and once they exist the connection is locked to
 * that folder ({@code allowed_directories}, no other external access, configuration locked), so no SQL on it can
 * open another tenant's files. The files are a {@link LakeSnapshot} taken when this object is made; make a new one to
 * see later writes. Confined to one thread.
 */
public final class LakeHunts implements LakeHuntEngine {
    private final LakeLayout layout;
    private final TenantId tenant;
    private final LakeSnapshot snapshot;
    private final DuckDBConnection connection;
    private final HuntCatalog catalog;

    /** Over every table of the tenant (a local lake). */
    public LakeHunts(LakeLayout layout, TenantId tenant) {
        this(layout, tenant, null);
    }

    /** Over the named tables of the tenant, or all of them when {@code tables} is null (a local lake only). */
    public LakeHunts(LakeLayout layout, TenantId tenant, List<String> tables) {
        this.layout = requireNonNull(layout, "layout is null");
        this.tenant = requireNonNull(tenant, "tenant is null");
        this.snapshot = LakeSnapshot.of(layout, tenant, tables);
        this.connection = LakeDuckDb.open(layout);
        try {
            try (Statement statement = connection.createStatement()) {
                for (LakeSnapshot.Table table : snapshot.tables().values()) {
                    statement.execute("CREATE VIEW " + LakeDuckDb.quote(table.name()) + " AS SELECT * FROM "
                            + readParquet(table.paths()));
                }
                if (layout.isLocal()) {
                    statement.execute("SET allowed_directories = [" + LakeDuckDb.literal(
                            layout.tenantLocation(tenant) + "/") + "]");
                    statement.execute("SET enable_external_access = false");
                    statement.execute("SET lock_configuration = true");
                }
            }
            this.catalog = readCatalog();
        } catch (SQLException e) {
            close();
            throw new VigilException(ErrorCode.LAKE_FAILED, "reading the lake " + layout + " for tenant " + tenant
                    + " failed: " + LakeDuckDb.firstLine(e.getMessage()), e);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The read_parquet call over the paths, with the partition columns typed from the path. */
    static String readParquet(List<String> paths) {
        return "read_parquet([" + paths.stream().map(LakeDuckDb::literal).collect(Collectors.joining(", "))
                + "], hive_partitioning = true, union_by_name = true,"
                + " hive_types = {'tenant': VARCHAR, 'table': VARCHAR, 'day': DATE})";
    }

    public TenantId tenant() {
        return tenant;
    }

    @Override
    public String engine() {
        return "duckdb";
    }

    public LakeSnapshot snapshot() {
        return snapshot;
    }

    /** The tenant's lake tables with their native field names and types, as the compiler sees them. */
    public HuntCatalog catalog() {
        return catalog;
    }

    @Override
    public KqlCompiler.Compiled compile(String kql, Map<String, Object> parameters) {
        return new KqlCompiler(catalog, DuckDbDialect.INSTANCE).compile(kql, tenant.value(), parameters);
    }

    @Override
    public HuntRunner.Result run(String kql, Map<String, Object> parameters, HuntRunner.Limits limits) {
        KqlCompiler.Compiled compiled = compile(kql, parameters);
        return new HuntRunner.Result(compiled, execute(compiled.sql(), limits));
    }

    /** Runs compiled SQL under the limits: at most maxRows rows, cancelled past the timeout. */
    public QueryResult execute(String sql, HuntRunner.Limits limits) {
        long start = System.nanoTime();
        AtomicBoolean timedOut = new AtomicBoolean();
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "lake-hunt-timeout");
            thread.setDaemon(true);
            return thread;
        });
        try (Statement statement = connection.createStatement()) {
            ScheduledFuture<?> cancel = timer.schedule(() -> {
                timedOut.set(true);
                try {
                    statement.cancel();
                } catch (SQLException ignored) {
                    // the query ended meanwhile
                }
            }, limits.timeout().toMillis(), TimeUnit.MILLISECONDS);
            statement.setMaxRows(limits.maxRows() + 1);
            try (ResultSet rows = statement.executeQuery(sql)) {
                QueryResult result = QueryResult.read(rows, limits.maxRows(), start);
                cancel.cancel(false);
                return result;
            }
        } catch (SQLException e) {
            if (timedOut.get()) {
                throw new VigilException(ErrorCode.QUERY_LIMIT, "the query ran longer than the timeout of "
                        + limits.timeout().toSeconds() + " s and was cancelled", "Narrow the query (a time range,"
                        + " fewer joins), or raise --timeout.", e);
            }
            throw new VigilException(ErrorCode.QUERY_INVALID, "the hunt failed on the lake: "
                    + LakeDuckDb.firstLine(e.getMessage()), e);
        } finally {
            timer.shutdownNow();
        }
    }

    private HuntCatalog readCatalog() throws SQLException {
        Map<String, List<HuntCatalog.Column>> tables = new LinkedHashMap<>();
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT table_name, column_name, data_type"
                        + " FROM information_schema.columns WHERE table_schema = 'main'"
                        + " ORDER BY table_name, ordinal_position")) {
            while (rows.next()) {
                tables.computeIfAbsent(rows.getString(1), t -> new ArrayList<>()).add(new HuntCatalog.Column(
                        LakeWriter.fieldName(rows.getString(2)), rows.getString(2), type(rows.getString(3))));
            }
        }
        List<HuntCatalog.Table> result = new ArrayList<>();
        tables.forEach((name, columns) -> result.add(new HuntCatalog.Table(name, columns)));
        return HuntCatalog.of(result);
    }

    /** The hunting language's type of a DuckDB (or Parquet) column type. */
    static KqlType type(String sqlType) {
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

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            throw new VigilException(ErrorCode.LAKE_FAILED, "closing the lake reader failed: " + e.getMessage(), e);
        }
    }
}
