package dev.vigil.query;

import dev.vigil.model.ErrorCode;
import dev.vigil.model.VigilException;

/**
 * A query that cannot be parsed or compiled, with where it went wrong. The message reads
 * {@code line:column: <what> (found <token>, expected <what>)}; {@link #line()} and {@link #column()} are 1-based and
 * 0 when the error is about the whole query.
 */
public final class KqlSyntaxException extends VigilException {
    private static final long serialVersionUID = 1L;

    private final int line;
    private final int column;
    private final String detail;

    KqlSyntaxException(int line, int column, String detail, String fix) {
        super(ErrorCode.QUERY_INVALID, (line > 0 ? line + ":" + column + ": " : "") + detail, fix, null);
        this.line = line;
        this.column = column;
        this.detail = detail;
    }

    KqlSyntaxException(int line, int column, String detail) {
        this(line, column, detail, ErrorCode.QUERY_INVALID.fix());
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }

    /** The message without its position. */
    public String detail() {
        return detail;
    }
}
