package dev.vigil.cli;

import dev.vigil.model.ErrorCode;
import dev.vigil.model.VigilException;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The files that commands taking {@code FILE|FOLDER...} read: a file named directly is taken whatever its name;
 * folders are walked in name order, hidden files and folders ({@code .git}, {@code .github}) left out, and each file
 * is taken once however it was reached.
 */
final class FileArguments {

    private FileArguments() {}

    /**
     * @param wanted which files found in folders to take; the others are counted in {@code skipped[0]}
     * @param fix what to tell the user when a path does not exist
     */
    static List<Path> files(List<Path> paths, Predicate<Path> wanted, int[] skipped, String fix) {
        List<Path> files = new ArrayList<>();
        Set<Path> seen = new HashSet<>();
        for (Path path : paths) {
            Path root = path.normalize();
            if (!Files.exists(root)) {
                throw new VigilException(ErrorCode.INPUT_NOT_FOUND, "no file or folder " + path, fix, null);
            }
            if (Files.isRegularFile(root)) {
                if (seen.add(root.toAbsolutePath())) {
                    files.add(root);
                }
                continue;
            }
            List<Path> found = new ArrayList<>();
            try {
                Files.walkFileTree(root, new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult preVisitDirectory(Path directory, BasicFileAttributes attributes) {
                        return !directory.equals(root) && isHidden(directory) ? FileVisitResult.SKIP_SUBTREE
                                : FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                        boolean regular = attributes.isRegularFile()
                                || attributes.isSymbolicLink() && Files.isRegularFile(file);
                        if (regular && !isHidden(file)) {
                            found.add(file);
                        }
                        return FileVisitResult.CONTINUE;
                    }
                });
            } catch (IOException e) {
                throw new VigilException(ErrorCode.INPUT_UNREADABLE, "cannot read the folder " + path + ": "
                        + e.getMessage(), e);
            }
            found.sort(null);
            for (Path file : found) {
                if (!wanted.test(file)) {
                    skipped[0]++;
                } else if (seen.add(file.toAbsolutePath())) {
                    files.add(file);
                }
            }
        }
        return files;
    }

    /**
     * Reads one of the files and gives its bytes to {@code read}; a file that cannot be read is one outcome among
     * the others, not the end of the command, so {@code unreadable} turns the reason into the file's result.
     */
    static <T> T read(Path file, Function<byte[], T> read, Function<String, T> unreadable) {
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (IOException e) {
            return unreadable.apply("cannot read the file: " + e.getMessage());
        }
        return read.apply(content);
    }

    private static boolean isHidden(Path path) {
        Path name = path.getFileName();
        return name != null && name.toString().startsWith(".");
    }
}
