package dev.vigil.lake;

import static java.util.Objects.requireNonNull;

import dev.vigil.config.LakeSettings;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.TenantId;
import dev.vigil.model.VigilException;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A local copy of the tenants' parts of an object-storage lake, for DuckDB to read where its {@code httpfs} extension
 * cannot be loaded (a machine without internet access cannot download it, and no Maven artifact carries it).
 *
 * <p>{@link #sync} lists the tenant's objects with the S3 client and brings the copy to what the listing shows:
 * objects not yet copied are fetched (into a temporary file, then moved into place, so a reader never sees half a
 * file), copies of objects no longer listed are removed. The lake's files are written once under names that are never
 * reused ({@code part-<millis>-<uuid>.parquet}), so a file copied once stays right. A tenant listed less than
 * {@code every} ago is not listed again: writes reach readers within that time.
 *
 * <p>Only keys of the lake's layout are copied ({@code tenant=T/table=NAME/day=YYYY-MM-DD/part-*.parquet} under the
 * tenant's prefix); any other object under it is ignored, so an object's key cannot lead outside the tenant's
 * folder of the copy.
 */
final class LakeMirror implements AutoCloseable {
    private static final Pattern KEY = Pattern.compile("table=_?[A-Za-z][A-Za-z0-9_]{0,63}/day=\\d{4}-\\d{2}-\\d{2}/"
            + "part-[A-Za-z0-9._-]+\\.parquet");

    private final LakeLayout remote;
    private final LakeLayout local;
    private final ObjectStorage storage;
    private final Duration every;
    private final Clock clock;
    private final Map<TenantId, Instant> listed = new ConcurrentHashMap<>();
    private final Map<TenantId, Object> locks = new ConcurrentHashMap<>();

    /**
     * @param remote the object-storage lake
     * @param folder where the copy is kept (made when missing)
     * @param environment the S3 keys' variables, as for {@link LakeWriter}
     * @param every how long a tenant's listing stands before the next {@link #sync} lists again
     */
    LakeMirror(LakeLayout remote, Path folder, Function<String, String> environment, Duration every, Clock clock) {
        this.remote = requireNonNull(remote, "remote is null");
        if (remote.isLocal()) {
            throw new IllegalArgumentException("the lake " + remote + " is a local folder: read it where it is");
        }
        requireNonNull(folder, "folder is null");
        this.every = requireNonNull(every, "every is null");
        this.clock = requireNonNull(clock, "clock is null");
        LakeSettings settings = remote.settings();
        this.local = new LakeLayout(new LakeSettings(folder.toAbsolutePath().toString(), settings.targetFileBytes(),
                settings.objectStorage(), settings.sparkMaster()));
        try {
            Files.createDirectories(local.localRoot());
        } catch (IOException e) {
            throw new VigilException(ErrorCode.LAKE_FAILED, "the local copy of the lake " + remote + " cannot be"
                    + " made in " + folder + ": " + e.getMessage(), "Give the node a writable folder for it.", e);
        }
        this.storage = ObjectStorage.open(remote, requireNonNull(environment, "environment is null"));
    }

    /**
     * Lists the lake's root once.
     *
     * @throws VigilException {@code LAKE_FAILED} naming the store and the fix when it cannot be listed
     */
    void reachable() {
        storage.probe(remote.root());
    }

    /** The copy, as a local lake: what DuckDB reads. */
    LakeLayout local() {
        return local;
    }

    /**
     * Brings the tenant's copy to the objects listed now, unless it was listed less than {@code every} ago.
     *
     * @return how many files were fetched
     * @throws VigilException {@code LAKE_FAILED} when the store cannot be listed or read
     */
    int sync(TenantId tenant) {
        requireNonNull(tenant, "tenant is null");
        synchronized (locks.computeIfAbsent(tenant, t -> new Object())) {
            Instant last = listed.get(tenant);
            Instant now = clock.instant();
            if (last != null && now.isBefore(last.plus(every))) {
                return 0;
            }
            String prefix = remote.tenantLocation(tenant) + "/";
            Path folder = Path.of(local.tenantLocation(tenant));
            Set<Path> wanted = new HashSet<>();
            int fetched = 0;
            for (String url : storage.list(prefix, LakeLayout::isDataFile)) {
                String relative = url.substring(prefix.length());
                if (!KEY.matcher(relative).matches()) {
                    continue;
                }
                Path target = folder.resolve(relative);
                wanted.add(target);
                if (!Files.exists(target)) {
                    fetch(url, target);
                    fetched++;
                }
            }
            removeAllBut(folder, wanted);
            listed.put(tenant, now);
            return fetched;
        }
    }

    private void fetch(String url, Path target) {
        Path partial = target.resolveSibling("." + target.getFileName() + ".partial");
        try {
            Files.createDirectories(target.getParent());
            Files.deleteIfExists(partial);
            storage.download(url, partial);
            try {
                Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new VigilException(ErrorCode.LAKE_FAILED, "copying " + url + " to " + target + " failed: "
                    + e.getMessage(), "Check that the node's lake copy folder is writable and has room.", e);
        }
    }

    /** Removes the copy's data files (and partial downloads) that the listing no longer shows. */
    private static void removeAllBut(Path folder, Set<Path> wanted) {
        if (!Files.isDirectory(folder)) {
            return;
        }
        try (Stream<Path> files = Files.walk(folder)) {
            List<Path> stale = files.filter(Files::isRegularFile).filter(file -> !wanted.contains(file)).toList();
            for (Path file : stale) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new VigilException(ErrorCode.LAKE_FAILED, "tidying the lake copy in " + folder + " failed: "
                    + e.getMessage(), "Check that the node's lake copy folder is writable.", e);
        }
    }

    @Override
    public void close() {
        storage.close();
    }
}
