package dev.vigil.ingest;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keeps each line of a text log whole, in a field {@code Message}, for logs in no format Vigil knows. Only used when
 * forced with {@code --format lines}: an unknown format is never guessed into this shape. The event time is the
 * ingest time unless the line starts with an ISO-8601 timestamp.
 */
public final class TextLineParser implements RecordParser {
    /** The table for lines unless {@code --table} names another. */
    public static final String DEFAULT_TABLE = "TextLog";

    private final String table;

    public TextLineParser(String table) {
        this.table = requireNonNull(table, "table is null");
    }

    @Override
    public ParsedRecord parse(RawRecord record) throws RecordRejectedException {
        String text = record.text();
        Map<String, Object> fields = new LinkedHashMap<>(2);
        fields.put("Message", text);
        int space = text.indexOf(' ');
        long time = space > 0 ? Timestamps.parseMicros(text.substring(0, space)) : ParsedRecord.UNKNOWN_TIME;
        return new ParsedRecord(table, fields, time);
    }
}
