package dev.vigil.ingest;

import static java.util.Objects.requireNonNull;

import dev.vigil.model.QuarantineReason;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Parses one row of a Zeek tab-separated log with the header its {@link ZeekTsvReader} is reading under. Values are
 * typed by {@code #types}: counts, ints and ports become numbers, times and intervals decimals, bools booleans; sets
 * and vectors stay text. The unset marker ({@code -}) is null, the empty marker ({@code (empty)}) an empty string.
 * The table is {@code Zeek} and the log's {@code #path} ({@code ZeekConn}); the time is {@code ts}.
 */
public final class ZeekTsvParser implements RecordParser {
    private final Supplier<ZeekTsvReader.Header> header;

    /** Parses rows under whatever header the reader is reading them under. */
    public ZeekTsvParser(ZeekTsvReader reader) {
        this.header = requireNonNull(reader, "reader is null")::header;
    }

    /** Parses rows read under this header (a row whose header was recorded where it was read). */
    public ZeekTsvParser(ZeekTsvReader.Header header) {
        requireNonNull(header, "header is null");
        this.header = () -> header;
    }

    @Override
    public ParsedRecord parse(RawRecord record) throws RecordRejectedException {
        ZeekTsvReader.Header header = this.header.get();
        if (header.fields().isEmpty()) {
            throw new RecordRejectedException(QuarantineReason.MALFORMED_ZEEK,
                    "a row before any #fields header line; expected Zeek's #separator, #fields and #types lines first");
        }
        String line = TextDecoding.decodeStrict(record);
        String[] values = line.split(Pattern.quote(header.separator()), -1);
        if (values.length != header.fields().size()) {
            throw new RecordRejectedException(QuarantineReason.MALFORMED_ZEEK, "row has " + values.length
                    + " fields, #fields names " + header.fields().size());
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        List<String> types = header.types();
        for (int i = 0; i < values.length; i++) {
            String value = values[i];
            Object typed;
            if (value.equals(header.unset())) {
                typed = null;
            } else if (value.equals(header.empty())) {
                typed = "";
            } else {
                typed = typed(value, i < types.size() ? types.get(i) : "string");
            }
            fields.put(header.fields().get(i), typed);
        }
        Object ts = fields.get("ts");
        long time = ts instanceof Number number ? Timestamps.fromEpochNumber(number.doubleValue()) : ParsedRecord.UNKNOWN_TIME;
        String table = "Zeek" + JsonShapes.pascalCase(header.path());
        return new ParsedRecord(JsonShapes.isTableName(table) ? table : "Zeek", fields, time);
    }

    private static Object typed(String value, String type) {
        try {
            return switch (type) {
                case "count", "int", "port" -> Long.parseLong(value);
                case "double", "time", "interval" -> Decimals.exactOrText(value);
                case "bool" -> value.equals("T") ? Boolean.TRUE : value.equals("F") ? Boolean.FALSE : value;
                default -> value;
            };
        } catch (NumberFormatException e) {
            return value; // kept as written rather than lost
        }
    }
}
