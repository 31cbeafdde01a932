package dev.vigil.ingest;

import dev.vigil.model.QuarantineReason;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits one CSV row by RFC 4180: fields are separated by the delimiter; a field that starts with {@code "} is
 * quoted, may hold delimiters and line breaks, and writes a quote as {@code ""}; after its closing quote only the
 * delimiter or the end may follow. A quote inside an unquoted field is kept as a literal character, as spreadsheet
 * exports produce them ({@code 5" disk}).
 */
final class CsvFields {
    private CsvFields() {}

    static List<String> split(String row, char delimiter) throws RecordRejectedException {
        List<String> fields = new ArrayList<>();
        int length = row.length();
        int i = 0;
        StringBuilder field = new StringBuilder();
        while (true) {
            field.setLength(0);
            if (i < length && row.charAt(i) == '"') {
                int quoteColumn = i + 1;
                i++;
                boolean closed = false;
                while (i < length && !closed) {
                    char c = row.charAt(i);
                    if (c == '"' && i + 1 < length && row.charAt(i + 1) == '"') {
                        field.append('"');
                        i += 2;
                    } else if (c == '"') {
                        closed = true;
                        i++;
                    } else {
                        field.append(c);
                        i++;
                    }
                }
                if (!closed) {
                    throw new RecordRejectedException(QuarantineReason.MALFORMED_CSV,
                            "unterminated quoted field starting at column " + quoteColumn);
                }
                if (i < length && row.charAt(i) != delimiter) {
                    throw new RecordRejectedException(QuarantineReason.MALFORMED_CSV, "unexpected '"
                            + TextDecoding.excerpt(String.valueOf(row.charAt(i)), 1) + "' after the closing quote at column "
                            + (i + 1) + "; expected the delimiter '" + delimiter + "' or the end of the row");
                }
            } else {
                while (i < length && row.charAt(i) != delimiter) {
                    field.append(row.charAt(i));
                    i++;
                }
            }
            fields.add(field.toString());
            if (i >= length) {
                return fields;
            }
            i++; // the delimiter
        }
    }
}
