package dev.vigil.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.vigil.model.ErrorCode;
import dev.vigil.model.VigilException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InputsTest {
    @TempDir
    Path dir;

    private final Map<String, String> visited = new LinkedHashMap<>();
    private final List<String> skipped = new ArrayList<>();

    private void walk(byte[] stdin, String... paths) throws IOException {
        Inputs inputs = new Inputs((name, reason) -> skipped.add(name + ": " + reason), new ByteArrayInputStream(stdin));
        inputs.walk(List.of(paths), (name, in) -> visited.put(name, new String(in.readAllBytes(), StandardCharsets.UTF_8)));
    }

    private void walk(Path... paths) throws IOException {
        walk(new byte[0], java.util.Arrays.stream(paths).map(Path::toString).toArray(String[]::new));
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] zip(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(entry.getKey()));
                zip.write(entry.getValue());
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    private static byte[] bzip2(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream bz = new BZip2CompressorOutputStream(out)) {
            bz.write(data);
        }
        return out.toByteArray();
    }

    private static byte[] tar(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                TarArchiveEntry tarEntry = new TarArchiveEntry(entry.getKey());
                tarEntry.setSize(entry.getValue().length);
                tar.putArchiveEntry(tarEntry);
                tar.write(entry.getValue());
                tar.closeArchiveEntry();
            }
        }
        return out.toByteArray();
    }

    private Path file(String name, byte[] content) throws IOException {
        Path path = dir.resolve(name);
        Files.createDirectories(path.getParent());
        return Files.write(path, content);
    }

    private static Map<String, byte[]> entries(Object... namesAndContents) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        for (int i = 0; i < namesAndContents.length; i += 2) {
            Object content = namesAndContents[i + 1];
            entries.put((String) namesAndContents[i], content instanceof String s ? utf8(s) : (byte[]) content);
        }
        return entries;
    }

    @Test
    void aPlainFileIsOneSource() throws IOException {
        Path log = file("a.log", utf8("line\n"));

        walk(log);

        assertThat(visited).containsExactly(Map.entry(log.toString(), "line\n"));
    }

    @Test
    void aFolderIsWalkedInNameOrderIncludingSubfolders() throws IOException {
        file("b.log", utf8("b"));
        file("a/z.log", utf8("az"));
        file("c.log", utf8("c"));
        file("a/y.log", utf8("ay"));

        walk(dir);

        assertThat(visited.keySet()).containsExactly(dir.resolve("a/y.log").toString(), dir.resolve("a/z.log").toString(),
                dir.resolve("b.log").toString(), dir.resolve("c.log").toString());
    }

    @Test
    void zipEntriesAreSourcesNamedArchiveBangEntryInNameOrder() throws IOException {
        Path zip = file("logs.zip", zip(entries("b.json", "{\"b\":1}", "a.json", "{\"a\":1}", "dir/", new byte[0])));

        walk(zip);

        assertThat(visited).containsExactly(Map.entry(zip + "!a.json", "{\"a\":1}"), Map.entry(zip + "!b.json", "{\"b\":1}"));
    }

    @Test
    void archivesAreRecognizedByTheirMagicBytesNotTheirNames() throws IOException {
        Path zip = file("logs.dat", zip(entries("x.log", "x")));

        walk(zip);

        assertThat(visited).containsExactly(Map.entry(zip + "!x.log", "x"));
    }

    @Test
    void nestedArchivesAreOpenedToAnyDepth() throws IOException {
        byte[] inner = zip(entries("deep.json", "{\"deep\":1}"));
        byte[] tarGz = gzip(tar(entries("t.log", "from tar")));
        Path outer = file("outer.zip", zip(entries("inner.zip", inner, "bundle.tar.gz", tarGz,
                "single.log.gz", gzip(utf8("from gz")))));

        walk(outer);

        assertThat(visited).containsExactly(
                Map.entry(outer + "!bundle.tar!t.log", "from tar"),
                Map.entry(outer + "!inner.zip!deep.json", "{\"deep\":1}"),
                Map.entry(outer + "!single.log", "from gz"));
    }

    @Test
    void aTarGzIsStreamedEntryByEntry() throws IOException {
        Path tgz = file("logs.tar.gz", gzip(tar(entries("one.log", "1", "two.log", "2"))));

        walk(tgz);

        assertThat(visited).containsExactly(Map.entry(tgz.toString().replace(".tar.gz", ".tar") + "!one.log", "1"),
                Map.entry(tgz.toString().replace(".tar.gz", ".tar") + "!two.log", "2"));
    }

    @Test
    void gzAndBz2FilesAreDecompressedAndLoseTheirSuffix() throws IOException {
        Path gz = file("a.log.gz", gzip(utf8("gz text")));
        Path bz2 = file("b.log.bz2", bzip2(utf8("bz2 text")));

        walk(gz, bz2);

        assertThat(visited).containsExactly(Map.entry(dir.resolve("a.log").toString(), "gz text"),
                Map.entry(dir.resolve("b.log").toString(), "bz2 text"));
    }

    @Test
    void macOsMetadataIsSkippedAndReported() throws IOException {
        Path zip = file("mac.zip", zip(entries("data.json", "{}", "__MACOSX/._data.json", "junk", "._other", "junk",
                "sub/.DS_Store", "junk")));
        file("folder/._resource", utf8("junk"));
        file("folder/.DS_Store", utf8("junk"));
        file("folder/real.log", utf8("real"));

        walk(zip, dir.resolve("folder"));

        assertThat(visited.keySet()).containsExactly(zip + "!data.json", dir.resolve("folder/real.log").toString());
        assertThat(skipped).containsExactlyInAnyOrder(
                zip + "!._other: macOS metadata, not data",
                zip + "!__MACOSX/._data.json: macOS metadata, not data",
                zip + "!sub/.DS_Store: macOS metadata, not data",
                dir.resolve("folder/.DS_Store") + ": macOS metadata, not data",
                dir.resolve("folder/._resource") + ": macOS metadata, not data");
    }

    @Test
    void emptyFilesAndEntriesAreSkippedAndReported() throws IOException {
        Path empty = file("empty.log", new byte[0]);
        Path zip = file("e.zip", zip(entries("empty.json", new byte[0], "full.json", "{}")));
        Path emptyGz = file("empty.log.gz", gzip(new byte[0]));

        walk(empty, zip, emptyGz);

        assertThat(visited.keySet()).containsExactly(zip + "!full.json");
        assertThat(skipped).containsExactly(empty + ": empty file", zip + "!empty.json: empty entry",
                dir.resolve("empty.log") + ": empty");
    }

    @Test
    void dashIsStandardInput() throws IOException {
        walk(utf8("from stdin\n"), "-");

        assertThat(visited).containsExactly(Map.entry("stdin", "from stdin\n"));
    }

    @Test
    void gzippedStandardInputIsDecompressed() throws IOException {
        walk(gzip(utf8("zipped stdin")), "-");

        assertThat(visited).containsExactly(Map.entry("stdin", "zipped stdin"));
    }

    @Test
    void aMissingPathFailsFastNamingIt() throws IOException {
        Path real = file("real.log", utf8("x"));
        String missing = dir.resolve("nope.log").toString();

        VigilException error = catchThrowableOfType(VigilException.class,
                () -> Inputs.checkExist(List.of(real.toString(), "-", missing)));

        assertThat(error.code()).isEqualTo(ErrorCode.INPUT_NOT_FOUND);
        assertThat(error.getMessage()).isEqualTo("no such file or folder: " + missing);
    }

    @Test
    void aTruncatedGzipFailsAfterHandingOverWhatItHad() throws IOException {
        byte[] whole = gzip(utf8("x".repeat(100_000)));
        Path truncated = file("cut.log.gz", java.util.Arrays.copyOf(whole, whole.length / 2));

        IOException error = catchThrowableOfType(IOException.class, () -> walk(truncated));

        assertThat(error).isNotNull();
    }

    @org.junit.jupiter.api.Test
    void aLinkBackUpTheTreeIsReadOnceNotForever(@org.junit.jupiter.api.io.TempDir java.nio.file.Path root) throws Exception {
        java.nio.file.Files.writeString(root.resolve("a.json"), "{\"a\":1}\n");
        java.nio.file.Files.createSymbolicLink(root.resolve("loop"), root);
        java.util.List<String> sources = new java.util.ArrayList<>();
        java.util.List<String> skipped = new java.util.ArrayList<>();

        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(30), () ->
                new Inputs((name, reason) -> skipped.add(reason), java.io.InputStream.nullInputStream())
                        .walk(java.util.List.of(root.toString()), (name, in) -> sources.add(name)));

        org.assertj.core.api.Assertions.assertThat(sources).hasSize(1);
        org.assertj.core.api.Assertions.assertThat(skipped).contains("a folder already read (a link leads back to it)");
    }
}
