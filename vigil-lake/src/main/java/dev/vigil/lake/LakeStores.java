package dev.vigil.lake;

import static java.util.Objects.requireNonNull;

import dev.vigil.model.ErrorCode;
import dev.vigil.model.TenantId;
import dev.vigil.model.VigilException;
import dev.vigil.store.TenantStore;
import java.nio.file.Path;
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
 * {@link LakeHunts} does. Only a local lake (a folder, possibly a shared file system mounted on every node) is
 * read this way: an object-storage lake cannot list a tenant's tables here yet.
 *
 * <p>The stores one instance opens for a tenant share its prevalence baseline ({@link TenantStore.Baselines}), which
 * the incident view computes from every event of the tenant: once per day, or when the events grew by a tenth.
 */
public final class LakeStores {
    private final LakeLayout layout;
    /** Each tenant's prevalence baseline, computed from its views once and shared by the stores opened after. */
    private final java.util.concurrent.ConcurrentMap<TenantId, TenantStore.Baselines> baselines =
            new java.util.concurrent.ConcurrentHashMap<>();

    public LakeStores(LakeLayout layout) {
        this.layout = requireNonNull(layout, "layout is null");
        if (!layout.isLocal()) {
            throw new VigilException(ErrorCode.CONFIG_INVALID, "lake.root " + layout.root() + " is in object storage,"
                    + " which a scale-mode node cannot read yet: it lists each tenant's tables from the lake's folders",
                    "Mount the lake on every API node as a shared folder (NFS, EFS, a CSI volume) and set lake.root to"
                            + " that folder; `vigil lake hunt --table T` reads object storage in the meantime.", null);
        }
    }

    public LakeLayout layout() {
        return layout;
    }

    /**
     * A read-only store over the tenant's tables as they are in the lake now. The caller closes it; later writes to
     * the lake are seen by the next store opened.
     *
     * @throws VigilException {@code LAKE_FAILED} when the lake cannot be read
     */
    public TenantStore open(TenantId tenant) {
        requireNonNull(tenant, "tenant is null");
        LakeSnapshot snapshot = LakeSnapshot.of(layout, tenant, null);
        DuckDBConnection connection = LakeDuckDb.open(layout);
        try {
            try (Statement statement = connection.createStatement()) {
                for (LakeSnapshot.Table table : snapshot.tables().values()) {
                    statement.execute("CREATE VIEW " + LakeDuckDb.quote(table.name()) + " AS SELECT * EXCLUDE (day)"
                            + " REPLACE (CAST(event_id AS UUID) AS event_id) FROM "
                            + LakeHunts.readParquet(table.paths()));
                }
                statement.execute("SET allowed_directories = [" + LakeDuckDb.literal(layout.tenantLocation(tenant)
                        + "/") + "]");
                statement.execute("SET enable_external_access = false");
                statement.execute("SET lock_configuration = true");
            }
        } catch (SQLException e) {
            closeQuietly(connection);
            throw new VigilException(ErrorCode.LAKE_FAILED, "reading the lake " + layout + " for tenant " + tenant
                    + " failed: " + LakeDuckDb.firstLine(e.getMessage()), e);
        } catch (RuntimeException e) {
            closeQuietly(connection);
            throw e;
        }
        return TenantStore.overEventViews(tenant, connection, Path.of(layout.tenantLocation(tenant)),
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
}
