package dev.vigil.lake;

import static java.util.Objects.requireNonNull;

import dev.vigil.model.ErrorCode;
import dev.vigil.model.TenantId;
import dev.vigil.model.VigilException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The complete files of one tenant's tables at one moment, which a hunt reads. Only the tenant's own folder is
 * listed, so nothing of another tenant can get in.
 *
 * <p>A local lake is listed file by file: a file is in the snapshot when it is a {@code part-*.parquet}, unless a
 * compaction journal beside it names it as an input of an output that is already in place (the output holds its
 * rows). That keeps a reader exact during a compaction and after a crash in one. An object-storage lake is read
 * through a glob over the tenant's table folder instead (its compaction is not offered, so there is no journal).
 */
public final class LakeSnapshot {
    /**
     * One table's files.
     *
     * @param files the data files (absolute paths) of a local lake; empty for object storage
     * @param glob the glob of the table's files for object storage; null for a local lake
     */
    public record Table(String name, String location, List<String> files, String glob) {
        public Table {
            requireNonNull(name, "name is null");
            requireNonNull(location, "location is null");
            files = List.copyOf(files);
        }

        /** What DuckDB's read_parquet and Spark's reader take: the files, or the glob. */
        public List<String> paths() {
            return glob == null ? files : List.of(glob);
        }
    }

    private final TenantId tenant;
    private final Map<String, Table> tables;

    private LakeSnapshot(TenantId tenant, Map<String, Table> tables) {
        this.tenant = tenant;
        this.tables = tables;
    }

    /**
     * The tenant's tables now. For object storage, {@code tableNames} must name the tables (a bucket is not listed
     * here); for a local lake it may be null for every table in the tenant's folder.
     */
    public static LakeSnapshot of(LakeLayout layout, TenantId tenant, List<String> tableNames) {
        requireNonNull(layout, "layout is null");
        requireNonNull(tenant, "tenant is null");
        Map<String, Table> tables = new LinkedHashMap<>();
        if (!layout.isLocal()) {
            if (tableNames == null) {
                throw new VigilException(ErrorCode.USAGE, "an object-storage lake is read by table: name the tables"
                        + " to read (--table)");
            }
            for (String name : tableNames) {
                String location = layout.tableLocation(tenant, name);
                tables.put(name, new Table(name, location, List.of(), location + "/*/part-*.parquet"));
            }
            return new LakeSnapshot(tenant, tables);
        }
        Path tenantFolder = Path.of(layout.tenantLocation(tenant));
        Set<String> wanted = tableNames == null ? null : new HashSet<>(tableNames);
        for (Path tableFolder : children(tenantFolder, "table=")) {
            String name = tableFolder.getFileName().toString().substring("table=".length());
            if (name.startsWith("_") || wanted != null && !wanted.contains(name)) {
                continue;
            }
            List<String> files = new ArrayList<>();
            for (Path day : children(tableFolder, "day=")) {
                for (Path file : dataFiles(day)) {
                    files.add(file.toString());
                }
            }
            if (!files.isEmpty()) {
                tables.put(name, new Table(name, tableFolder.toString(), files, null));
            }
        }
        return new LakeSnapshot(tenant, tables);
    }

    public TenantId tenant() {
        return tenant;
    }

    public Map<String, Table> tables() {
        return tables;
    }

    /** The readable data files of one partition folder: complete, and not superseded by a compaction's output. */
    static List<Path> dataFiles(Path partition) {
        Set<String> names = new TreeSet<>();
        List<Path> journals = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(partition)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (LakeLayout.isDataFile(name)) {
                    names.add(name);
                } else if (CompactionJournal.isJournal(name)) {
                    journals.add(entry);
                }
            }
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Path journal : journals) {
            CompactionJournal entry = CompactionJournal.read(journal);
            if (entry != null && names.contains(entry.output())) {
                entry.inputs().forEach(names::remove);
            }
        }
        return names.stream().map(partition::resolve).toList();
    }

    static List<Path> children(Path folder, String prefix) {
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
            for (Path entry : entries) {
                if (entry.getFileName().toString().startsWith(prefix) && Files.isDirectory(entry)) {
                    children.add(entry);
                }
            }
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        children.sort(null);
        return children;
    }
}
