package dev.vigil.posture;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * RFC 4180 CSV with a header row, as the posture importers read it: fields optionally quoted (doubled quotes inside,
 * quoted line breaks kept), lines starting with {@code #} before the header skipped (EPSS puts its model version
 * there), column names compared in lower case. A row that cannot be trusted carries a {@link Row#problem()}: more
 * fields than the header has columns (an unquoted comma shifted its values), or a quote never closed (which swallows
 * the rest of the file).
 */
public final class Csv {
    private Csv() {}

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

    /** The header's column names (lower case, trimmed) and the rows under it. */
    public static List<Row> read(String text) {
        List<List<String>> records = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        int line = 1;
        int rowLine = 1;
        int quoteLine = 0;
        boolean header = true;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (header && !any && field.isEmpty() && c == '#') {
                int end = text.indexOf('\n', i);
                i = end < 0 ? text.length() : end;
                line++;
                rowLine = line;
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
                        records.add(List.copyOf(fields));
                        lines.add(rowLine);
                        header = false;
                    }
                    fields.clear();
                    field.setLength(0);
                    any = false;
                    line++;
                    rowLine = line;
                }
                default -> {
                    field.append(c);
                    any = true;
                }
            }
        }
        if (any || !field.isEmpty()) {
            fields.add(field.toString());
            records.add(List.copyOf(fields));
            lines.add(rowLine);
        }
        List<Row> rows = new ArrayList<>();
        if (records.isEmpty()) {
            return rows;
        }
        List<String> names = records.get(0).stream().map(n -> n.strip().replace("\uFEFF", "")
                .toLowerCase(Locale.ROOT)).toList();
        for (int r = 1; r < records.size(); r++) {
            Map<String, String> values = new LinkedHashMap<>();
            List<String> record = records.get(r);
            for (int k = 0; k < names.size(); k++) {
                values.put(names.get(k), k < record.size() ? record.get(k) : "");
            }
            String problem = null;
            if (quoted && r == records.size() - 1) {
                problem = "the quote opened on line " + quoteLine + " is never closed, so the rest of the file is"
                        + " inside one value; close it, or double a quote inside a value (\"\")";
            } else if (record.subList(Math.min(names.size(), record.size()), record.size()).stream()
                    .anyMatch(extra -> !extra.isBlank())) {
                problem = record.size() + " values but the header has " + names.size() + " columns; put a value"
                        + " that holds a comma in quotes (\"Palo Alto Networks, Inc.\")";
            }
            rows.add(new Row(lines.get(r), values, problem));
        }
        return rows;
    }

    /** The header's column names in lower case, or an empty list. */
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
}
