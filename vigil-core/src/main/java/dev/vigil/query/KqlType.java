package dev.vigil.query;

import java.util.Locale;

/** The scalar types of the dialect. KQL's int and decimal fold into long and real, guid into string. */
public enum KqlType {
    STRING, LONG, REAL, BOOL, DATETIME, TIMESPAN, DYNAMIC;

    boolean isNumeric() {
        return this == LONG || this == REAL;
    }

    /** The type for a KQL type name ({@code string}, {@code int}, {@code datetime}, ...), or null. */
    public static KqlType of(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "string", "guid", "uniqueid" -> STRING;
            case "long", "int", "int64", "int32" -> LONG;
            case "real", "double", "decimal", "float" -> REAL;
            case "bool", "boolean" -> BOOL;
            case "datetime", "date" -> DATETIME;
            case "timespan", "time" -> TIMESPAN;
            case "dynamic" -> DYNAMIC;
            default -> null;
        };
    }

    /** The KQL name of the type, as {@code getschema} and errors show it. */
    public String kqlName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
