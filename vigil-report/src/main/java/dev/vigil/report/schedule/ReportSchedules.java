package dev.vigil.report.schedule;

import static java.util.Objects.requireNonNull;

import dev.vigil.model.ErrorCode;
import dev.vigil.model.TenantId;
import dev.vigil.model.VigilException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * A tenant's report schedules and the record of their runs, kept as files in the tenant's folder of the data
 * directory, {@code DATA/tenants/TENANT/reports/}:
 *
 * <ul>
 *   <li>{@code schedules.json}: the schedules, each with the last slot claimed; rewritten whole, beside and moved
 *       over, so a reader never sees half a file;
 *   <li>{@code runs.jsonl}: one JSON line per run event (a run's start, then its end), appended; the latest line of a
 *       run is its state. It keeps the latest runs only, trimmed when it grows past a few MiB.
 * </ul>
 *
 * Files rather than the tenant's database, so that schedules can be listed and changed while a server holds the
 * database, and so that a tick does not hold the database's write lock while it builds and delivers a report.
 *
 * <p>Changes are made under a lock ({@link #locked}) that holds within the process and across processes (a file
 * lock on {@code .lock}), so a server's timer and a {@code vigil report schedule tick} from cron never claim the same
 * slot twice.
 */
public final class ReportSchedules {
    private static final Map<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();
    private static final long MAX_RUN_LOG_BYTES = 4L << 20;
    private static final int RUNS_KEPT_WHEN_TRIMMED = 5000;

    private final TenantId tenant;
    private final Path folder;

    public ReportSchedules(Path dataDirectory, TenantId tenant) {
        this.tenant = requireNonNull(tenant, "tenant is null");
        this.folder = requireNonNull(dataDirectory, "dataDirectory is null").resolve("tenants").resolve(tenant.value())
                .resolve("reports");
    }

    /** The tenants of the data directory that have report schedules, by id. */
    public static List<TenantId> tenants(Path dataDirectory) {
        Path tenants = dataDirectory.resolve("tenants");
        if (!Files.isDirectory(tenants)) {
            return List.of();
        }
        try (java.util.stream.Stream<Path> children = Files.list(tenants)) {
            return children.filter(dir -> Files.isRegularFile(dir.resolve("reports").resolve("schedules.json")))
                    .map(dir -> dir.getFileName().toString()).sorted().map(TenantId::of).toList();
        } catch (IOException e) {
            throw new VigilException(ErrorCode.STORE_FAILED, "cannot list " + tenants + ": " + e.getMessage(), e);
        }
    }

    public TenantId tenant() {
        return tenant;
    }

    public Path folder() {
        return folder;
    }

    // ------------------------------------------------------------------------------------------------- schedules

    /** Every schedule, by name. */
    public List<ReportSchedule> list() {
        Path file = folder.resolve("schedules.json");
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        JsonNode root;
        try {
            root = ScheduleJson.MAPPER.readTree(Files.readString(file));
        } catch (IOException | JacksonException e) {
            throw new VigilException(ErrorCode.STORE_FAILED, "cannot read " + file + ": " + e.getMessage(),
                    "Restore the file from a backup, or remove it and add the schedules again.", e);
        }
        List<ReportSchedule> schedules = new ArrayList<>();
        for (JsonNode node : root.path("schedules")) {
            try {
                schedules.add(ScheduleJson.schedule(node));
            } catch (RuntimeException e) {
                throw new VigilException(ErrorCode.STORE_FAILED, "schedule '" + node.path("name").asString("?")
                        + "' in " + file + " cannot be read: " + e.getMessage(), "Correct or remove it in the file,"
                        + " or remove it with: vigil report schedule remove NAME", e);
            }
        }
        schedules.sort(Comparator.comparing(ReportSchedule::name));
        return schedules;
    }

    public Optional<ReportSchedule> find(String name) {
        return list().stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** Adds or replaces the schedule of that name; true if it replaced one. Takes the lock. */
    public boolean put(ReportSchedule schedule) {
        requireNonNull(schedule, "schedule is null");
        return locked(() -> {
            Map<String, ReportSchedule> byName = byName();
            boolean replaced = byName.put(schedule.name(), schedule) != null;
            write(byName.values());
            return replaced;
        });
    }

    /** Removes the schedule of that name (its runs stay as history); false if there was none. Takes the lock. */
    public boolean remove(String name) {
        return locked(() -> {
            Map<String, ReportSchedule> byName = byName();
            if (byName.remove(name) == null) {
                return false;
            }
            write(byName.values());
            return true;
        });
    }

    private Map<String, ReportSchedule> byName() {
        Map<String, ReportSchedule> byName = new LinkedHashMap<>();
        list().forEach(s -> byName.put(s.name(), s));
        return byName;
    }

    /** Writes the schedules; call under the lock. */
    void write(java.util.Collection<ReportSchedule> schedules) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("tenant", tenant.value());
        root.put("schedules", schedules.stream().sorted(Comparator.comparing(ReportSchedule::name))
                .map(ScheduleJson::schedule).toList());
        String text = ScheduleJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
        try {
            Files.createDirectories(folder);
            Path temporary = Files.createTempFile(folder, ".schedules-", ".tmp");
            try {
                try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                    channel.write(java.nio.ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
                    channel.force(true); // the claim of a slot must survive a crash right after it
                }
                Files.move(temporary, folder.resolve("schedules.json"), StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(temporary);
            }
        } catch (IOException e) {
            throw failed("write the report schedules to " + folder, e);
        }
    }

    // ------------------------------------------------------------------------------------------------------ runs

    /** Appends a run event: its start, or its end. */
    void record(ScheduleRun run) {
        Path file = folder.resolve("runs.jsonl");
        String line = ScheduleJson.MAPPER.writeValueAsString(ScheduleJson.run(run)) + "\n";
        try {
            Files.createDirectories(folder);
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND)) {
                channel.write(java.nio.ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8)));
                channel.force(false);
            }
            if (Files.size(file) > MAX_RUN_LOG_BYTES) {
                trim(file);
            }
        } catch (IOException e) {
            throw failed("record a run of report schedule '" + run.name() + "' in " + file, e);
        }
    }

    private void trim(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<String> kept = lines.subList(Math.max(0, lines.size() - RUNS_KEPT_WHEN_TRIMMED), lines.size());
        Path temporary = Files.createTempFile(folder, ".runs-", ".tmp");
        Files.write(temporary, kept, StandardCharsets.UTF_8);
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * The latest runs, newest first, each in its latest state; only {@code name}'s when not null. A line that cannot
     * be read (a write cut short by a crash) is skipped.
     */
    public List<ScheduleRun> runs(String name, int limit) {
        Path file = folder.resolve("runs.jsonl");
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw failed("read " + file, e);
        }
        Map<String, ScheduleRun> latest = new LinkedHashMap<>();
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            ScheduleRun run;
            try {
                run = ScheduleJson.run(ScheduleJson.MAPPER.readTree(line));
            } catch (RuntimeException e) {
                continue;
            }
            if (name == null || run.name().equals(name)) {
                String key = run.name() + "\u0000" + run.slot();
                latest.remove(key); // keep insertion order by latest event
                latest.put(key, run);
            }
        }
        List<ScheduleRun> runs = new ArrayList<>(latest.values());
        runs.sort(Comparator.comparing(ScheduleRun::startedAt).thenComparing(ScheduleRun::slot)
                .thenComparing(ScheduleRun::name).reversed());
        return runs.subList(0, Math.min(Math.max(0, limit), runs.size()));
    }

    /** The latest run of each schedule, by name. */
    public Map<String, ScheduleRun> lastRuns() {
        Map<String, ScheduleRun> last = new LinkedHashMap<>();
        for (ScheduleRun run : runs(null, Integer.MAX_VALUE)) {
            last.putIfAbsent(run.name(), run);
        }
        return last;
    }

    // ------------------------------------------------------------------------------------------------------ lock

    /**
     * Runs {@code work} holding the tenant's schedule lock: a lock within this process and a file lock across
     * processes. Reentrant within a thread.
     */
    public <T> T locked(Supplier<T> work) {
        ReentrantLock lock = IN_PROCESS.computeIfAbsent(folder.toAbsolutePath().normalize(), f -> new ReentrantLock());
        lock.lock();
        try {
            if (lock.getHoldCount() > 1) {
                return work.get();
            }
            Files.createDirectories(folder);
            try (FileChannel channel = FileChannel.open(folder.resolve(".lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock ignored = channel.lock()) {
                return work.get();
            }
        } catch (IOException e) {
            throw failed("lock the report schedules in " + folder, e);
        } finally {
            lock.unlock();
        }
    }

    private VigilException failed(String what, IOException e) {
        return new VigilException(ErrorCode.STORE_FAILED, "cannot " + what + " for tenant '" + tenant + "': "
                + e.getMessage(), e);
    }
}
