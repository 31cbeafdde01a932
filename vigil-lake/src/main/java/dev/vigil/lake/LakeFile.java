package dev.vigil.lake;

import static java.util.Objects.requireNonNull;

import dev.vigil.model.TenantId;
import java.time.LocalDate;

/**
 * A complete Parquet file of the lake.
 *
 * @param location its absolute path, or its object-storage URL
 */
public record LakeFile(TenantId tenant, String table, LocalDate day, String location, long rows, long bytes) {
    public LakeFile {
        requireNonNull(tenant, "tenant is null");
        requireNonNull(table, "table is null");
        requireNonNull(day, "day is null");
        requireNonNull(location, "location is null");
    }
}
