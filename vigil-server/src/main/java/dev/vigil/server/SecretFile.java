package dev.vigil.server;

import static java.util.Objects.requireNonNull;

import dev.vigil.config.OwnerOnlyFiles;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.VigilException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.function.UnaryOperator;
import tools.jackson.core.type.TypeReference;

/**
 * A small JSON list kept in one file of {@code DATA/server} that only the server's user may read (mode 600 where the
 * file system has POSIX permissions; elsewhere the data directory's own permissions are all there is). It is replaced
 * atomically (written beside, forced to disk, renamed over) under a file lock, so a command ({@code vigil tokens},
 * {@code vigil users}) may change it while {@code vigil serve} runs; readers reread it whenever it changed.
 *
 * @param <T> the element type, written with the server's JSON mapper
 */
final class SecretFile<T> {
    private static final java.util.concurrent.ConcurrentMap<Path, java.util.concurrent.locks.ReentrantLock>
            LOCAL_LOCKS = new java.util.concurrent.ConcurrentHashMap<>();

    private final Path file;
    private final Path lockFile;
    private final TypeReference<List<T>> type;
    private List<T> cached = List.of();
    private FileTime cachedModified;
    private long cachedSize = -1;

    SecretFile(Path file, TypeReference<List<T>> type) {
        this.file = requireNonNull(file, "file is null");
        this.lockFile = file.resolveSibling(file.getFileName() + ".lock");
        this.type = requireNonNull(type, "type is null");
    }

    Path path() {
        return file;
    }

    /** The list as last written, reread when the file changed. */
    synchronized List<T> read() {
        try {
            if (!Files.exists(file)) {
                cached = List.of();
                cachedModified = null;
                cachedSize = -1;
                return cached;
            }
            FileTime modified = Files.getLastModifiedTime(file);
            long size = Files.size(file);
            if (!modified.equals(cachedModified) || size != cachedSize) {
                cached = List.copyOf(readFile());
                cachedModified = modified;
                cachedSize = size;
            }
            return cached;
        } catch (IOException e) {
            throw new VigilException(ErrorCode.STORE_FAILED, "cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Replaces the list by {@code change} of what the file holds now, under the lock; returns the new list. */
    synchronized List<T> update(UnaryOperator<List<T>> change) {
        // A file lock guards against other processes only: two channels of one JVM locking the same file throw
        // OverlappingFileLockException. So writers in this JVM (several instances over one file) queue here first.
        java.util.concurrent.locks.ReentrantLock local = LOCAL_LOCKS.computeIfAbsent(
                lockFile.toAbsolutePath().normalize(), p -> new java.util.concurrent.locks.ReentrantLock());
        local.lock();
        try {
            Files.createDirectories(file.getParent());
            try (FileChannel lock = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    var ignored = lock.lock()) {
                List<T> next = List.copyOf(change.apply(readFile()));
                Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
                Files.deleteIfExists(temporary);
                try (FileChannel out = FileChannel.open(temporary, java.util.Set.of(StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE), OwnerOnlyFiles.attributes())) {
                    out.write(ByteBuffer.wrap(ApiJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(next)));
                    out.force(true);
                }
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                cachedModified = null;
                return next;
            }
        } catch (IOException e) {
            throw new VigilException(ErrorCode.STORE_FAILED, "cannot write " + file + ": " + e.getMessage(), e);
        } finally {
            local.unlock();
        }
    }

    private List<T> readFile() throws IOException {
        return Files.exists(file) ? ApiJson.MAPPER.readValue(Files.readString(file), type) : List.of();
    }
}
