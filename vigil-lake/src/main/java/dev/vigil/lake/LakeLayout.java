package dev.vigil.lake;

import static java.util.Objects.requireNonNull;

import dev.vigil.config.LakeSettings;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.TenantId;
import dev.vigil.model.VigilException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.regex.Pattern;

/**
 * Where the lake keeps what: {@code ROOT/tenant=T/table=X/day=YYYY-MM-DD/part-*.parquet}, Hive-style, so DuckDB and
 * Spark both read the partition values from the path. Only files named {@code part-*.parquet} are data; a file being
 * written is {@code .tmp-*} and a compaction in progress leaves a {@code _compaction-*.json} journal beside its
 * partition's files.
 *
 * <p>Tenant ids and table names are checked before they go into a path (a tenant id is {@code [a-z0-9][a-z0-9_-]*},
 * a table name {@code [A-Za-z][A-Za-z0-9_]*}), so neither can climb out of its folder or widen a glob.
 */
public final class LakeLayout {
    static final String QUARANTINE_TABLE = "_quarantine";
    private static final Pattern TABLE = Pattern.compile("_?[A-Za-z][A-Za-z0-9_]{0,63}");

    private final LakeSettings settings;
    private final String root;

    public LakeLayout(LakeSettings settings) {
        this.settings = requireNonNull(settings, "settings is null");
        String text = settings.root();
        this.root = text.endsWith("/") && text.length() > 1 ? text.substring(0, text.length() - 1) : text;
    }

    /** A layout for in-memory DuckDB work that touches no lake (the writer's own connection). */
    static LakeLayout local() {
        return new LakeLayout(LakeSettings.local(System.getProperty("java.io.tmpdir")));
    }

    public LakeSettings settings() {
        return settings;
    }

    public boolean isLocal() {
        return !settings.isObjectStorage();
    }

    /** The root as a local folder; only for a local lake. */
    public Path localRoot() {
        if (!isLocal()) {
            throw new IllegalStateException("the lake " + root + " is in object storage, not a local folder");
        }
        return Path.of(root).toAbsolutePath();
    }

    /** The root as DuckDB and Spark address it: an absolute folder or the object-storage URL. */
    public String root() {
        return isLocal() ? localRoot().toString() : root;
    }

    /** The tenant's folder: everything of the tenant and nothing else is under it. */
    public String tenantLocation(TenantId tenant) {
        return root() + "/tenant=" + tenant.value();
    }

    public String tableLocation(TenantId tenant, String table) {
        return tenantLocation(tenant) + "/table=" + checkTable(table);
    }

    public String partitionLocation(TenantId tenant, String table, LocalDate day) {
        return tableLocation(tenant, table) + "/day=" + day;
    }

    static String checkTable(String table) {
        if (!TABLE.matcher(table).matches()) {
            throw new VigilException(ErrorCode.TABLE_NOT_FOUND, "'" + table + "' is not a lake table name: a table is"
                    + " named by letters, digits and '_', starting with a letter");
        }
        return table;
    }

    /** Whether a file name is a complete data file ({@code part-*.parquet}). */
    public static boolean isDataFile(String fileName) {
        return fileName.startsWith("part-") && fileName.endsWith(".parquet");
    }

    @Override
    public String toString() {
        return root();
    }
}
