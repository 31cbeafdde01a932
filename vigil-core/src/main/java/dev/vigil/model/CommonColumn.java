package dev.vigil.model;

import java.util.Locale;

/**
 * The normalized columns that every stored event carries beside its native fields, whatever its table. They are the
 * glue for correlation and for questions that span sources. {@code time}, {@code tenant}, {@code table} and
 * {@code raw} are set for every event; the others are null when the source does not say.
 */
public enum CommonColumn {
    HOST,
    USER,
    SRC_IP,
    DST_IP,
    PROCESS,
    PARENT_PROCESS,
    COMMAND_LINE,
    FILE_HASH,
    URL,
    DOMAIN,
    ACTION,
    OUTCOME,
    SEVERITY,
    EVENT_CODE;

    private static final CommonColumn[] VALUES = values();

    private final String columnName = name().toLowerCase(Locale.ROOT);

    /** The stored column name, e.g. {@code src_ip}. */
    public String columnName() {
        return columnName;
    }

    public static int count() {
        return VALUES.length;
    }

    public static CommonColumn byOrdinal(int ordinal) {
        return VALUES[ordinal];
    }

    /** The column for a name, ignoring case, or null. */
    public static CommonColumn byName(String name) {
        for (CommonColumn column : VALUES) {
            if (column.columnName.equalsIgnoreCase(name)) {
                return column;
            }
        }
        return null;
    }
}
