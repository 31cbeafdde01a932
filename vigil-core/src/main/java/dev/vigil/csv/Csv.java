package dev.vigil.csv;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * RFC 4180 CSV held in memory, as the posture and threat-intel importers read it: comma-separated, fields optionally
 * quoted (doubled quotes inside, quoted line breaks kept, CR dropped outside quotes), empty lines skipped.
 *
 * <p>{@link #records} gives the records by position; {@link #read} treats the first as a header and gives the rest
 * by lower-case column name, skipping {@code #} lines before the header (EPSS puts its model version there). A row
 * that cannot be trusted carries a {@link Row#problem()}: more fields than the header has columns (an unquoted comma
 * shifted its values), or a quote never closed (which swallows the rest of the file).
 *
 * <p>Log ingestion reads CSV with {@code dev.vigil.ingest.CsvRecordReader} instead: it streams bytes, bounds each
 * record and quarantines a bad row alone, which an in-memory reader of small reference files need not do.
 */
public final class Csv {
    private Csv() {}

    /** A record's fields and the line it starts on (counted from 1). */
    public record Record(int line, List<String> fields) {
        public Record {
            fields = List.copyOf(fields);
        }
    }

    /**
     * A data row: its line (from 1) and its values by lower-case column name.
     *
     * @param problem why its values cannot be trusted, in words that say how to fix it, or null
     */
    public record Row(int line, Map<String, String> values, String problem) {
        public String get(String column) {
            String value = values.get(column);
            return value == null ? "" : value.strip();
        }
    }

    /** The records of {@code text} by position; a quote never closed runs to the end of the text. */
    public static List<Record> records(String text) {
        return new Tokenizer(text, false).run();
    }

    /** The comment lines before the header, without their {@code #}. */
    public static List<String> comments(String text) {
        List<String> comments = new ArrayList<>();
        for (String line : text.split("\n", -1)) {
            if (!line.startsWith("#")) {
                break;
            }
            comments.add(line.substring(1).strip());
        }
        return comments;
    }

    /** The rows under the header, by the header's column names (lower case, trimmed). */
    public static List<Row> read(String text) {
        Tokenizer tokenizer = new Tokenizer(text, true);
        List<Record> records = tokenizer.run();
        List<Row> rows = new ArrayList<>();
        if (records.isEmpty()) {
            return rows;
        }
        List<String> names = records.get(0).fields().stream().map(n -> n.strip().replace("\uFEFF", "")
                .toLowerCase(Locale.ROOT)).toList();
        for (int r = 1; r < records.size(); r++) {
            Map<String, String> values = new LinkedHashMap<>();
            List<String> record = records.get(r).fields();
            for (int k = 0; k < names.size(); k++) {
                values.put(names.get(k), k < record.size() ? record.get(k) : "");
            }
            String problem = null;
            if (tokenizer.quoted && r == records.size() - 1) {
                problem = "the quote opened on line " + tokenizer.quoteLine + " is never closed, so the rest of the"
                        + " file is inside one value; close it, or double a quote inside a value (\"\")";
            } else if (record.subList(Math.min(names.size(), record.size()), record.size()).stream()
                    .anyMatch(extra -> !extra.isBlank())) {
                problem = record.size() + " values but the header has " + names.size() + " columns; put a value"
                        + " that holds a comma in quotes (\"Palo Alto Networks, Inc.\")";
            }
            rows.add(new Row(records.get(r).line(), values, problem));
        }
        return rows;
    }

    /**
     * The header's column names in lower case, or an empty list: a cheap look at the first line that is neither a
     * comment nor blank, for telling formats apart before reading them.
     */
    public static List<String> header(String text) {
        for (String line : text.split("\n", -1)) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            List<String> names = new ArrayList<>();
            for (String name : line.split(",", -1)) {
                names.add(name.strip().replace("\"", "").replace("\uFEFF", "").toLowerCase(Locale.ROOT));
            }
            return names;
        }
        return List.of();
    }

    /** One pass over the text; after {@link #run()}, {@link #quoted} tells whether the last quote stayed open. */
    private static final class Tokenizer {
        private final String text;
        private final boolean skipCommentsBeforeFirstRecord;
        boolean quoted;
        int quoteLine;

        Tokenizer(String text, boolean skipCommentsBeforeFirstRecord) {
            this.text = text;
            this.skipCommentsBeforeFirstRecord = skipCommentsBeforeFirstRecord;
        }

        List<Record> run() {
            List<Record> records = new ArrayList<>();
            List<String> fields = new ArrayList<>();
            StringBuilder field = new StringBuilder();
            boolean any = false;
            int line = 1;
            int recordLine = 1;
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (skipCommentsBeforeFirstRecord && records.isEmpty() && !any && field.isEmpty() && c == '#') {
                    int end = text.indexOf('\n', i);
                    i = end < 0 ? text.length() : end;
                    line++;
                    recordLine = line;
                    continue;
                }
                if (quoted) {
                    if (c == '"') {
                        if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
                            field.append('"');
                            i++;
                        } else {
                            quoted = false;
                        }
                    } else {
                        line += c == '\n' ? 1 : 0;
                        field.append(c);
                    }
                    continue;
                }
                switch (c) {
                    case '"' -> {
                        quoted = true;
                        quoteLine = line;
                        any = true;
                    }
                    case ',' -> {
                        fields.add(field.toString());
                        field.setLength(0);
                        any = true;
                    }
                    case '\r' -> {
                    }
                    case '\n' -> {
                        if (any || !field.isEmpty()) {
                            fields.add(field.toString());
                            records.add(new Record(recordLine, fields));
                        }
                        fields.clear();
                        field.setLength(0);
                        any = false;
                        line++;
                        recordLine = line;
                    }
                    default -> {
                        field.append(c);
                        any = true;
                    }
                }
            }
            if (any || !field.isEmpty()) {
                fields.add(field.toString());
                records.add(new Record(recordLine, fields));
            }
            return records;
        }
    }
}
