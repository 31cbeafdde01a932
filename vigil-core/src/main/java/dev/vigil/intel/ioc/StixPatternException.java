package dev.vigil.intel.ioc;

/**
 * A STIX pattern that does not follow the grammar of STIX 2.1 section 9. The message names the column (counted from
 * 1), the offending token and what was expected there, e.g. {@code column 24: expected ']' but found 'OR'}.
 */
public final class StixPatternException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final int column;

    StixPatternException(int column, String detail) {
        super("column " + column + ": " + detail);
        this.column = column;
    }

    /** Where the problem is, counted from 1. */
    public int column() {
        return column;
    }
}
