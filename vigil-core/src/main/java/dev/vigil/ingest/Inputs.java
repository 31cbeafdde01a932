package dev.vigil.ingest;

import static java.util.Objects.requireNonNull;

import dev.vigil.model.ErrorCode;
import dev.vigil.model.VigilException;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.apache.commons.compress.archivers.ArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;

/**
 * Turns the paths a user names into a sequence of sources: plain files, every file under a folder (in name order),
 * and every entry of {@code .gz}, {@code .bz2}, {@code .zip} and {@code .tar(.gz)} archives, nested to any depth,
 * recognized by their magic bytes rather than their names. Archives are streamed, never unpacked to disk. {@code -}
 * is standard input.
 *
 * <p>Entries that are not data are skipped and reported: macOS resource forks ({@code __MACOSX/}, {@code ._name}),
 * folders, links and empty files.
 */
public final class Inputs {
    private static final int SNIFF_BYTES = 512;
    private static final int MAX_ARCHIVE_DEPTH = 8;

    /** Receives each source in turn. The stream is closed by the walker after the call returns. */
    @FunctionalInterface
    public interface SourceVisitor {
        void visit(String name, InputStream in) throws IOException;
    }

    /** Receives the entries passed over, with the reason. */
    @FunctionalInterface
    public interface SkipListener {
        void skipped(String name, String reason);
    }

    private final SkipListener skipListener;
    private final InputStream stdin;

    public Inputs(SkipListener skipListener, InputStream stdin) {
        this.skipListener = requireNonNull(skipListener, "skipListener is null");
        this.stdin = requireNonNull(stdin, "stdin is null");
    }

    /** Checks that every path exists before any work starts, so a typo fails fast with its name. */
    public static void checkExist(List<String> paths) {
        for (String path : paths) {
            if (!path.equals("-") && !Files.exists(Path.of(path))) {
                throw new VigilException(ErrorCode.INPUT_NOT_FOUND, "no such file or folder: " + path);
            }
        }
    }

    public void walk(List<String> paths, SourceVisitor visitor) throws IOException {
        for (String path : paths) {
            if (path.equals("-")) {
                visitStream("stdin", new NonClosing(stdin), visitor, 0);
            } else {
                walkPath(Path.of(path), visitor);
            }
        }
    }

    /** Folders already walked, by real path: a symbolic link back up the tree must not loop forever. */
    private final java.util.Set<Path> walkedFolders = new java.util.HashSet<>();

    private void walkPath(Path path, SourceVisitor visitor) throws IOException {
        if (Files.isDirectory(path)) {
            if (!walkedFolders.add(path.toRealPath())) {
                skipListener.skipped(path.toString(), "a folder already read (a link leads back to it)");
                return;
            }
            List<Path> children;
            try (Stream<Path> list = Files.list(path)) {
                children = new ArrayList<>(list.sorted().toList());
            }
            for (Path child : children) {
                if (isMetadataName(child.getFileName().toString())) {
                    skipListener.skipped(child.toString(), "macOS metadata, not data");
                } else {
                    walkPath(child, visitor);
                }
            }
            return;
        }
        if (!Files.isRegularFile(path)) {
            skipListener.skipped(path.toString(), "not a regular file");
            return;
        }
        if (Files.size(path) == 0) {
            skipListener.skipped(path.toString(), "empty file");
            return;
        }
        byte[] head = new byte[4];
        try (InputStream in = Files.newInputStream(path)) {
            in.readNBytes(head, 0, 4);
        }
        if (head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) {
            walkZipFile(path, visitor);
            return;
        }
        try (InputStream in = Files.newInputStream(path)) {
            visitStream(path.toString(), in, visitor, 0);
        }
    }

    private void walkZipFile(Path path, SourceVisitor visitor) throws IOException {
        try (ZipFile zip = new ZipFile(path.toFile())) {
            List<? extends ZipEntry> entries = sortedEntries(zip.entries());
            for (ZipEntry entry : entries) {
                String name = path + "!" + entry.getName();
                if (skipEntry(name, entry.getName(), entry.isDirectory(), entry.getSize())) {
                    continue;
                }
                try (InputStream in = zip.getInputStream(entry)) {
                    visitStream(name, in, visitor, 1);
                }
            }
        }
    }

    private static List<? extends ZipEntry> sortedEntries(Enumeration<? extends ZipEntry> entries) {
        List<ZipEntry> list = new ArrayList<>();
        while (entries.hasMoreElements()) {
            list.add(entries.nextElement());
        }
        list.sort((a, b) -> a.getName().compareTo(b.getName()));
        return list;
    }

    private boolean skipEntry(String fullName, String entryName, boolean directory, long size) {
        if (directory) {
            return true;
        }
        String base = entryName.substring(entryName.lastIndexOf('/') + 1);
        if (entryName.startsWith("__MACOSX/") || isMetadataName(base)) {
            skipListener.skipped(fullName, "macOS metadata, not data");
            return true;
        }
        if (size == 0) {
            skipListener.skipped(fullName, "empty entry");
            return true;
        }
        return false;
    }

    private static boolean isMetadataName(String name) {
        return name.startsWith("._") || name.equals(".DS_Store");
    }

    private void visitStream(String name, InputStream raw, SourceVisitor visitor, int depth) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
        in.mark(SNIFF_BYTES);
        byte[] head = readHead(in, SNIFF_BYTES, false);
        in.reset();
        if (head.length == 0) {
            skipListener.skipped(name, "empty");
            return;
        }
        if (depth >= MAX_ARCHIVE_DEPTH) {
            visitor.visit(name, in);
            return;
        }
        if (startsWith(head, 0x1f, 0x8b)) {
            visitStream(stripSuffix(name, ".gz"), new GZIPInputStream(in, 1 << 16), visitor, depth + 1);
        } else if (startsWith(head, 'B', 'Z', 'h')) {
            visitStream(stripSuffix(name, ".bz2"), new BZip2CompressorInputStream(in, true), visitor, depth + 1);
        } else if (startsWith(head, 'P', 'K', 3, 4)) {
            try (ZipArchiveInputStream zip = new ZipArchiveInputStream(new NonClosing(in))) {
                walkArchive(name, zip, visitor, depth);
            }
        } else if (isTar(head)) {
            try (TarArchiveInputStream tar = new TarArchiveInputStream(new NonClosing(in))) {
                walkArchive(name, tar, visitor, depth);
            }
        } else {
            visitor.visit(name, in);
        }
    }

    private void walkArchive(String name, org.apache.commons.compress.archivers.ArchiveInputStream<?> archive,
            SourceVisitor visitor, int depth) throws IOException {
        ArchiveEntry entry;
        while ((entry = archive.getNextEntry()) != null) {
            String entryName = name + "!" + entry.getName();
            if (!archive.canReadEntryData(entry)) {
                skipListener.skipped(entryName, "archive entry cannot be read (encrypted or unsupported compression)");
                continue;
            }
            if (skipEntry(entryName, entry.getName(), entry.isDirectory(), entry.getSize())) {
                continue;
            }
            if (entry instanceof org.apache.commons.compress.archivers.tar.TarArchiveEntry tarEntry && !tarEntry.isFile()) {
                skipListener.skipped(entryName, "not a regular file");
                continue;
            }
            visitStream(entryName, new NonClosing(archive), visitor, depth + 1);
        }
    }

    /**
     * Up to {@code max} of a stream's first bytes, to recognize what it is: waits for the first bytes, then takes only
     * what has already arrived, so that a slow stream (stdin fed by {@code tail -f}) is not held back until
     * {@code max} bytes come; with {@code wholeLine}, it waits until at least one whole line is there. Files and
     * archives have their bytes available, so they fill the whole head.
     */
    static byte[] readHead(InputStream in, int max, boolean wholeLine) throws IOException {
        byte[] head = new byte[max];
        int length = 0;
        boolean sawLine = !wholeLine;
        while (length < max) {
            int read = in.read(head, length, max - length);
            if (read < 0) {
                break;
            }
            for (int i = length; i < length + read && !sawLine; i++) {
                sawLine = head[i] == '\n';
            }
            length += read;
            if (sawLine && in.available() == 0) {
                break;
            }
        }
        return java.util.Arrays.copyOf(head, length);
    }

    private static boolean isTar(byte[] head) {
        return head.length >= 262 && head[257] == 'u' && head[258] == 's' && head[259] == 't' && head[260] == 'a'
                && head[261] == 'r';
    }

    static boolean startsWith(byte[] head, int... magic) {
        if (head.length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((head[i] & 0xFF) != (magic[i] & 0xFF)) {
                return false;
            }
        }
        return true;
    }

    private static String stripSuffix(String name, String suffix) {
        return name.endsWith(suffix) ? name.substring(0, name.length() - suffix.length()) : name;
    }

    /** Lets a visitor close what it was given without closing the archive or stdin underneath. */
    private static final class NonClosing extends FilterInputStream {
        NonClosing(InputStream in) {
            super(in);
        }

        @Override
        public void close() {
            // the owner closes the underlying stream
        }
    }
}
