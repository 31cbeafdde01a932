package dev.vigil.ingest;

/**
 * The bounds that keep a hostile input from exhausting memory or time. A record past a bound is quarantined with the
 * bound's name; nothing past it is buffered.
 *
 * @param maxRecordBytes the largest record, in bytes (default 1 MiB)
 * @param maxNestingDepth the deepest JSON nesting (default 64)
 * @param maxFieldsPerRecord the most fields one record may have after flattening (default 1000)
 * @param batchSize how many records are handed to the store at once (default 10,000)
 * @param maxBatchBytes how many bytes of raw records a batch may hold before it is handed over even if it has fewer
 *     records (default 32 MiB), so that a run of large records cannot fill the heap
 * @param commitRecords how many records are committed together at most (default 131,072): past DuckDB's row-group
 *     size (122,880) the store writes compressed row groups straight to its file instead of through its log
 */
public record IngestLimits(int maxRecordBytes, int maxNestingDepth, int maxFieldsPerRecord, int batchSize,
        int commitRecords, int maxBatchBytes) {
    public static final IngestLimits DEFAULTS = new IngestLimits(1 << 20, 64, 1000, 10_000, 131_072, 32 << 20);

    public IngestLimits {
        check("max-record-bytes", maxRecordBytes, 64, Integer.MAX_VALUE / 2);
        check("max-nesting-depth", maxNestingDepth, 2, 10_000);
        check("max-fields-per-record", maxFieldsPerRecord, 1, 100_000);
        check("batch-size", batchSize, 1, 1_000_000);
        check("commit-records", commitRecords, 1, 100_000_000);
        check("max-batch-bytes", maxBatchBytes, 1 << 16, 1 << 30);
    }

    private static void check(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException("ingest." + name + " must be between " + min + " and " + max
                    + " but is " + value);
        }
    }
}
