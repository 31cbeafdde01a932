package dev.vigil.ingest;

import static java.util.Objects.requireNonNull;

import dev.vigil.model.QuarantineReason;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Parses one CSV row (as read by {@link CsvRecordReader}, same RFC 4180 quoting) into fields named by the header.
 *
 * <p>Rules and edge cases:
 * <ul>
 *   <li>A row with a different number of fields than the header is rejected as {@code MALFORMED_CSV}, as is an
 *       unterminated quote or text after a closing quote.</li>
 *   <li>Header names that are empty become {@code Column<n>} (1-based); a repeated name gets {@code _<n>} appended
 *       ({@code name_2}), so that no field is lost.</li>
 *   <li>Values are typed: empty becomes null; a decimal integer without leading zeros that fits a long becomes
 *       Long; a decimal number with a fraction or exponent becomes Double; {@code true}/{@code false} in any case
 *       becomes Boolean; everything else ({@code 007}, {@code 0x1F}, {@code NaN}) stays String.</li>
 *   <li>The table is the value of a {@code Type} column when present and not empty, else the default table.</li>
 *   <li>The time is the first of {@code TimeGenerated}, {@code Timestamp}, {@code EventTime}, {@code time},
 *       {@code @timestamp} (names compared ignoring case) whose value parses; zoneless times are read in the
 *       default zone.</li>
 * </ul>
 */
public final class CsvRecordParser implements RecordParser {
    private static final List<String> TIME_COLUMNS = List.of("timegenerated", "timestamp", "eventtime", "time", "@timestamp");
    private static final String TABLE_COLUMN = "Type";

    private final List<String> columnNames;
    private final String defaultTable;
    private final ZoneId defaultZone;
    private final char delimiter;
    private final int tableColumn;
    private final int[] timeColumns;

    public CsvRecordParser(List<String> header, String defaultTable, ZoneId defaultZone) {
        this(header, defaultTable, defaultZone, ',');
    }

    public CsvRecordParser(List<String> header, String defaultTable, ZoneId defaultZone, char delimiter) {
        requireNonNull(header, "header is null");
        this.defaultTable = requireNonNull(defaultTable, "defaultTable is null");
        this.defaultZone = requireNonNull(defaultZone, "defaultZone is null");
        this.delimiter = delimiter;
        this.columnNames = uniqueNames(header);
        this.tableColumn = header.indexOf(TABLE_COLUMN);
        List<Integer> times = new ArrayList<>();
        for (String timeColumn : TIME_COLUMNS) {
            for (int i = 0; i < header.size(); i++) {
                String name = header.get(i);
                // Log Analytics portal exports name the zone in the header: "TimeGenerated [UTC]"
                if (name != null && name.replaceAll("\\s*\\[[^\\]]*\\]\\s*$", "").strip().toLowerCase(Locale.ROOT)
                        .equals(timeColumn)) {
                    times.add(i);
                }
            }
        }
        this.timeColumns = times.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * The table of a row whose export names none: Defender advanced-hunting and Windows event exports are recognized
     * by their columns, as in JSON; anything else goes to the default table.
     */
    private String tableOf(Map<String, Object> fields) {
        return switch (JsonShapes.recognize(fields)) {
            case DEFENDER -> JsonShapes.defenderTable(fields);
            case NXLOG, EVTX, WINLOGBEAT -> JsonShapes.windowsTable(fields);
            case ZEEK -> JsonShapes.zeekTable(fields, "");
            case AUTO, SENTINEL, OCSF, GENERIC -> defaultTable;
        };
    }

    @Override
    public ParsedRecord parse(RawRecord record) throws RecordRejectedException {
        String row = TextDecoding.decodeStrict(record);
        List<String> values = CsvFields.split(row, delimiter);
        if (values.size() != columnNames.size()) {
            throw new RecordRejectedException(QuarantineReason.MALFORMED_CSV,
                    "row has " + values.size() + " fields, header has " + columnNames.size());
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        for (int i = 0; i < values.size(); i++) {
            fields.put(columnNames.get(i), typed(values.get(i)));
        }
        String table = tableColumn >= 0 && JsonShapes.isTableName(values.get(tableColumn))
                ? values.get(tableColumn)
                : tableOf(fields);
        long timeMicros = ParsedRecord.UNKNOWN_TIME;
        for (int column : timeColumns) {
            timeMicros = Timestamps.parseMicros(values.get(column), defaultZone);
            if (timeMicros != ParsedRecord.UNKNOWN_TIME) {
                break;
            }
        }
        return new ParsedRecord(table, fields, timeMicros);
    }

    /** The value as Long, Double, Boolean or String by the rules above; null when empty. */
    static Object typed(String value) {
        if (value.isEmpty()) {
            return null;
        }
        if (value.equalsIgnoreCase("true")) {
            return Boolean.TRUE;
        }
        if (value.equalsIgnoreCase("false")) {
            return Boolean.FALSE;
        }
        int length = value.length();
        int i = value.charAt(0) == '-' ? 1 : 0;
        int integerStart = i;
        while (i < length && isDigit(value.charAt(i))) {
            i++;
        }
        int integerDigits = i - integerStart;
        if (integerDigits == 0 || (integerDigits > 1 && value.charAt(integerStart) == '0')) {
            return value;
        }
        if (i == length) {
            try {
                return Long.parseLong(value);
            } catch (NumberFormatException tooLarge) {
                return value;
            }
        }
        boolean decimal = false;
        if (value.charAt(i) == '.') {
            int fractionStart = ++i;
            while (i < length && isDigit(value.charAt(i))) {
                i++;
            }
            if (i == fractionStart) {
                return value;
            }
            decimal = true;
        }
        if (i < length && (value.charAt(i) == 'e' || value.charAt(i) == 'E')) {
            i++;
            if (i < length && (value.charAt(i) == '+' || value.charAt(i) == '-')) {
                i++;
            }
            int exponentStart = i;
            while (i < length && isDigit(value.charAt(i))) {
                i++;
            }
            if (i == exponentStart) {
                return value;
            }
            decimal = true;
        }
        if (!decimal || i != length) {
            return value;
        }
        return Decimals.exactOrText(value);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static List<String> uniqueNames(List<String> header) {
        List<String> names = new ArrayList<>(header.size());
        Set<String> taken = new HashSet<>();
        for (int i = 0; i < header.size(); i++) {
            String name = header.get(i) == null ? "" : header.get(i).strip();
            if (name.isEmpty()) {
                name = "Column" + (i + 1);
            }
            String unique = name;
            for (int n = 2; !taken.add(unique); n++) {
                unique = name + "_" + n;
            }
            names.add(unique);
        }
        return List.copyOf(names);
    }
}
