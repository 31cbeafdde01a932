package dev.vigil.model;

/**
 * The type of a native field, inferred from its values and only ever widened, so that no stored value is truncated:
 * BOOLEAN and BIGINT widen to DOUBLE only when exact, anything else that disagrees widens to VARCHAR.
 */
public enum FieldType {
    BOOLEAN("BOOLEAN"),
    BIGINT("BIGINT"),
    DOUBLE("DOUBLE"),
    VARCHAR("VARCHAR");

    private final String sqlName;

    FieldType(String sqlName) {
        this.sqlName = sqlName;
    }

    public String sqlName() {
        return sqlName;
    }

    /** The type of a parsed value: Boolean, Long, Double, or anything else (text). Null has no type. */
    public static FieldType of(Object value) {
        return switch (value) {
            case Boolean b -> BOOLEAN;
            case Long l -> BIGINT;
            case Integer i -> BIGINT;
            case Double d -> DOUBLE;
            default -> VARCHAR;
        };
    }

    /**
     * The narrowest type that holds values of both types without loss. BIGINT and DOUBLE meet at DOUBLE; whether the
     * integers already stored fit a double exactly is the store's check to make before it widens.
     */
    public FieldType widen(FieldType other) {
        if (this == other) {
            return this;
        }
        if ((this == BIGINT && other == DOUBLE) || (this == DOUBLE && other == BIGINT)) {
            return DOUBLE;
        }
        return VARCHAR;
    }

    public static FieldType fromSql(String sqlName) {
        for (FieldType type : values()) {
            if (type.sqlName.equalsIgnoreCase(sqlName)) {
                return type;
            }
        }
        return VARCHAR;
    }
}
