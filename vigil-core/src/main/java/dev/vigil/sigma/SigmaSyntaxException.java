package dev.vigil.sigma;

/** A syntax error inside one value of a rule (a condition, a modifier chain), at a 1-based column of that value. */
public final class SigmaSyntaxException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int column;

    public SigmaSyntaxException(int column, String message) {
        super(message);
        this.column = column;
    }

    public int column() {
        return column;
    }
}
