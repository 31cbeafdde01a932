package dev.vigil.cli;

import dev.vigil.model.ErrorCode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** How commands print: JSON for scripts, aligned text tables for people. */
final class Output {
    /** Keys in snake_case, records' components included, as every command's JSON writes them. */
    private static final JsonMapper MAPPER = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT)
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build();
    private static final int MAX_CELL = 80;

    private Output() {}

    static String json(Object value) {
        return MAPPER.writeValueAsString(value);
    }

    /** A text table: a header, a rule, then the rows; numbers right-aligned, long cells cut with an ellipsis. */
    static String table(List<String> header, List<List<Object>> rows) {
        int columns = header.size();
        int[] widths = new int[columns];
        boolean[] numeric = new boolean[columns];
        java.util.Arrays.fill(numeric, !rows.isEmpty());
        List<List<String>> cells = new ArrayList<>();
        for (List<Object> row : rows) {
            List<String> texts = new ArrayList<>();
            for (int i = 0; i < columns; i++) {
                Object value = i < row.size() ? row.get(i) : null;
                if (value != null && !(value instanceof Number)) {
                    numeric[i] = false;
                }
                texts.add(cell(value));
            }
            cells.add(texts);
        }
        for (int i = 0; i < columns; i++) {
            widths[i] = header.get(i).length();
            for (List<String> row : cells) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        appendRow(out, header.stream().map(h -> h.toUpperCase(Locale.ROOT)).toList(), widths, new boolean[columns]);
        for (int i = 0; i < columns; i++) {
            out.append(i == 0 ? "" : "  ").append("-".repeat(widths[i]));
        }
        out.append('\n');
        for (List<String> row : cells) {
            appendRow(out, row, widths, numeric);
        }
        return out.toString();
    }

    private static void appendRow(StringBuilder out, List<String> row, int[] widths, boolean[] rightAlign) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < row.size(); i++) {
            String text = row.get(i);
            String pad = " ".repeat(widths[i] - text.length());
            line.append(i == 0 ? "" : "  ").append(rightAlign[i] ? pad + text : text + pad);
        }
        out.append(line.toString().stripTrailing()).append('\n');
    }

    static String cell(Object value) {
        if (value == null) {
            return "";
        }
        String text = value instanceof Long || value instanceof Integer
                ? String.format(Locale.ROOT, "%,d", ((Number) value).longValue())
                : value.toString();
        text = text.replace('\n', ' ').replace('\r', ' ').replace('\t', ' ');
        return text.length() > MAX_CELL ? text.substring(0, MAX_CELL - 1) + "…" : text;
    }

    /** Prints an error in the form every command ends with: {@code vigil: error[ID]: message}, then the fix. */
    static void error(PrintWriter err, String codeId, String message, String fix) {
        err.println("vigil: error[" + codeId + "]: " + message);
        err.println("  fix: " + fix);
        err.flush();
    }

    /**
     * Reports work of which a part failed and the rest was done, with the code's own fix; the exit code to return is
     * {@link Main#EXIT_PARTIAL}.
     */
    static int partial(PrintWriter err, ErrorCode code, String message) {
        return partial(err, code, message, code.fix());
    }

    /** As {@link #partial(PrintWriter, ErrorCode, String)}, with a fix that names what this command could not do. */
    static int partial(PrintWriter err, ErrorCode code, String message, String fix) {
        error(err, code.id(), message, fix);
        return Main.EXIT_PARTIAL;
    }

    static String count(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }
}
