package dev.vigil.lake;

import static java.util.Objects.requireNonNull;

import dev.vigil.model.ErrorCode;
import dev.vigil.model.TenantId;
import dev.vigil.model.VigilException;
import dev.vigil.store.TenantStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;
import java.sql.SQLException;
import java.sql.Statement;
import org.duckdb.DuckDBConnection;

/**
 * Tenant stores over the lake, for the readers of a node that keeps no events of its own ({@code vigil serve --mode
 * scale}): an in-memory DuckDB whose views, one per table of the tenant, read that tenant's Parquet files
 * ({@link LakeSnapshot}, taken when the store is opened), wrapped as a read-only {@link TenantStore}
 * ({@link TenantStore#overEventViews}). Whatever reads events through a tenant store (the hunting language's
 * {@code HuntRunner}, SQL reads, the copilot's skills over events, table listings, event scans) reads the lake
 * unchanged.
 *
 * <p>The views are the embedded store's tables as far as readers can tell: the same table names, {@code event_id}
 * as a UUID, {@code tenant} and {@code table} from the path, the common columns, {@code raw}, {@code source},
 * {@code ingested_at} and the native fields (a field whose name clashes with a fixed column is {@code NAME_native}
 * in the files and shows as {@code NAME} in the catalog, as in the embedded store). The partition column {@code day}
 * is left out, and {@code extra_fields} does not exist (the lake gives every field its own column).
 *
 * <p>Tenancy is the lake's: the views name only files under {@code tenant=T/}, and the connection is then locked
 * to that folder ({@code allowed_directories}, no other external access, configuration locked), as
 * {@link LakeHunts} does.
 *
 * <p>A local lake (a folder, possibly a shared file system mounted on every node) is read where it is. An
 * object-storage lake ({@code s3://}) is read through a local copy of each tenant's files ({@link LakeMirror}) that
 * the S3 client keeps current, listing the tenant's objects at most every few seconds; DuckDB reads the copy, so no
 * DuckDB extension is needed.
 *
 * <p>The stores one instance opens for a tenant share its prevalence baseline ({@link TenantStore.Baselines}), which
 * the incident view computes from every event of the tenant: once per day, or when the events grew by a tenth.
 */
public final class LakeStores implements AutoCloseable {
    /** How long an object-storage lake's listing of a tenant stands: writes reach readers within it. */
    static final Duration LISTING = Duration.ofSeconds(5);
    /** Each tenant's prevalence baseline, computed from its views once and shared by the stores opened after. */
    private final java.util.concurrent.ConcurrentMap<TenantId, TenantStore.Baselines> baselines =
            new java.util.concurrent.ConcurrentHashMap<>();

    private final LakeLayout layout;
    /** The local copy of an object-storage lake; null for a local one. */
    private final LakeMirror mirror;

    /**
     * Stores over a local lake, or over an object-storage one copied under {@code java.io.tmpdir}, its keys read
     * from the process's environment.
     */
    public LakeStores(LakeLayout layout) {
        this(layout, defaultCopy(layout), System::getenv);
    }

    /**
     * @param copy where an object-storage lake's tenants are copied for DuckDB (unused for a local lake)
     * @param environment the S3 keys' variables, for an object-storage lake
     */
    public LakeStores(LakeLayout layout, Path copy, Function<String, String> environment) {
        this.layout = requireNonNull(layout, "layout is null");
        this.mirror = layout.isLocal() ? null : new LakeMirror(layout, copy, environment, LISTING,
                java.time.Clock.systemUTC());
    }

    private static Path defaultCopy(LakeLayout layout) {
        return Path.of(System.getProperty("java.io.tmpdir"), "vigil-lake-copy",
                Integer.toHexString(layout.root().hashCode()));
    }

    public LakeLayout layout() {
        return layout;
    }

    /**
     * Lists the lake's root, so that a node finds a wrong root or missing access when it starts rather than at its
     * first read.
     *
     * @throws VigilException {@code LAKE_FAILED} when an object-storage lake cannot be listed
     */
    public void check() {
        if (mirror != null) {
            mirror.reachable();
        }
    }

    /**
     * A read-only store over the tenant's tables as they are in the lake now. The caller closes it; later writes to
     * the lake are seen by the next store opened.
     *
     * @throws VigilException {@code LAKE_FAILED} when the lake cannot be read
     */
    public TenantStore open(TenantId tenant) {
        requireNonNull(tenant, "tenant is null");
        LakeLayout read = layout;
        if (mirror != null) {
            mirror.sync(tenant);
            read = mirror.local();
        }
        LakeSnapshot snapshot = LakeSnapshot.of(read, tenant, null);
        DuckDBConnection connection = LakeDuckDb.open(read);
        try {
            try (Statement statement = connection.createStatement()) {
                for (LakeSnapshot.Table table : snapshot.tables().values()) {
                    statement.execute("CREATE VIEW " + LakeDuckDb.quote(table.name()) + " AS SELECT * EXCLUDE (day)"
                            + " REPLACE (CAST(event_id AS UUID) AS event_id) FROM "
                            + LakeHunts.readParquet(table.paths()));
                }
                statement.execute("SET allowed_directories = [" + LakeDuckDb.literal(read.tenantLocation(tenant)
                        + "/") + "]");
                statement.execute("SET enable_external_access = false");
                statement.execute("SET lock_configuration = true");
            }
        } catch (SQLException e) {
            closeQuietly(connection);
            throw new VigilException(ErrorCode.LAKE_FAILED, "reading the lake " + read + " for tenant " + tenant
                    + " failed: " + LakeDuckDb.firstLine(e.getMessage()), e);
        } catch (RuntimeException e) {
            closeQuietly(connection);
            throw e;
        }
        return TenantStore.overEventViews(tenant, connection, Path.of(read.tenantLocation(tenant)),
                LakeWriter::fieldName, "a scale-mode node reads only the events in the lake",
                baselines.computeIfAbsent(tenant, t -> new TenantStore.Baselines()));
    }

    private static void closeQuietly(DuckDBConnection connection) {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // the failure that brought us here is what the caller reports
        }
    }

    @Override
    public void close() {
        if (mirror != null) {
            mirror.close();
        }
    }
}
