package dev.vigil.lake;

import static java.util.Objects.requireNonNull;

import dev.vigil.model.ErrorCode;
import dev.vigil.model.TenantId;
import dev.vigil.model.VigilException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.duckdb.DuckDBConnection;

/**
 * Merges the small Parquet files of each partition into files of about {@code lake.target-file-mb}, keeping one row
 * per event id (so a batch delivered twice is stored once after compaction) and sorting rows by time.
 *
 * <p>Atomic and idempotent. For each group of inputs it writes the merged file as {@code .tmp-*} and checks its row
 * count, writes a {@link CompactionJournal} naming output and inputs, renames the output into place (from that moment
 * readers see the output instead of the inputs), deletes the inputs, then the journal. A crash at any point leaves the
 * lake reading exactly as before or exactly as after, and the next compaction (or {@link #recover}) finishes or undoes
 * the interrupted one: an in-place output's inputs are deleted, an output never renamed is discarded with its journal.
 * Compacting again finds nothing left to merge.
 *
 * <p>One compaction runs at a time per lake (a lock on {@code ROOT/.compaction.lock}); writers may keep writing
 * meanwhile, since a merge only takes the files it listed and recovery leaves a writer's recent temporary files alone.
 *
 * <p>Only a local lake is compacted: object storage cannot rename, so an output and its inputs would be visible
 * together.
 */
public final class LakeCompactor implements AutoCloseable {
    /** The figures of one run. */
    public record Result(int partitions, int filesIn, int filesOut, long rowsIn, long rowsOut, long bytesIn,
            long bytesOut, int recovered) {}

    /** The steps of one merge, in order; tests stop a compaction at each to prove it crash-safe. */
    enum Step { MERGED, JOURNALED, PUBLISHED, INPUTS_DELETED }

    /** Called after each step; a test's hook throws to simulate a crash there. */
    interface StepHook {
        void after(Step step, Path partition);
    }

    /** The prefix of a merge's output before it is published (a writer's files are {@code .tmp-*} otherwise). */
    static final String TEMPORARY = ".tmp-compaction-";
    /** A writer's temporary file this old belongs to a writer that died: writing one file takes seconds. */
    static final Duration ORPHAN_AGE = Duration.ofHours(1);

    private final LakeLayout layout;
    private final DuckDBConnection connection;
    private final StepHook hook;
    private final FileChannel lockFile;
    private final FileLock lock;

    public LakeCompactor(LakeLayout layout) {
        this(layout, (step, partition) -> { });
    }

    LakeCompactor(LakeLayout layout, StepHook hook) {
        this.layout = requireNonNull(layout, "layout is null");
        this.hook = requireNonNull(hook, "hook is null");
        if (!layout.isLocal()) {
            throw new VigilException(ErrorCode.USAGE, "the lake " + layout + " is in object storage, where files"
                    + " cannot be renamed atomically, so Vigil does not compact it",
                    "Compact a local lake (lake.root set to a folder), or size the writers' commits"
                            + " (ingest.commit-records) so that files come out large.", null);
        }
        try {
            Files.createDirectories(layout.localRoot());
            this.lockFile = FileChannel.open(layout.localRoot().resolve(".compaction.lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            this.lock = tryLock(lockFile);
        } catch (IOException e) {
            throw new VigilException(ErrorCode.LAKE_FAILED, "cannot lock the lake " + layout + " for compaction: " + e, e);
        }
        if (lock == null) {
            closeQuietly(lockFile);
            throw new VigilException(ErrorCode.STORE_LOCKED, "another compaction of the lake " + layout + " is running",
                    "Let it finish; compactions of one lake run one at a time.", null);
        }
        this.connection = LakeDuckDb.open(layout);
    }

    /** The lock, or null when another process, or another compactor of this process, holds it. */
    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (java.nio.channels.OverlappingFileLockException e) {
            return null;
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing more to release
        }
    }

    /** Compacts every partition of every tenant. */
    public Result compactAll() {
        Result total = new Result(0, 0, 0, 0, 0, 0, 0, 0);
        for (Path tenant : LakeSnapshot.children(layout.localRoot(), "tenant=")) {
            total = add(total, compact(TenantId.of(tenant.getFileName().toString().substring("tenant=".length()))));
        }
        return total;
    }

    /** Compacts every partition of the tenant. */
    public Result compact(TenantId tenant) {
        Result total = new Result(0, 0, 0, 0, 0, 0, 0, 0);
        for (Path table : LakeSnapshot.children(Path.of(layout.tenantLocation(tenant)), "table=")) {
            for (Path day : LakeSnapshot.children(table, "day=")) {
                total = add(total, compactPartition(day));
            }
        }
        return total;
    }

    /**
     * Finishes or undoes an interrupted compaction of the partition, and deletes files whose writing never finished;
     * returns how many journals and unfinished files it found.
     */
    public int recover(Path partition) {
        int recovered = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(partition)) {
            List<Path> journals = new ArrayList<>();
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (CompactionJournal.isJournal(name)) {
                    journals.add(entry);
                } else if (name.startsWith(TEMPORARY) || name.startsWith(".tmp-")
                        && Files.getLastModifiedTime(entry).toInstant().isBefore(Instant.now().minus(ORPHAN_AGE))) {
                    // a merge that never finished, or a writer's file left by a crash (a live writer's is recent)
                    Files.deleteIfExists(entry);
                    recovered++;
                }
            }
            for (Path journalFile : journals) {
                CompactionJournal journal = CompactionJournal.read(journalFile);
                if (journal != null && Files.exists(partition.resolve(journal.output()))) {
                    for (String input : journal.inputs()) {
                        Files.deleteIfExists(partition.resolve(input));
                    }
                }
                Files.deleteIfExists(journalFile);
                recovered++;
            }
            if (recovered > 0) {
                LakeWriter.forceFolder(partition);
            }
        } catch (IOException e) {
            throw new VigilException(ErrorCode.LAKE_FAILED, "recovering the compaction of " + partition + " failed: "
                    + e, e);
        }
        return recovered;
    }

    private Result compactPartition(Path partition) {
        int recovered = recover(partition);
        List<Path> small = new ArrayList<>();
        long target = layout.settings().targetFileBytes();
        for (Path file : LakeSnapshot.dataFiles(partition)) {
            if (size(file) < target) {
                small.add(file);
            }
        }
        // groups of inputs of about the target size, in name (that is, write) order
        List<List<Path>> groups = new ArrayList<>();
        List<Path> group = new ArrayList<>();
        long groupBytes = 0;
        for (Path file : small) {
            group.add(file);
            groupBytes += size(file);
            if (groupBytes >= target) {
                groups.add(group);
                group = new ArrayList<>();
                groupBytes = 0;
            }
        }
        groups.add(group);
        Result result = new Result(0, 0, 0, 0, 0, 0, 0, recovered);
        for (List<Path> inputs : groups) {
            if (inputs.size() >= 2) {
                result = add(result, merge(partition, inputs));
            }
        }
        return result;
    }

    private Result merge(Path partition, List<Path> inputs) {
        boolean quarantine = partition.getParent().getFileName().toString()
                .equals("table=" + LakeLayout.QUARANTINE_TABLE);
        String key = quarantine ? "id" : "event_id";
        String order = quarantine ? "quarantined_at" : "\"time\"";
        String files = inputs.stream().map(p -> LakeDuckDb.literal(p.toString())).collect(Collectors.joining(", "));
        String source = "read_parquet([" + files + "], union_by_name = true, hive_partitioning = false)";
        String name = "part-" + String.format("%013d", System.currentTimeMillis()) + "-" + UUID.randomUUID() + ".parquet";
        Path output = partition.resolve(name);
        Path temporary = partition.resolve(TEMPORARY + name);
        Path journalFile = partition.resolve(CompactionJournal.PREFIX + UUID.randomUUID() + CompactionJournal.SUFFIX);
        try {
            long rowsIn = count("SELECT count(*) FROM " + source);
            long distinct = count("SELECT count(DISTINCT " + key + ") FROM " + source);
            long bytesIn = inputs.stream().mapToLong(LakeCompactor::size).sum();
            execute("COPY (SELECT * FROM " + source + " QUALIFY row_number() OVER (PARTITION BY " + key + ") = 1"
                    + " ORDER BY " + order + ") TO " + LakeDuckDb.literal(temporary.toString())
                    + " (FORMAT parquet, COMPRESSION zstd)");
            long rowsOut = count("SELECT count(*) FROM read_parquet(" + LakeDuckDb.literal(temporary.toString()) + ")");
            if (rowsOut != distinct) {
                throw new VigilException(ErrorCode.LAKE_FAILED, "the merge of " + inputs.size() + " files in "
                        + partition + " wrote " + rowsOut + " rows for " + distinct + " distinct events; the inputs"
                        + " are left as they are");
            }
            hook.after(Step.MERGED, partition);
            new CompactionJournal(name, inputs.stream().map(p -> p.getFileName().toString()).toList()).write(journalFile);
            hook.after(Step.JOURNALED, partition);
            LakeWriter.publish(temporary, output);
            hook.after(Step.PUBLISHED, partition);
            for (Path input : inputs) {
                Files.deleteIfExists(input);
            }
            LakeWriter.forceFolder(partition);
            hook.after(Step.INPUTS_DELETED, partition);
            Files.deleteIfExists(journalFile);
            return new Result(1, inputs.size(), 1, rowsIn, rowsOut, bytesIn, size(output), 0);
        } catch (SQLException e) {
            deleteQuietly(temporary);
            deleteQuietly(journalFile);
            throw new VigilException(ErrorCode.LAKE_FAILED, "compacting " + partition + " failed: "
                    + LakeDuckDb.firstLine(e.getMessage()), e);
        } catch (IOException e) {
            throw new VigilException(ErrorCode.LAKE_FAILED, "compacting " + partition + " failed: " + e, e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // recovery deletes it later
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private long count(String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private void execute(String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static Result add(Result a, Result b) {
        return new Result(a.partitions() + b.partitions(), a.filesIn() + b.filesIn(), a.filesOut() + b.filesOut(),
                a.rowsIn() + b.rowsIn(), a.rowsOut() + b.rowsOut(), a.bytesIn() + b.bytesIn(),
                a.bytesOut() + b.bytesOut(), a.recovered() + b.recovered());
    }

    @Override
    public void close() {
        closeQuietly(lockFile); // releases the lock
        try {
            connection.close();
        } catch (SQLException e) {
            throw new VigilException(ErrorCode.LAKE_FAILED, "closing the compactor failed: " + e.getMessage(), e);
        }
    }
}
