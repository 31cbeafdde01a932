package dev.vigil.ingest;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Reads Zeek's native tab-separated logs: {@code #} header lines ({@code #separator}, {@code #path},
 * {@code #fields}, {@code #types}, {@code #unset_field}, {@code #empty_field}) describe the rows that follow and are
 * consumed here, not returned as records; every other line is a record, parsed with the header in force when it was
 * read ({@link #header()}). A file may hold several logs one after another, each with its own header.
 */
public final class ZeekTsvReader implements RecordReader {
    /** What the header lines say about the rows below them. */
    public record Header(String path, List<String> fields, List<String> types, String separator, String unset,
            String empty) {
        public Header {
            fields = List.copyOf(fields);
            types = List.copyOf(types);
        }
    }

    private final LineRecordReader lines;
    private String separator = "\t";
    private String path = "";
    private List<String> fields = List.of();
    private List<String> types = List.of();
    private String unset = "-";
    private String empty = "(empty)";

    public ZeekTsvReader(InputStream in, String source, int maxRecordBytes) {
        this.lines = new LineRecordReader(requireNonNull(in, "in is null"), source, maxRecordBytes);
    }

    @Override
    public RawRecord next() throws IOException {
        while (true) {
            RawRecord line = lines.next();
            if (line == null || line.length() == 0 || line.bytes()[0] != '#') {
                return line;
            }
            readHeaderLine(new String(line.bytes(), StandardCharsets.UTF_8));
        }
    }

    private void readHeaderLine(String line) {
        if (line.startsWith("#separator ")) {
            separator = unescape(line.substring("#separator ".length()).strip());
            return;
        }
        String[] parts = line.split(java.util.regex.Pattern.quote(separator), -1);
        String key = parts[0];
        List<String> values = Arrays.asList(parts).subList(1, parts.length);
        switch (key) {
            case "#path" -> path = values.isEmpty() ? "" : values.get(0);
            case "#fields" -> fields = List.copyOf(values);
            case "#types" -> types = List.copyOf(values);
            case "#unset_field" -> unset = values.isEmpty() ? "-" : values.get(0);
            case "#empty_field" -> empty = values.isEmpty() ? "(empty)" : values.get(0);
            default -> { } // #open, #close, #set_separator: nothing the rows need
        }
    }

    /** {@code \x09} and friends, as Zeek writes the separator. */
    private static String unescape(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            if (text.startsWith("\\x", i) && i + 4 <= text.length()) {
                try {
                    out.append((char) Integer.parseInt(text.substring(i + 2, i + 4), 16));
                    i += 3;
                    continue;
                } catch (NumberFormatException e) {
                    // not an escape after all
                }
            }
            out.append(text.charAt(i));
        }
        return out.isEmpty() ? "\t" : out.toString();
    }

    /** The header in force for the record last returned. */
    public Header header() {
        return new Header(path, fields, types, separator, unset, empty);
    }

    @Override
    public void close() throws IOException {
        lines.close();
    }
}
