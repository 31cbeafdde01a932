package dev.vigil.sigma;

import java.util.Locale;
import java.util.Optional;

/**
 * The value modifiers of the Sigma specification's modifiers appendix, written after a field name with pipes
 * ({@code CommandLine|contains|all}). They are applied in the order written.
 */
public enum Modifier {
    // generic
    ALL, STARTSWITH, ENDSWITH, CONTAINS, EXISTS, CASED, NEQ,
    // string
    WINDASH, RE, I, M, S,
    // encodings
    BASE64, BASE64OFFSET, UTF16LE, UTF16BE, UTF16, WIDE,
    // numeric
    LT, LTE, GT, GTE,
    // time
    MINUTE, HOUR, DAY, WEEK, MONTH, YEAR,
    // ip
    CIDR,
    // specific
    EXPAND, FIELDREF;

    /** The name as written in rules. */
    public String sigmaName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Modifier> fromName(String name) {
        for (Modifier m : values()) {
            if (m.sigmaName().equals(name)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    boolean isTimePart() {
        return this == MINUTE || this == HOUR || this == DAY || this == WEEK || this == MONTH || this == YEAR;
    }

    boolean isComparison() {
        return this == LT || this == LTE || this == GT || this == GTE;
    }

    boolean isEncoding() {
        return this == BASE64 || this == BASE64OFFSET || this == UTF16LE || this == UTF16BE || this == UTF16
                || this == WIDE;
    }
}
